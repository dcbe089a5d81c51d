// SPDX-License-Identifier: Apache-2.0
#include "core/relayeddigests.h"

#include "core/followerfilter.h"
#include "model/timestamps.h"
#include "store/sqlstore.h"

#include <QHash>

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
    const QDateTime now = utcNow();
    DeferredWork later;
    later.digestItems = m_router.itemsFor(arrived, now);
    if (later.digestItems.isEmpty())
        return {};
    // Only a notification made more than lateMs ago can be older than a sent period by more
    // than that (periods are sent when they have ended): live relays ask nothing more.
    const qint64 lateBefore = now.toMSecsSinceEpoch() - m_lateMs;
    QHash<NotificationId, qint64> oldMadeMs;
    for (const Notification &n : std::as_const(arrived)) {
        if (const qint64 made = n.time.toMSecsSinceEpoch(); made < lateBefore)
            oldMadeMs.insert(n.id, made);
    }
    QHash<QString, qint64> sentUpTo; // by user and digest key
    std::optional<Error> failed;
    later.digestItems.removeIf([&](const DigestItem &item) {
        const auto made = oldMadeMs.constFind(item.notificationId);
        if (made == oldMadeMs.cend())
            return false;
        const QString digest = item.user + u'\n' + item.key;
        auto known = sentUpTo.constFind(digest);
        if (known == sentUpTo.cend()) {
            auto end = store.digests(
                [&](DigestQueries &q) { return q.lastPeriodEnd(item.user, item.key); });
            if (!end)
                failed = end.error();
            known = sentUpTo.insert(digest, end ? end->value_or(0) : 0);
        }
        return *known > 0 && *made < *known - m_lateMs;
    });
    if (failed)
        return tl::unexpected(*failed);
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
