// SPDX-License-Identifier: Apache-2.0
#include "core/relayeddigests.h"

#include "core/followerfilter.h"
#include "model/timestamps.h"
#include "store/sqlstore.h"

namespace herald::syncd {

Result<void> RelayedDigests::queue(SqlStore &store, const QList<AcceptedRecord> &accepted) const
{
    QList<Notification> arrived;
    for (const AcceptedRecord &a : accepted) {
        if (a.storedHere && a.effect && a.effect->persistent)
            arrived.append(*a.effect);
    }
    if (arrived.isEmpty())
        return {};
    // Due as at the node of the publish, unless the period ended on the way here: then the
    // next one (the digest of the period that ended holds it only where it arrived in time).
    DeferredWork later;
    later.digestItems = m_router.itemsFor(arrived, utcNow());
    if (later.digestItems.isEmpty())
        return {};
    if (auto kept = keepFollowersOnly(store, later); !kept)
        return kept;
    if (later.digestItems.isEmpty())
        return {};
    auto added = store.digests([&](DigestQueries &q) { return q.add(later.digestItems); });
    if (!added)
        return tl::unexpected(added.error());
    return {};
}

} // namespace herald::syncd
