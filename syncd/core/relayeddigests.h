// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/digestrouter.h"
#include "protocol/error.h"
#include "store/relayrecord.h"

#include <QList>

namespace herald::syncd {

class SqlStore;

// Digest items for notifications that came from another node and were stored here (a node
// with a database of its own): every node queues them as the node of the publish does, so
// that whichever node sends the user's digest holds them (DigestSenderOrder), and a digest
// record from the node that sent it drops them again. A notification older than the end of
// a period already sent to the user, by more than `lateMs`, is not queued: it comes with a
// catch-up of history (a node that joins, or was away), and the digest it belonged to went
// out then. On the store's thread, in the operation that takes the records in.
class RelayedDigests
{
public:
    RelayedDigests(const PreferenceBook &preferences, const FollowBook &follows, int nodeId,
                   qint64 lateMs)
        : m_router(preferences, follows, nodeId), m_lateMs(lateMs)
    {
    }

    Result<void> queue(SqlStore &store, const QList<AcceptedRecord> &accepted) const;

private:
    const DigestRouter m_router;
    const qint64 m_lateMs;
};

} // namespace herald::syncd
