// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QSqlQuery>
#include <QString>
#include <QStringList>

namespace herald::syncd {

// How a Notification is stored, for the queries that read and write table `notifications`
// (NotificationQueries, BacklogQueries, ReceiptQueries): the SQL fragments they share and
// the conversions between a Notification and its row. Constants and pure functions; any
// thread.
namespace NotificationRows {

// What fromRow() reads, from `notifications n` joined with Joins.
extern const QString Columns;
constexpr int ColumnCount = 17;
// Gives `a` (applications) and `c` (channels) of `n`.
extern const QString Joins;
// Conditions on `n`. NotExpired binds now (ms); VisibleTo and AcknowledgedBy bind a user.
extern const QString NotExpired;
extern const QString VisibleTo;
extern const QString AcknowledgedBy;

// The notification in the current row of a query that selected Columns first.
Notification fromRow(const QSqlQuery &query);

// The JSON text columns tags, actions and recipients.
QString tagsToJson(const QMap<QString, QString> &tags);
QString actionsToJson(const QList<NotificationAction> &actions);
QString recipientsToJson(const QStringList &recipients);

// Times are stored as milliseconds since the epoch, UTC.
QDateTime fromMs(qint64 ms);
// `now` in milliseconds; an invalid `now` means the current time.
qint64 nowMs(const QDateTime &now);

} // namespace NotificationRows

} // namespace herald::syncd
