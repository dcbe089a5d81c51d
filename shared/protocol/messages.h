// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"

#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

namespace herald {

// Messages of the WebSocket protocol, independent of the wire (native JSON or Hermes).

struct Subscription
{
    QString application;
    QStringList channels;
    friend bool operator==(const Subscription &, const Subscription &) = default;
};

// The channelKey() of every channel the subscriptions name.
inline QSet<QString> channelKeysOf(const QList<Subscription> &subscriptions)
{
    QSet<QString> keys;
    for (const Subscription &subscription : subscriptions) {
        for (const QString &channel : subscription.channels)
            keys.insert(channelKey(subscription.application, channel));
    }
    return keys;
}

// Client -> server
struct RegisterMessage
{
    QString clientId;
    QString user;  // may be empty: then the token's user
    QString token; // may be empty: then the token of the upgrade request
    QList<Subscription> subscriptions;
    int fetchLast = 0;
    std::optional<NotificationId> lastNotificationId;
    friend bool operator==(const RegisterMessage &, const RegisterMessage &) = default;
};

struct AckMessage
{
    QList<NotificationId> ids;
    friend bool operator==(const AckMessage &, const AckMessage &) = default;
};

struct PingMessage
{
    friend bool operator==(const PingMessage &, const PingMessage &) = default;
};

// Publishes one notification over the session (a session whose token may publish). `ref` is
// the client's own name for it, 1..MaxRefChars characters: the answer, `published` or an
// `error` frame, carries it back. Frames may be pipelined; answers are matched by `ref`.
struct PublishMessage
{
    static constexpr int MaxRefChars = 64;
    // Unanswered publishes a session may have before the server stops reading it.
    static constexpr int MaxUnanswered = 256;

    QString ref;
    Notification notification; // as in a POST /api/v1/notifications body
    friend bool operator==(const PublishMessage &, const PublishMessage &) = default;
};

using ClientMessage = std::variant<RegisterMessage, AckMessage, PingMessage, PublishMessage>;

// Server -> client
struct RegisteredMessage
{
    QString sessionId;
    int node = 0;
    QDateTime serverTime;
    friend bool operator==(const RegisteredMessage &, const RegisteredMessage &) = default;
};

struct NotificationMessage
{
    Notification notification;
    friend bool operator==(const NotificationMessage &, const NotificationMessage &) = default;
};

// After the backlog. `truncated`: the session missed more than one backlog carries (it got
// the newest of them); `missed` says how many in all, and the client fetches the older ones
// through REST (GET /api/v1/notifications).
struct BacklogDoneMessage
{
    bool truncated = false;
    qint64 missed = 0;
    friend bool operator==(const BacklogDoneMessage &, const BacklogDoneMessage &) = default;
};

struct AcknowledgedMessage
{
    QList<NotificationId> ids;
    friend bool operator==(const AcknowledgedMessage &, const AcknowledgedMessage &) = default;
};

struct DeletedMessage
{
    QList<NotificationId> ids;
    friend bool operator==(const DeletedMessage &, const DeletedMessage &) = default;
};

// Inbox (1.1): the user's unseen count changed; the seen cursor moved (every id up to
// `upTo` is seen, on whichever device); the user deleted everything up to `upTo`.
struct UnseenMessage
{
    qint64 count = 0;
    friend bool operator==(const UnseenMessage &, const UnseenMessage &) = default;
};

struct SeenMessage
{
    NotificationId upTo = 0;
    friend bool operator==(const SeenMessage &, const SeenMessage &) = default;
};

struct ClearedMessage
{
    NotificationId upTo = 0;
    friend bool operator==(const ClearedMessage &, const ClearedMessage &) = default;
};

// Delivery policy (1.1): the user's preferences changed (PUT /api/v1/preferences), as GET
// answers them.
struct PreferencesMessage
{
    QJsonObject data;
    friend bool operator==(const PreferencesMessage &, const PreferencesMessage &) = default;
};

// Delivery policy (1.1): the notifications a user's rules collected for one period of one
// schedule, sent once when the period ends. `count` is how many were collected; `items` the
// newest of them (at most MaxItems), oldest first.
struct DigestMessage
{
    static constexpr int MaxItems = 100;

    QString id;          // the digest's, stable: the same digest never comes with two ids
    QString period;      // the schedule: "hourly", "daily@08:00", "weekly@mon@08:00"
    QDateTime periodEnd; // when the period closed
    qint64 count = 0;
    qint64 channels = 0; // how many channels the `count` came from
    QList<Notification> items;
    friend bool operator==(const DigestMessage &, const DigestMessage &) = default;
};

struct PongMessage
{
    friend bool operator==(const PongMessage &, const PongMessage &) = default;
};

// The answer to a `publish` frame that was accepted: the id the notification got (a
// persistent one is committed by then).
struct PublishedMessage
{
    QString ref;
    NotificationId id = 0;
    friend bool operator==(const PublishedMessage &, const PublishedMessage &) = default;
};

struct ErrorMessage
{
    QString code; // an ErrorCode name, e.g. "bad_request"
    QString message;
    QString ref; // the `publish` frame refused, if it was one whose ref could be read
    friend bool operator==(const ErrorMessage &, const ErrorMessage &) = default;
};

using ServerMessage =
    std::variant<RegisteredMessage, NotificationMessage, BacklogDoneMessage, AcknowledgedMessage,
                 DeletedMessage, PongMessage, ErrorMessage, UnseenMessage, SeenMessage,
                 ClearedMessage, PreferencesMessage, DigestMessage, PublishedMessage>;

// WebSocket close codes of PROTOCOL.md.
namespace CloseCode {
constexpr int Normal = 1000;
constexpr int GoingAway = 1001;
constexpr int UnsupportedData = 1003;
constexpr int Policy = 1008;
constexpr int TooBig = 1009;
constexpr int TryAgainLater = 1013;
} // namespace CloseCode

} // namespace herald
