// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"

#include <QHash>
#include <QMutex>
#include <QSet>
#include <QString>

#include <deque>
#include <optional>

namespace herald::syncd {

// Where each device's last session on this node stopped: the arrival positions (ArrivalLog)
// whose notifications of its channels it was sent live. With it a resume from that device
// can start exactly after its last notification. Kept in memory for the newest `capacity`
// devices (a device that comes back after a restart or much later resumes the safe way).
// Thread-safe: workers write, the core reads.
class ResumeBook
{
public:
    static constexpr qsizetype DefaultCapacity = 16'384;

    struct LiveRange
    {
        qint64 from = 0;     // positions after this one were sent live...
        qint64 upTo = 0;     // ...up to and including this one
        size_t channels = 0; // channelsKey() of what the session followed
    };

    explicit ResumeBook(qsizetype capacity = DefaultCapacity) : m_capacity(capacity) {}

    void sessionEnded(const QString &user, const QString &clientId, const LiveRange &range);
    // The device's last range, forgotten as it is taken (its next session makes a new one).
    std::optional<LiveRange> take(const QString &user, const QString &clientId);

    // The same for the same set of channel keys ("app/channel"), in any order.
    static size_t channelsKey(const QSet<QString> &channelKeys);

private:
    struct Entry
    {
        LiveRange range;
        quint64 generation = 0;
    };
    static QString deviceKey(const QString &user, const QString &clientId);

    const qsizetype m_capacity;
    QMutex m_mutex;
    QHash<QString, Entry> m_ranges;
    std::deque<std::pair<QString, quint64>> m_age; // oldest first; stale pairs are skipped
    quint64 m_generation = 0;
};

} // namespace herald::syncd
