#pragma once

#include "model/notification.h"
#include "model/receipt.h"
#include "protocol/error.h"
#include "store/catalogqueries.h"
#include "store/sqlconnection.h"
#include "store/storetypes.h"

#include <QList>

#include <optional>

namespace herald::syncd {

// Notifications, their recipients and receipts (SqlStore's notification and receipt methods;
// their contracts are documented there). Works on a connection it does not own.
class NotificationQueries
{
public:
    NotificationQueries(SqlConnection &connection, CatalogQueries &catalog)
        : m_connection(connection), m_catalog(catalog)
    {
    }

    Result<void> insert(QList<Notification> &notifications, bool autoCreateChannels);
    Result<std::optional<Notification>> find(NotificationId id);
    Result<bool> remove(NotificationId id);
    Result<QList<Notification>> backlog(const BacklogQuery &query, int scanLimit);
    Result<NotificationPage> list(const ListQuery &query);
    Result<qint64> count();
    Result<QList<NotificationId>> purgeExpired(const QDateTime &now);

    // `added`, when given, gets the ids that had no receipt of `user` before.
    Result<QList<NotificationId>> acknowledge(const QString &user, const QList<NotificationId> &ids,
                                              const QDateTime &time,
                                              QList<NotificationId> *added = nullptr);
    Result<QList<Receipt>> receipts(const QString &user);

private:
    Result<void> insertAll(QList<Notification> &notifications, bool autoCreateChannels);
    Result<QList<qint64>> subscribedChannels(const QList<Subscription> &subscriptions);
    Result<QList<NotificationId>> newestIds(const QList<qint64> &channelIds,
                                            std::optional<NotificationId> afterId, int limit);
    // The newest `query.limit` visible, unacknowledged, unexpired ones among the newest `scan`
    // rows (after query.afterId, from atLeast on) of each channel; in no particular order.
    Result<QList<Notification>> visibleUnacknowledged(const QList<qint64> &channelIds,
                                                      const BacklogQuery &query, int scan,
                                                      std::optional<NotificationId> atLeast);
    Result<std::optional<NotificationId>>
    scanCutoff(const QList<qint64> &channelIds, std::optional<NotificationId> afterId, int scan);
    static QList<Notification> oldestFirst(QList<Notification> found, int limit);

    SqlConnection &m_connection;
    CatalogQueries &m_catalog;
};

} // namespace herald::syncd
