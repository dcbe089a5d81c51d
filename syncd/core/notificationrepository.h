// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/reply.h"
#include "store/deferredwork.h"
#include "store/storetypes.h"

#include <QDateTime>
#include <QList>
#include <QString>

class QObject;

namespace herald::syncd {

// The notifications' side of the store as the core sees it: asynchronous, callable from any
// thread, each answer delivered in `context`'s thread after the commit that holds the change
// (or with its error). `context` must outlive the repository. Answers to calls made from one
// thread arrive in the order of the calls. The SQL store implements it
// (StoreNotificationRepository); unit tests use an in-memory one.
class NotificationRepository
{
public:
    // Decides, on the store's side and with the stored notification in hand, whether it may be
    // deleted; an error refuses the delete and is the answer.
    using DeleteCheck = std::function<Result<void>(const Notification &)>;

    virtual ~NotificationRepository() = default;

    // Stores the persistent notifications and resolves every notification's application and
    // channel row ids (creating the channel where the configuration allows). The answer is the
    // notifications with their row ids filled in. `later` (the outbox's deliveries and the
    // digests' items of these notifications) is stored in the same transaction: all or nothing.
    virtual void insert(const QList<Notification> &notifications, const DeferredWork &later,
                        QObject *context, Reply<QList<Notification>> done) = 0;
    virtual void list(const ListQuery &query, QObject *context, Reply<NotificationPage> done) = 0;
    virtual void backlog(const BacklogQuery &query, QObject *context, Reply<Backlog> done) = 0;
    // Records `user`'s receipts; the answer holds the ids that exist, are visible to the user
    // and were not acknowledged before.
    virtual void acknowledge(const QString &user, const QList<NotificationId> &ids,
                             const QDateTime &at, QObject *context,
                             Reply<QList<NotificationId>> done) = 0;
    // Deletes notification `id` (with its receipts) when `check` allows; the answer is the
    // deleted notification, NotFound when there is none.
    virtual void remove(NotificationId id, DeleteCheck check, QObject *context,
                        Reply<Notification> done) = 0;
    // Up to `limit` channels the store holds, with their row ids, the newest first.
    virtual void channelRows(int limit, QObject *context, Reply<QList<ChannelRow>> done) = 0;
    // Deletes up to `limit` of what expired at `now` (SqlStore::purgeExpired).
    virtual void purgeExpired(const QDateTime &now, int limit, QObject *context,
                              Reply<ExpiredPurge> done) = 0;
};

} // namespace herald::syncd
