// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"
#include "protocol/messages.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>

#include <functional>
#include <optional>

namespace herald::syncd {

enum class TokenKind
{
    Admin,
    Producer,
    User,
    Feed // reads one user's Atom feed and nothing else
};
QString tokenKindName(TokenKind kind);
std::optional<TokenKind> tokenKindFromName(const QString &name);

// A channel with its application's name and both row ids: what the publish path keeps to skip
// the store (KnownChannels), read at start.
struct ChannelRow
{
    QString application;
    QString channel;
    qint64 applicationId = 0;
    qint64 channelId = 0;
};

// A token as stored: only the SHA-256 hash of the secret is kept.
struct TokenRecord
{
    qint64 id = 0;
    QByteArray hash; // hex SHA-256 of the secret
    TokenKind kind = TokenKind::User;
    QString application; // producer tokens
    QString user;        // user and feed tokens
    QString label;
    QDateTime createdAt;
};

// One revocation of a token (schema 3's token_revocations): revoking through the API or the
// command line and deleting the token's user all leave one, for every daemon to act on.
struct TokenRevocation
{
    qint64 seq = 0;
    qint64 tokenId = 0;
};

// What register asks for: the newest `limit` unacknowledged persistent notifications of the
// subscriptions visible to `user`, newer than `afterId` when set, returned oldest first.
// Unknown applications and channels match nothing; a subscription without channels stands
// for every channel of its application. An invalid `now` means the current time.
// Which notifications of one channel a user's query keeps, by code: the user's delivery
// preferences as the core resolved them for that channel (`off` ones are left out).
struct CodeFilter
{
    enum class Keep
    {
        All,
        None,
        Only,  // the codes listed
        AllBut // the codes listed
    };
    Keep keep = Keep::All;
    QStringList codes;

    bool keeps(const QString &code) const
    {
        switch (keep) {
        case Keep::All:
            return true;
        case Keep::None:
            return false;
        case Keep::Only:
            return codes.contains(code);
        case Keep::AllBut:
            return !codes.contains(code);
        }
        return true;
    }
    friend bool operator==(const CodeFilter &, const CodeFilter &) = default;
};
// Asked once per channel of a query (application, channel); unset: keep everything.
using CodeFilterFor = std::function<CodeFilter(const QString &, const QString &)>;

struct BacklogQuery
{
    QString user;
    QList<Subscription> subscriptions;
    int limit = 10;
    std::optional<NotificationId> afterId;
    QDateTime now; // expired notifications (expiresAt <= now) are left out
    // Above 0: also count everything that matches (ignoring `limit`), up to this many, when
    // the limit was reached (a resume says how much it missed).
    qint64 countUpTo = 0;
    CodeFilterFor codeFilter; // the user's `off` ones are never part of a backlog
    // When set, only these origins' notifications from the id given on (each origin's ids
    // from that one on, whatever afterId says); other origins' from otherOriginsFrom on, or
    // not at all when that is unset.
    std::optional<QMap<int, NotificationId>> fromIdByOrigin;
    std::optional<NotificationId> otherOriginsFrom;
};

// A register's backlog: `notifications` oldest first; `matching` counts everything the
// query matched (only when BacklogQuery::countUpTo asked for it and the limit was reached;
// otherwise the number of notifications).
struct Backlog
{
    QList<Notification> notifications;
    qint64 matching = 0;

    bool truncated() const { return matching > notifications.size(); }
};

// One round of removing expired notifications: what went (with where it was, so that the
// sessions that could see it are told), whether more expired ones wait for the next round, and
// when the next one still stored expires.
struct ExpiredPurge
{
    QList<Notification> removed; // in expiry order
    bool more = false;
    std::optional<qint64> nextExpiryMs; // of what remains; none when nothing expires
};

// GET /api/v1/notifications: newest first, visible to `user`; `beforeId` is the cursor.
// Expired ones are left out. An empty `user` (an admin's view) sees every notification,
// none of them acknowledged. `channel` counts only together with `application`.
struct ListQuery
{
    QString user;
    QString application; // empty: all
    QString channel;     // empty: all (of the application)
    bool unacknowledgedOnly = false;
    std::optional<NotificationId> beforeId;
    int limit = 20;
    QDateTime now;
};

struct ListedNotification
{
    Notification notification;
    bool acknowledged = false;
};

struct NotificationPage
{
    QList<ListedNotification> items;
    std::optional<NotificationId> next; // pass as beforeId for the next page; empty at the end
};

} // namespace herald::syncd
