// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QHash>
#include <QReadWriteLock>
#include <QString>

namespace herald::syncd {

// Which workers have sessions for a channel key (or a user): one lookup per notification tells
// the Hub every worker to wake, however many workers there are. Readable from any thread;
// each worker writes its own bit, from its SessionIndex.
class WorkerInterest
{
public:
    // Bit i: worker i. Daemon runs at most MaxWorkers event loops.
    using Workers = quint64;
    static constexpr int MaxWorkers = 64;

    Workers workersFor(const QString &key) const
    {
        QReadLocker lock(&m_lock);
        return m_workers.value(key);
    }
    void add(const QString &key, int worker)
    {
        QWriteLocker lock(&m_lock);
        m_workers[key] |= bit(worker);
    }
    void remove(const QString &key, int worker)
    {
        QWriteLocker lock(&m_lock);
        const auto it = m_workers.find(key);
        if (it == m_workers.end())
            return;
        *it &= ~bit(worker);
        if (*it == 0)
            m_workers.erase(it);
    }

    static constexpr Workers bit(int worker) { return Workers(1) << worker; }

private:
    mutable QReadWriteLock m_lock;
    QHash<QString, Workers> m_workers;
};

} // namespace herald::syncd
