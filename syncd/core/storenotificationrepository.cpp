// SPDX-License-Identifier: Apache-2.0
#include "core/storenotificationrepository.h"

#include "core/followerfilter.h"
#include "store/storethread.h"

namespace herald::syncd {

void StoreNotificationRepository::insert(const QList<Notification> &notifications,
                                         const DeferredWork &later, QObject *context,
                                         Reply<QList<Notification>> done)
{
    m_store.submit<QList<Notification>>(
        [notifications, later](SqlStore &store) -> Result<QList<Notification>> {
            QList<Notification> stored = notifications; // filled in by the store
            if (auto inserted = store.insertNotifications(stored); !inserted)
                return tl::unexpected(inserted.error());
            DeferredWork work = later;
            if (auto kept = keepFollowersOnly(store, work); !kept)
                return tl::unexpected(kept.error());
            // The same operation, so the same savepoint and commit as the notifications.
            if (!work.jobs.isEmpty()) {
                if (auto added = store.addDeliveries(work.jobs); !added)
                    return tl::unexpected(added.error());
            }
            if (!work.userDeliveries.isEmpty()) {
                QList<DeliveryJob> mails;
                for (const UserDelivery &d : std::as_const(work.userDeliveries))
                    mails.append(d.job);
                if (auto added = store.addDeliveries(mails); !added)
                    return tl::unexpected(added.error());
            }
            if (!work.digestItems.isEmpty()) {
                if (auto added =
                        store.digests([&](DigestQueries &q) { return q.add(work.digestItems); });
                    !added)
                    return tl::unexpected(added.error());
            }
            return stored;
        },
        context, std::move(done));
}

void StoreNotificationRepository::list(const ListQuery &query, QObject *context,
                                       Reply<NotificationPage> done)
{
    m_store.submit<NotificationPage>([query](SqlStore &store) { return store.list(query); },
                                     context, std::move(done));
}

void StoreNotificationRepository::backlog(const BacklogQuery &query, QObject *context,
                                          Reply<Backlog> done)
{
    m_store.submit<Backlog>(
        [query](SqlStore &store) -> Result<Backlog> {
            auto found = store.backlog(query);
            if (!found)
                return tl::unexpected(found.error());
            Backlog backlog{std::move(*found), 0};
            backlog.matching = backlog.notifications.size();
            // Counted only when the limit was reached: then more may match.
            if (query.countUpTo > 0 && backlog.matching >= query.limit) {
                auto matching = store.countBacklog(query, query.countUpTo);
                if (!matching)
                    return tl::unexpected(matching.error());
                backlog.matching = std::max(backlog.matching, *matching);
            }
            return backlog;
        },
        context, std::move(done));
}

void StoreNotificationRepository::acknowledge(const QString &user, const QList<NotificationId> &ids,
                                              const QDateTime &at, QObject *context,
                                              Reply<QList<NotificationId>> done)
{
    m_store.submit<QList<NotificationId>>(
        [user, ids, at](SqlStore &store) { return store.acknowledge(user, ids, at); }, context,
        std::move(done));
}

void StoreNotificationRepository::remove(NotificationId id, DeleteCheck check, QObject *context,
                                         Reply<Notification> done)
{
    m_store.submit<Notification>(
        [id, check = std::move(check)](SqlStore &store) -> Result<Notification> {
            auto found = store.findNotification(id);
            if (!found)
                return tl::unexpected(found.error());
            if (!found->has_value())
                return fail(ErrorCode::NotFound, QStringLiteral("id: no notification %1").arg(id));
            if (auto allowed = check(**found); !allowed)
                return tl::unexpected(allowed.error());
            if (auto deleted = store.deleteNotification(id); !deleted)
                return tl::unexpected(deleted.error());
            return **found;
        },
        context, std::move(done));
}

void StoreNotificationRepository::channelRows(int limit, QObject *context,
                                              Reply<QList<ChannelRow>> done)
{
    m_store.submit<QList<ChannelRow>>([limit](SqlStore &store) { return store.channelRows(limit); },
                                      context, std::move(done));
}

void StoreNotificationRepository::purgeExpired(const QDateTime &now, int limit, QObject *context,
                                               Reply<ExpiredPurge> done)
{
    m_store.submit<ExpiredPurge>(
        [now, limit](SqlStore &store) { return store.purgeExpired(now, limit); }, context,
        std::move(done));
}

} // namespace herald::syncd
