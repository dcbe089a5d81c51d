// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/notificationrepository.h"

namespace herald::syncd {

class StoreThread;

// NotificationRepository on the SQL store: each call is one operation of the store thread's
// group commit. Thread-safe.
class StoreNotificationRepository final : public NotificationRepository
{
public:
    explicit StoreNotificationRepository(StoreThread &store) : m_store(store) {}

    void insert(const QList<Notification> &notifications, const DeferredWork &later,
                QObject *context, Reply<QList<Notification>> done) override;
    void list(const ListQuery &query, QObject *context, Reply<NotificationPage> done) override;
    void backlog(const BacklogQuery &query, QObject *context, Reply<Backlog> done) override;
    void acknowledge(const QString &user, const QList<NotificationId> &ids, const QDateTime &at,
                     QObject *context, Reply<QList<NotificationId>> done) override;
    void remove(NotificationId id, DeleteCheck check, QObject *context,
                Reply<Notification> done) override;
    void channelRows(int limit, QObject *context, Reply<QList<ChannelRow>> done) override;
    void purgeExpired(const QDateTime &now, int limit, QObject *context,
                      Reply<ExpiredPurge> done) override;

private:
    StoreThread &m_store;
};

} // namespace herald::syncd
