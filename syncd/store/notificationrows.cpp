// SPDX-License-Identifier: Apache-2.0
#include "store/notificationrows.h"

#include "model/timestamps.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace herald::syncd::NotificationRows {

const QString Columns =
    u"n.id, a.id, a.name, c.id, c.name, n.code, n.title, n.message, n.priority, n.level, "
    "n.tags, n.url, n.actions, n.recipients, n.time_ms, n.expires_at_ms, n.node"_s;
const QString Joins = u" JOIN channels c ON c.id = n.channel_id "
                      "JOIN applications a ON a.id = c.application_id"_s;
const QString NotExpired = u"(n.expires_at_ms IS NULL OR n.expires_at_ms > ?)"_s;
const QString VisibleTo = u"(n.has_recipients = 0 OR EXISTS (SELECT 1 FROM "
                          "notification_recipients r WHERE r.notification_id = n.id "
                          "AND r.user_name = ?))"_s;
const QString AcknowledgedBy = u"EXISTS (SELECT 1 FROM receipts k WHERE k.user_name = ? "
                               "AND k.notification_id = n.id)"_s;

namespace {

QString toJsonText(const QJsonValue &value)
{
    const QJsonDocument document =
        value.isObject() ? QJsonDocument(value.toObject()) : QJsonDocument(value.toArray());
    return QString::fromUtf8(document.toJson(QJsonDocument::Compact));
}

QMap<QString, QString> tagsFromJson(const QString &text)
{
    QMap<QString, QString> tags;
    const QJsonObject object = QJsonDocument::fromJson(text.toUtf8()).object();
    for (auto it = object.begin(); it != object.end(); ++it)
        tags.insert(it.key(), it.value().toString());
    return tags;
}

QList<NotificationAction> actionsFromJson(const QString &text)
{
    QList<NotificationAction> actions;
    const QJsonArray array = QJsonDocument::fromJson(text.toUtf8()).array();
    for (const QJsonValue &value : array) {
        const QJsonObject object = value.toObject();
        actions.append(NotificationAction{object.value(u"id").toString(),
                                          object.value(u"label").toString(),
                                          object.value(u"url").toString()});
    }
    return actions;
}

QStringList recipientsFromJson(const QString &text)
{
    QStringList recipients;
    const QJsonArray array = QJsonDocument::fromJson(text.toUtf8()).array();
    for (const QJsonValue &value : array)
        recipients.append(value.toString());
    return recipients;
}

} // namespace

// Most notifications have no tags, actions or recipients: skip QJsonDocument for those.
QString tagsToJson(const QMap<QString, QString> &tags)
{
    if (tags.isEmpty())
        return u"{}"_s;
    QJsonObject object;
    for (auto it = tags.cbegin(); it != tags.cend(); ++it)
        object.insert(it.key(), it.value());
    return toJsonText(object);
}

QString actionsToJson(const QList<NotificationAction> &actions)
{
    if (actions.isEmpty())
        return u"[]"_s;
    QJsonArray array;
    for (const NotificationAction &action : actions) {
        QJsonObject object{{u"id"_s, action.id}, {u"label"_s, action.label}};
        if (!action.url.isEmpty())
            object.insert(u"url"_s, action.url);
        array.append(object);
    }
    return toJsonText(array);
}

QString recipientsToJson(const QStringList &recipients)
{
    if (recipients.isEmpty())
        return u"[]"_s;
    return toJsonText(QJsonArray::fromStringList(recipients));
}

QDateTime fromMs(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

qint64 nowMs(const QDateTime &now)
{
    return (now.isValid() ? now : utcNow()).toMSecsSinceEpoch();
}

Notification fromRow(const QSqlQuery &query)
{
    Notification n;
    n.id = query.value(0).toLongLong();
    n.applicationId = query.value(1).toLongLong();
    n.application = query.value(2).toString();
    n.channelId = query.value(3).toLongLong();
    n.channel = query.value(4).toString();
    n.code = query.value(5).toString();
    n.title = query.value(6).toString();
    n.message = query.value(7).toString();
    n.persistent = true; // only persistent ones are stored
    n.priority = priorityFromName(query.value(8).toString()).value_or(Priority::Normal);
    n.level = query.value(9).toString();
    n.tags = tagsFromJson(query.value(10).toString());
    n.url = query.value(11).toString();
    n.actions = actionsFromJson(query.value(12).toString());
    n.recipients = recipientsFromJson(query.value(13).toString());
    n.time = fromMs(query.value(14).toLongLong());
    if (!query.isNull(15))
        n.expiresAt = fromMs(query.value(15).toLongLong());
    n.node = query.value(16).toInt();
    return n;
}

} // namespace herald::syncd::NotificationRows
