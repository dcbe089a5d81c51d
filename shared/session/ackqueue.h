// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"

#include <QList>

#include <cstddef>
#include <set>

namespace herald {

// Acknowledgements on their way to the server. An id waits as pending until takeFrames()
// hands it out for sending, then as unconfirmed until an `acknowledged` frame confirms it
// (confirmed()). When a connection ends, requeueUnconfirmed() makes the unconfirmed ids
// pending again: the server may not have stored them, and acks are idempotent. Ids go out in
// id order and duplicates collapse. At most MaxUnconfirmed ids are remembered as unconfirmed
// (the lowest are forgotten first), so a server that never confirms cannot grow the queue.
//
// A plain value type, not thread-safe.
class AckQueue
{
public:
    static constexpr std::size_t MaxUnconfirmed = 10'000;

    // Queues id; false (nothing queued) when it is not a valid id (1..2^53-1).
    bool add(NotificationId id);
    // Takes every pending id, in frames of at most idsPerFrame (at least 1) ids; they are
    // unconfirmed from now on. Empty when nothing is pending.
    QList<QList<NotificationId>> takeFrames(int idsPerFrame);
    // The server stored these (from this or another session): nothing more to send for them.
    void confirmed(const QList<NotificationId> &ids);
    // The connection ended: the unconfirmed ids are pending again.
    void requeueUnconfirmed();

    std::size_t pendingCount() const { return m_pending.size(); }
    std::size_t unconfirmedCount() const { return m_unconfirmed.size(); }

private:
    // Ordered sets: sent in id order, duplicates collapse.
    std::set<NotificationId> m_pending;     // not yet sent
    std::set<NotificationId> m_unconfirmed; // sent, no `acknowledged` yet
};

} // namespace herald
