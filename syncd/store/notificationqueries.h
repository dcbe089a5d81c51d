// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"
#include "protocol/error.h"
#include "store/catalogqueries.h"
#include "store/sqlconnection.h"
#include "store/storetypes.h"

#include <QList>

#include <optional>

namespace herald::syncd {

// Table `notifications` and the recipients of each (SqlStore's notification methods; their
// contracts are documented there): store, find, delete, list, count and purge. The backlog
// is BacklogQueries', receipts are ReceiptQueries'. Works on a connection it does not own, on
// that connection's thread.
class NotificationQueries
{
public:
    NotificationQueries(SqlConnection &connection, CatalogQueries &catalog);

    Result<void> insert(QList<Notification> &notifications, bool autoCreateChannels);
    Result<std::optional<Notification>> find(NotificationId id);
    Result<bool> remove(NotificationId id);
    Result<NotificationPage> list(const ListQuery &query);
    Result<qint64> count();
    Result<ExpiredPurge> purgeExpired(const QDateTime &now, int limit);

private:
    Result<void> insertAll(QList<Notification> &notifications, bool autoCreateChannels);

    SqlConnection &m_connection;
    CatalogQueries &m_catalog;
    const QString m_insertNotification; // the statements insert() runs, made once
    const QString m_insertRecipient;
};

} // namespace herald::syncd
