// SPDX-License-Identifier: Apache-2.0
#include "store/inboxqueries.h"

#include "store/codefiltering.h"
#include "store/notificationrows.h"

#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace herald::syncd {

using NotificationRows::AcknowledgedBy;
using NotificationRows::ColumnCount;
using NotificationRows::Columns;
using NotificationRows::fromRow;
using NotificationRows::Joins;
using NotificationRows::NotExpired;
using NotificationRows::nowMs;
using NotificationRows::VisibleTo;

namespace {

// SQLite allows at most 500 SELECTs in one compound statement; stay well below.
constexpr qsizetype ArmsPerQuery = 100;
// Rows are read by id in statements of this many binds (unused ones bind 0, never an id),
// so that one prepared statement serves every window.
constexpr qsizetype IdsPerRead = 100;

// The newest `cap` inbox ids of some followed channels and, once, of the user's addressed
// notifications: each arm walks an index backwards from the newest and stops after `cap`
// rows that qualify. Binds per channel: channel, floor, now, user, cap; the addressed arm:
// user, floor, now, cap; then cap.
QString eligibleIdsSql(qsizetype channels, bool addressed)
{
    QStringList arms;
    for (qsizetype i = 0; i < channels; ++i)
        arms.append(u"SELECT id FROM (SELECT n.id FROM notifications n WHERE n.channel_id = ? "
                    "AND n.id > ? AND "_s +
                    NotExpired + u" AND "_s + VisibleTo +
                    u" ORDER BY n.id DESC LIMIT ?) AS f%1"_s.arg(i));
    if (addressed)
        arms.append(u"SELECT id FROM (SELECT r.notification_id AS id FROM "
                    "notification_recipients r JOIN notifications n ON n.id = r.notification_id "
                    "WHERE r.user_name = ? AND r.notification_id > ? AND "_s +
                    NotExpired + u" ORDER BY r.notification_id DESC LIMIT ?) AS addressed"_s);
    return arms.join(u" UNION "_s) + u" ORDER BY id DESC LIMIT ?"_s;
}

// The channels `user` follows, as a subquery: named follows through the (application_id,
// name) index, whole-application follows through the application's channels. Binds: user, user.
const QString FollowedChannelIds =
    u"SELECT c.id FROM inbox_follows f JOIN applications a ON a.name = f.application "
    "JOIN channels c ON c.application_id = a.id AND c.name = f.channel "
    "WHERE f.user_name = ? AND f.channel <> '' UNION "
    "SELECT c.id FROM inbox_follows f JOIN applications a ON a.name = f.application "
    "JOIN channels c ON c.application_id = a.id WHERE f.user_name = ? AND f.channel = ''"_s;

// The newest `cap` ids of many followed channels at once: the primary key walked backwards,
// each row kept when its channel is followed (the unary plus keeps SQLite from walking the
// channel index instead and sorting everything). Costs about cap rows when the followed
// channels carry much of the traffic, which is when there are many of them.
// Binds: user, user, floor, now, user, cap.
QString followedScanSql()
{
    return u"SELECT n.id FROM notifications n WHERE +n.channel_id IN ("_s + FollowedChannelIds +
           u") AND n.id > ? AND "_s + NotExpired + u" AND "_s + VisibleTo +
           u" ORDER BY n.id DESC LIMIT ?"_s;
}

// Built on first use: the column lists it joins are globals of another translation unit.
const QString &rowsByIdSql()
{
    static const QString sql = []() -> QString { // a QString, not a builder of temporaries
        QStringList marks(IdsPerRead, u"?"_s);
        return u"SELECT "_s + Columns + u", "_s + AcknowledgedBy + u" FROM notifications n"_s +
               Joins + u" WHERE n.id IN ("_s + marks.join(u',') + u")"_s;
    }();
    return sql;
}

} // namespace

Result<bool> InboxQueries::follow(const QString &user, const QList<Subscription> &subscriptions)
{
    auto insert = m_connection.prepare(m_connection.dialect().insertOrIgnore(
        u"inbox_follows"_s, u"user_name, application, channel, since_ms"_s, u"?, ?, ?, ?"_s,
        u"user_name, application, channel"_s));
    if (!insert)
        return tl::unexpected(insert.error());
    // Every register calls this: each follow is one indexed insert that may be ignored, never
    // a read of everything the user follows (one user may hold thousands of sessions).
    bool added = false;
    const qint64 sinceMs = QDateTime::currentMSecsSinceEpoch();
    auto done = m_connection.atomically([&]() -> Result<void> {
        for (const Subscription &subscription : subscriptions) {
            const QStringList channels = subscription.channels.isEmpty()
                                             ? QStringList{QString(u""_s)}
                                             : subscription.channels;
            for (const QString &channel : channels) {
                if (auto done = m_connection.exec(
                        *insert, {user, subscription.application, channel, sinceMs});
                    !done)
                    return done;
                added = added || insert->numRowsAffected() > 0;
            }
        }
        return {};
    });
    if (!done)
        return tl::unexpected(done.error());
    return added;
}

Result<void> InboxQueries::replaceFollows(const QString &user,
                                          const QList<Subscription> &subscriptions)
{
    return m_connection.atomically([&]() -> Result<void> {
        if (auto cleared =
                m_connection.run(u"DELETE FROM inbox_follows WHERE user_name = ?"_s, {user});
            !cleared)
            return tl::unexpected(cleared.error());
        if (auto followed = follow(user, subscriptions); !followed)
            return tl::unexpected(followed.error());
        return {};
    });
}

Result<QList<Subscription>> InboxQueries::follows(const QString &user)
{
    auto query = m_connection.run(u"SELECT application, channel FROM inbox_follows "
                                  "WHERE user_name = ? ORDER BY application, channel"_s,
                                  {user});
    if (!query)
        return tl::unexpected(query.error());
    // '' sorts first: a follow of the whole application stands for all of its channels.
    QList<Subscription> result;
    bool whole = false;
    while (query->next()) {
        const QString application = query->value(0).toString();
        const QString channel = query->value(1).toString();
        if (result.isEmpty() || result.last().application != application) {
            result.append(Subscription{application, {}});
            whole = channel.isEmpty();
        }
        if (!whole)
            result.last().channels.append(channel);
    }
    return result;
}

Result<QList<FollowRow>> InboxQueries::followsSince(qint64 sinceMs)
{
    auto query = m_connection.run(
        u"SELECT user_name, application, channel, since_ms FROM inbox_follows WHERE since_ms >= ?"_s,
        {sinceMs});
    if (!query)
        return tl::unexpected(query.error());
    QList<FollowRow> rows;
    while (query->next())
        rows.append({query->value(0).toString(), query->value(1).toString(),
                     query->value(2).toString(), query->value(3).toLongLong()});
    return rows;
}

Result<QStringList> InboxQueries::followersOf(const QString &application, const QString &channel)
{
    auto query = m_connection.run(u"SELECT DISTINCT user_name FROM inbox_follows "
                                  "WHERE application = ? AND channel IN (?, '')"_s,
                                  {application, channel});
    if (!query)
        return tl::unexpected(query.error());
    QStringList users;
    while (query->next())
        users.append(query->value(0).toString());
    return users;
}

Result<InboxState> InboxQueries::state(const QString &user)
{
    auto query = m_connection.run(
        u"SELECT seen_id, cleared_id FROM inbox_state WHERE user_name = ?"_s, {user});
    if (!query)
        return tl::unexpected(query.error());
    InboxState state;
    if (query->next())
        state = {query->value(0).toLongLong(), query->value(1).toLongLong()};
    return state;
}

Result<bool> InboxQueries::advance(const QString &column, const QString &user, NotificationId id)
{
    auto before = state(user);
    if (!before)
        return tl::unexpected(before.error());
    const NotificationId current = column == u"seen_id" ? before->seenId : before->clearedId;
    if (id <= current)
        return false;
    auto query = m_connection.run(
        u"INSERT INTO inbox_state (user_name, %1) VALUES (?, ?) ON CONFLICT (user_name) DO "
        "UPDATE SET %1 = CASE WHEN excluded.%1 > inbox_state.%1 THEN excluded.%1 ELSE "
        "inbox_state.%1 END"_s.arg(column),
        {user, id});
    if (!query)
        return tl::unexpected(query.error());
    return true;
}

Result<bool> InboxQueries::advanceSeen(const QString &user, NotificationId id)
{
    return advance(u"seen_id"_s, user, id);
}

Result<bool> InboxQueries::advanceCleared(const QString &user, NotificationId id)
{
    auto moved = advance(u"cleared_id"_s, user, id);
    if (!moved || !*moved)
        return moved;
    // What the floor covers needs no row of its own any more.
    auto purged = m_connection.run(
        u"DELETE FROM inbox_hidden WHERE user_name = ? AND notification_id <= ?"_s, {user, id});
    if (!purged)
        return tl::unexpected(purged.error());
    return true;
}

Result<bool> InboxQueries::hide(const QString &user, NotificationId id)
{
    // Under the cleared floor it is deleted already, and a row there would outlive the purge
    // (a relayed delete may come after the floor that covers it).
    auto current = state(user);
    if (!current)
        return tl::unexpected(current.error());
    if (id <= current->clearedId)
        return false;
    auto insert = m_connection.run(
        m_connection.dialect().insertOrIgnore(u"inbox_hidden"_s, u"user_name, notification_id"_s,
                                              u"?, ?"_s, u"user_name, notification_id"_s),
        {user, id});
    if (!insert)
        return tl::unexpected(insert.error());
    return insert->numRowsAffected() > 0;
}

Result<QList<qint64>> InboxQueries::followedChannels(const QString &user)
{
    // Two arms, so that a named follow is one lookup in the (application_id, name) index
    // rather than a walk over every channel of a large application.
    auto query = m_connection.run(FollowedChannelIds + u" ORDER BY 1"_s, {user, user});
    if (!query)
        return tl::unexpected(query.error());
    QList<qint64> ids;
    while (query->next())
        ids.append(query->value(0).toLongLong());
    return ids;
}

Result<QList<NotificationId>> InboxQueries::eligibleIds(const QString &user, NotificationId floor,
                                                        int cap, const QDateTime &now)
{
    auto channels = followedChannels(user);
    if (!channels)
        return tl::unexpected(channels.error());
    const qint64 nowValue = nowMs(now);
    QList<NotificationId> ids;
    // One arm per channel costs up to `cap` rows each: past one statement's worth of arms,
    // one walk of the newest notifications over all followed channels is cheaper.
    if (channels->size() > ArmsPerQuery) {
        auto scan = m_connection.run(followedScanSql(), {user, user, floor, nowValue, user, cap});
        if (!scan)
            return tl::unexpected(scan.error());
        while (scan->next())
            ids.append(scan->value(0).toLongLong());
        channels->clear(); // the loop below then reads the addressed arm alone
    }
    // The addressed arm goes with the first chunk; a user who follows nothing still has it.
    for (qsizetype first = 0; first == 0 || first < channels->size(); first += ArmsPerQuery) {
        const QList<qint64> chunk = channels->mid(first, ArmsPerQuery);
        QVariantList values;
        for (qint64 channel : chunk)
            values << channel << floor << nowValue << user << cap;
        if (first == 0)
            values << user << floor << nowValue << cap;
        values << cap;
        auto query = m_connection.run(eligibleIdsSql(chunk.size(), first == 0), values);
        if (!query)
            return tl::unexpected(query.error());
        while (query->next())
            ids.append(query->value(0).toLongLong());
    }
    std::sort(ids.begin(), ids.end(), std::greater<>());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    if (ids.size() > cap)
        ids.resize(cap);
    return ids;
}

Result<QSet<NotificationId>> InboxQueries::hiddenFrom(const QString &user, NotificationId lowest)
{
    auto query = m_connection.run(u"SELECT notification_id FROM inbox_hidden WHERE user_name = ? "
                                  "AND notification_id >= ?"_s,
                                  {user, lowest});
    if (!query)
        return tl::unexpected(query.error());
    QSet<NotificationId> hidden;
    while (query->next())
        hidden.insert(query->value(0).toLongLong());
    return hidden;
}

Result<QList<NotificationId>> InboxQueries::windowIds(const QString &user, int cap,
                                                      const QDateTime &now)
{
    auto current = state(user);
    if (!current)
        return tl::unexpected(current.error());
    // The cap counts deleted ones too: deleting some never brings older ones back.
    auto ids = eligibleIds(user, current->clearedId, cap, now);
    if (!ids || ids->isEmpty())
        return ids;
    auto hidden = hiddenFrom(user, ids->last());
    if (!hidden)
        return tl::unexpected(hidden.error());
    ids->removeIf([&](NotificationId id) { return hidden->contains(id); });
    return ids;
}

Result<InboxWindow> InboxQueries::window(const QString &user, int cap, const QDateTime &now)
{
    InboxWindow window;
    auto current = state(user);
    if (!current)
        return tl::unexpected(current.error());
    window.state = *current;
    auto ids = windowIds(user, cap, now);
    if (!ids)
        return tl::unexpected(ids.error());
    auto read = m_connection.prepare(rowsByIdSql());
    if (!read)
        return tl::unexpected(read.error());
    QHash<NotificationId, InboxEntry> byId;
    for (qsizetype first = 0; first < ids->size(); first += IdsPerRead) {
        // AcknowledgedBy's user comes first in the statement, then the ids.
        QVariantList values{user};
        for (qsizetype i = first; i < first + IdsPerRead; ++i)
            values.append(i < ids->size() ? ids->at(i) : NotificationId(0));
        if (auto done = m_connection.exec(*read, values); !done)
            return tl::unexpected(done.error());
        while (read->next()) {
            InboxEntry entry{fromRow(*read), false, read->value(ColumnCount).toBool()};
            entry.seen = entry.notification.id <= current->seenId;
            byId.insert(entry.notification.id, std::move(entry));
        }
        read->finish();
    }
    window.entries.reserve(ids->size());
    for (NotificationId id : *ids) {
        // A row deleted between the two reads is simply not there.
        if (auto it = byId.find(id); it != byId.end())
            window.entries.append(std::move(*it));
    }
    return window;
}

Result<qint64> InboxQueries::unseen(const QString &user, int cap, const QDateTime &now,
                                    const CodeFilterFor &filter)
{
    auto current = state(user);
    if (!current)
        return tl::unexpected(current.error());
    // Unseen ones are the newest of the window, so the cap bounds them the same way.
    auto ids = eligibleIds(user, std::max(current->seenId, current->clearedId), cap, now);
    if (!ids)
        return tl::unexpected(ids.error());
    if (ids->isEmpty())
        return 0;
    auto hidden = hiddenFrom(user, ids->last());
    if (!hidden)
        return tl::unexpected(hidden.error());
    auto acknowledged = acknowledgedFrom(user, ids->last());
    if (!acknowledged)
        return tl::unexpected(acknowledged.error());
    ids->removeIf(
        [&](NotificationId id) { return hidden->contains(id) || acknowledged->contains(id); });
    if (!filter || ids->isEmpty())
        return ids->size();
    auto kept = keptByCodeFilter(m_connection, *ids, filter); // `off` ones are never unseen
    if (!kept)
        return tl::unexpected(kept.error());
    return kept->size();
}

Result<InboxCounts> InboxQueries::counts(const QString &user, int cap, const QDateTime &now,
                                         const CodeFilterFor &filter)
{
    auto current = state(user);
    if (!current)
        return tl::unexpected(current.error());
    auto ids = windowIds(user, cap, now);
    if (!ids)
        return tl::unexpected(ids.error());
    InboxCounts counts;
    if (ids->isEmpty())
        return counts;
    auto acknowledged = acknowledgedFrom(user, ids->last());
    if (!acknowledged)
        return tl::unexpected(acknowledged.error());
    std::optional<QSet<NotificationId>> kept; // unset: every one counts
    if (filter) {
        auto filtered = keptByCodeFilter(m_connection, *ids, filter);
        if (!filtered)
            return tl::unexpected(filtered.error());
        kept = std::move(*filtered);
    }
    for (NotificationId id : *ids) {
        const bool read = acknowledged->contains(id);
        const bool off = kept && !kept->contains(id);
        counts.unseen += id > current->seenId && !read && !off ? 1 : 0;
        counts.unacknowledged += read ? 0 : 1;
    }
    return counts;
}

Result<QSet<NotificationId>> InboxQueries::acknowledgedFrom(const QString &user,
                                                            NotificationId lowest)
{
    auto receipts = m_connection.run(u"SELECT notification_id FROM receipts WHERE user_name = ? "
                                     "AND notification_id >= ?"_s,
                                     {user, lowest});
    if (!receipts)
        return tl::unexpected(receipts.error());
    QSet<NotificationId> acknowledged;
    while (receipts->next())
        acknowledged.insert(receipts->value(0).toLongLong());
    return acknowledged;
}

Result<bool> InboxQueries::putRule(const QString &user, const StoredRule &rule)
{
    auto existing = this->rule(user, rule.name);
    if (!existing)
        return tl::unexpected(existing.error());
    auto query = existing->has_value()
                     ? m_connection.run(u"UPDATE inbox_rules SET rule = ? WHERE user_name = ? "
                                        "AND name = ?"_s,
                                        {rule.json, user, rule.name})
                     : m_connection.run(u"INSERT INTO inbox_rules (user_name, name, rule) "
                                        "VALUES (?, ?, ?)"_s,
                                        {user, rule.name, rule.json});
    if (!query)
        return tl::unexpected(query.error());
    return !existing->has_value();
}

Result<std::optional<StoredRule>> InboxQueries::rule(const QString &user, const QString &name)
{
    auto query = m_connection.run(
        u"SELECT rule FROM inbox_rules WHERE user_name = ? AND name = ?"_s, {user, name});
    if (!query)
        return tl::unexpected(query.error());
    if (!query->next())
        return std::optional<StoredRule>();
    return std::optional<StoredRule>(StoredRule{name, query->value(0).toString()});
}

Result<QList<StoredRule>> InboxQueries::rules(const QString &user)
{
    auto query = m_connection.run(
        u"SELECT name, rule FROM inbox_rules WHERE user_name = ? ORDER BY name"_s, {user});
    if (!query)
        return tl::unexpected(query.error());
    QList<StoredRule> rules;
    while (query->next())
        rules.append(StoredRule{query->value(0).toString(), query->value(1).toString()});
    return rules;
}

Result<bool> InboxQueries::deleteRule(const QString &user, const QString &name)
{
    auto query = m_connection.run(u"DELETE FROM inbox_rules WHERE user_name = ? AND name = ?"_s,
                                  {user, name});
    if (!query)
        return tl::unexpected(query.error());
    return query->numRowsAffected() > 0;
}

Result<void> InboxQueries::forget(const QString &user)
{
    for (const QString &table :
         {u"inbox_follows"_s, u"inbox_state"_s, u"inbox_hidden"_s, u"inbox_rules"_s}) {
        auto query = m_connection.run(u"DELETE FROM %1 WHERE user_name = ?"_s.arg(table), {user});
        if (!query)
            return tl::unexpected(query.error());
    }
    return {};
}

} // namespace herald::syncd
