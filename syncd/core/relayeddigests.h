// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/digestrouter.h"
#include "core/digestsenderorder.h"
#include "protocol/error.h"
#include "store/relayrecord.h"

#include <QList>

namespace herald::syncd {

class SqlStore;

// Digest items for notifications that came from another node and were stored here (a node
// with a database of its own): every node queues them as the node of the publish does, so
// that whichever node sends the user's digest holds them (DigestSenderOrder), and a digest
// record from the node that sent it drops them again. On the store's thread, in the
// operation that takes the records in.
class RelayedDigests
{
public:
    RelayedDigests(const PreferenceBook &preferences, const FollowBook &follows, int nodeId,
                   qint64 graceMs, const PeerOutlet &peers)
        : m_order(nodeId, graceMs, peers), m_router(preferences, follows, nodeId, &m_order)
    {
    }

    Result<void> queue(SqlStore &store, const QList<AcceptedRecord> &accepted) const;

private:
    const DigestSenderOrder m_order;
    const DigestRouter m_router; // after m_order: it holds a pointer to it
};

} // namespace herald::syncd
