// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"

#include <QHash>
#include <QMutex>
#include <QSet>
#include <QString>

#include <atomic>
#include <deque>
#include <memory>
#include <optional>

namespace herald::syncd {

// How far a worker has handed notifications to its live sessions (an ArrivalLog position):
// the worker writes it after the sessions have them, the book reads it for an open session.
using HandedOn = std::shared_ptr<const std::atomic<qint64>>;

// Where each device's newest session on this node is, or stopped: the arrival positions
// (ArrivalLog) whose notifications of its channels it was handed live. With it a resume from
// that device can start exactly after its last notification, also while its earlier session
// is still open here (a connection that died without a FIN stays open until its pings go
// unanswered). Kept in memory for the newest `capacity` devices (a device that comes back
// after a restart or much later resumes the safe way). Thread-safe: workers write, the core
// reads.
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

    // A session of the device is live from position `from` on; `handedOn` is its worker's.
    void sessionLive(const QString &user, const QString &clientId, qint64 from, size_t channels,
                     HandedOn handedOn);
    void sessionEnded(const QString &user, const QString &clientId, const LiveRange &range);
    // The range of the device's newest session (an open one's up to where its worker is
    // now), forgotten as it is taken (its next session makes a new one).
    std::optional<LiveRange> take(const QString &user, const QString &clientId);

    // The same for the same set of channel keys ("app/channel"), in any order.
    static size_t channelsKey(const QSet<QString> &channelKeys);

private:
    struct Entry
    {
        LiveRange range; // upTo only once it ended
        HandedOn openOn; // set while the session is open
        quint64 generation = 0;
    };
    static QString deviceKey(const QString &user, const QString &clientId);
    // Keeps the entry of the session that went live last: an earlier session that ends after a
    // newer one went live does not replace it.
    void put(const QString &user, const QString &clientId, const LiveRange &range, HandedOn openOn);

    const qsizetype m_capacity;
    QMutex m_mutex;
    QHash<QString, Entry> m_ranges;
    std::deque<std::pair<QString, quint64>> m_age; // oldest first; stale pairs are skipped
    quint64 m_generation = 0;
};

} // namespace herald::syncd
