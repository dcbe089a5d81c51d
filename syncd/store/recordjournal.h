// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/relayrecord.h"

#include <QList>

#include <functional>

namespace herald::syncd {

// The relay records written in the open transaction, handed on only once it commits. Marks
// follow the savepoints, so records of a rolled-back operation are forgotten with it.
class RecordJournal
{
public:
    using Sink = std::function<void(QList<AcceptedRecord>)>;

    void setSink(Sink sink) { m_sink = std::move(sink); }
    bool enabled() const { return bool(m_sink); }

    void append(AcceptedRecord record)
    {
        if (m_sink)
            m_pending.append(std::move(record));
    }
    void pushMark() { m_marks.append(m_pending.size()); }
    void popMark()
    {
        if (!m_marks.isEmpty())
            m_marks.removeLast();
    }
    void rollbackToMark()
    {
        if (!m_marks.isEmpty())
            m_pending.resize(m_marks.last());
    }
    void committed()
    {
        m_marks.clear();
        if (m_holdsCommitted)
            m_held.append(std::exchange(m_pending, {}));
        else if (!m_pending.isEmpty() && m_sink)
            m_sink(std::exchange(m_pending, {}));
    }

    // Whether committed records wait in takeCommitted() instead of going to the sink at once:
    // for an owner that hands them on only when the commit is on disk (StoreThread with
    // WalSync).
    void holdCommitted(bool hold) { m_holdsCommitted = hold; }
    struct Committed
    {
        Sink sink;
        QList<AcceptedRecord> records;
        void handOn() const
        {
            if (sink && !records.isEmpty())
                sink(records);
        }
    };
    Committed takeCommitted() { return {m_sink, std::exchange(m_held, {})}; }
    void rolledBack()
    {
        m_marks.clear();
        m_pending.clear();
    }

private:
    Sink m_sink;
    QList<AcceptedRecord> m_pending;
    QList<qsizetype> m_marks;
    QList<AcceptedRecord> m_held; // committed, not handed on yet (holdCommitted)
    bool m_holdsCommitted = false;
};

} // namespace herald::syncd
