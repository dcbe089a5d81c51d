// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/error.h"
#include "protocol/messages.h"
#include "store/inboxtypes.h"
#include "store/sqlconnection.h"
#include "store/storetypes.h"

#include <QDateTime>
#include <QList>
#include <QStringList>

#include <optional>

namespace herald::syncd {

// Each user's inbox (schema 4): what they follow, their seen cursor and cleared floor, the
// notifications they deleted for themselves, their rollup rules, and the inbox itself,
// computed on read from those and the notifications. Every read walks indexes backwards and
// stops after `cap` rows per followed channel, so its cost is bounded by the cap, not by the
// size of the store. Works on a connection it does not own, on that connection's thread.
class InboxQueries
{
public:
    explicit InboxQueries(SqlConnection &connection) : m_connection(connection) {}

    // Adds follows (a subscription without channels follows the whole application); true when
    // one of them is new.
    Result<bool> follow(const QString &user, const QList<Subscription> &subscriptions);
    Result<void> replaceFollows(const QString &user, const QList<Subscription> &subscriptions);
    Result<QList<Subscription>> follows(const QString &user);
    // The follows recorded at `sinceMs` or later (0: all of them), by any node of the database.
    Result<QList<FollowRow>> followsSince(qint64 sinceMs);
    // The users following `application`/`channel` (by name or by the whole application).
    Result<QStringList> followersOf(const QString &application, const QString &channel);

    Result<InboxState> state(const QString &user);
    // Move the cursor or floor up to `id` (never down); true when it moved.
    Result<bool> advanceSeen(const QString &user, NotificationId id);
    Result<bool> advanceCleared(const QString &user, NotificationId id);
    // Deletes `id` from `user`'s inbox; true when it was not deleted before.
    Result<bool> hide(const QString &user, NotificationId id);

    Result<InboxWindow> window(const QString &user, int cap, const QDateTime &now);
    // The ids of the window, newest first (cheaper than window() when bodies are not needed).
    Result<QList<NotificationId>> windowIds(const QString &user, int cap, const QDateTime &now);
    // Unseen: in the window, above the seen cursor and not acknowledged by the user (what a
    // person read is seen, wherever they read it), and not `off` by the user's `filter`.
    Result<qint64> unseen(const QString &user, int cap, const QDateTime &now,
                          const CodeFilterFor &filter = {});
    Result<InboxCounts> counts(const QString &user, int cap, const QDateTime &now,
                               const CodeFilterFor &filter = {});

    // Rollup rules. putRule: true when the rule is new.
    Result<bool> putRule(const QString &user, const StoredRule &rule);
    Result<std::optional<StoredRule>> rule(const QString &user, const QString &name);
    Result<QList<StoredRule>> rules(const QString &user); // by name
    Result<bool> deleteRule(const QString &user, const QString &name);

    // Everything of the user's inbox state (the user is being deleted).
    Result<void> forget(const QString &user);

private:
    Result<QList<qint64>> followedChannels(const QString &user);
    // The newest `cap` ids of the inbox above `floor`, hidden ones included, newest first.
    Result<QList<NotificationId>> eligibleIds(const QString &user, NotificationId floor, int cap,
                                              const QDateTime &now);
    Result<QSet<NotificationId>> hiddenFrom(const QString &user, NotificationId lowest);
    Result<QSet<NotificationId>> acknowledgedFrom(const QString &user, NotificationId lowest);
    Result<bool> advance(const QString &column, const QString &user, NotificationId id);

    SqlConnection &m_connection;
};

} // namespace herald::syncd
