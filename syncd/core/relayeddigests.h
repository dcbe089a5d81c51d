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
// record from the node that sent it drops them again. On the store's thread, in the
// operation that takes the records in.
class RelayedDigests
{
public:
    RelayedDigests(const PreferenceBook &preferences, const FollowBook &follows, int nodeId)
        : m_router(preferences, follows, nodeId)
    {
    }

    Result<void> queue(SqlStore &store, const QList<AcceptedRecord> &accepted) const;

private:
    const DigestRouter m_router;
};

} // namespace herald::syncd
