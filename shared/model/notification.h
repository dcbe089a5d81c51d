// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace herald {

// Notification ids: positive, below 2^53, unique across nodes, increasing with time.
using NotificationId = qint64;

enum class Priority
{
    Low,
    Normal,
    High,
    Urgent
};

QString priorityName(Priority priority);
std::optional<Priority> priorityFromName(const QString &name);

// "application/channel": the one spelling of a channel as a single key (maps, sets, filters).
// Valid names (Validator::isValidName) hold no '/', so the key is unambiguous.
inline QString channelKey(const QString &application, const QString &channel)
{
    return application + u'/' + channel;
}

struct NotificationAction
{
    QString id;
    QString label;
    QString url; // optional, empty when absent

    friend bool operator==(const NotificationAction &, const NotificationAction &) = default;
};

struct Notification
{
    NotificationId id = 0;
    QString application;
    QString channel;
    QString code;
    QString title;
    QString message;
    bool persistent = true;
    Priority priority = Priority::Normal;
    QString level;
    QMap<QString, QString> tags;
    QString url;
    QList<NotificationAction> actions;
    QStringList recipients; // empty: everyone subscribed to the channel
    QDateTime time;         // UTC, millisecond precision
    std::optional<QDateTime> expiresAt;
    int node = 0;

    // Catalog row ids, filled by the daemon; the Hermes wire needs them, the native one not.
    qint64 applicationId = 0;
    qint64 channelId = 0;

    bool isVisibleTo(const QString &user) const
    {
        return recipients.isEmpty() || recipients.contains(user);
    }

    friend bool operator==(const Notification &, const Notification &) = default;
};

} // namespace herald
