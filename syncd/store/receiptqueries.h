// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"
#include "model/receipt.h"
#include "protocol/error.h"
#include "store/sqlconnection.h"

#include <QDateTime>
#include <QList>

namespace herald::syncd {

// Receipts: who acknowledged which notification, and when (SqlStore::acknowledge() and
// receipts(); their contracts are documented there). Works on a connection it does not own,
// on that connection's thread.
class ReceiptQueries
{
public:
    explicit ReceiptQueries(SqlConnection &connection) : m_connection(connection) {}

    // `added`, when given, gets the ids that had no receipt of `user` before.
    Result<QList<NotificationId>> acknowledge(const QString &user, const QList<NotificationId> &ids,
                                              const QDateTime &time,
                                              QList<NotificationId> *added = nullptr);
    Result<QList<Receipt>> receipts(const QString &user);

private:
    SqlConnection &m_connection;
};

} // namespace herald::syncd
