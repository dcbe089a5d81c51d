#include "store/notificationqueries.h"

#include "model/timestamps.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

// SQLite allows at most 500 SELECTs in one compound statement; stay well below.
constexpr qsizetype ArmsPerQuery = 100;
constexpr qint64 IdLimit = qint64(1) << 53;

const QString Columns =
    u"n.id, a.id, a.name, c.id, c.name, n.code, n.title, n.message, n.priority, n.level, "
    "n.tags, n.url, n.actions, n.recipients, n.time_ms, n.expires_at_ms, n.node"_s;
const QString Joins = u" JOIN channels c ON c.id = n.channel_id "
                      "JOIN applications a ON a.id = c.application_id"_s;
constexpr int ColumnCount = 17;
// Bound: now, user; then user again for the receipt.
const QString NotExpired = u"(n.expires_at_ms IS NULL OR n.expires_at_ms > ?)"_s;
const QString VisibleTo = u"(n.has_recipients = 0 OR EXISTS (SELECT 1 FROM "
                          "notification_recipients r WHERE r.notification_id = n.id "
                          "AND r.user_name = ?))"_s;
const QString AcknowledgedBy = u"EXISTS (SELECT 1 FROM receipts k WHERE k.user_name = ? "
                               "AND k.notification_id = n.id)"_s;

QString toJsonText(const QJsonValue &value)
{
    const QJsonDocument document =
        value.isObject() ? QJsonDocument(value.toObject()) : QJsonDocument(value.toArray());
    return QString::fromUtf8(document.toJson(QJsonDocument::Compact));
}

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

QDateTime fromMs(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

qint64 nowMs(const QDateTime &now)
{
    return (now.isValid() ? now : utcNow()).toMSecsSinceEpoch();
}

Notification notificationFrom(const QSqlQuery &query)
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

// "SELECT id FROM (newest of channel 1) UNION ALL ... ORDER BY id DESC LIMIT ?": each arm
// walks the (channel_id, id) index backwards and stops after `scan` rows, so the cost is
// bounded by the scan limit, not by the size of the table. Binds per channel: channel id,
// [afterId], [minId], scan; then scan.
QString recentIdsSql(qsizetype channels, bool after, bool atLeast)
{
    QStringList arms;
    for (qsizetype i = 0; i < channels; ++i) {
        arms.append(u"SELECT id FROM (SELECT id FROM notifications WHERE channel_id = ?"_s +
                    (after ? u" AND id > ?"_s : QString()) +
                    (atLeast ? u" AND id >= ?"_s : QString()) +
                    u" ORDER BY id DESC LIMIT ?) AS s%1"_s.arg(i));
    }
    return arms.join(u" UNION ALL "_s) + u" ORDER BY id DESC LIMIT ?"_s;
}

QVariantList recentIdsValues(const QList<qint64> &channels, std::optional<NotificationId> after,
                             std::optional<NotificationId> atLeast, int scan)
{
    QVariantList values;
    for (qint64 channel : channels) {
        values.append(channel);
        if (after)
            values.append(*after);
        if (atLeast)
            values.append(*atLeast);
        values.append(scan);
    }
    values.append(scan);
    return values;
}

} // namespace

Result<void> NotificationQueries::insert(QList<Notification> &notifications,
                                         bool autoCreateChannels)
{
    return m_connection.atomically([&] { return insertAll(notifications, autoCreateChannels); });
}

Result<void> NotificationQueries::insertAll(QList<Notification> &notifications,
                                            bool autoCreateChannels)
{
    auto insert = m_connection.prepare(m_connection.dialect().insertOrIgnore(
        u"notifications"_s,
        u"id, channel_id, code, title, message, priority, level, tags, url, actions, "
        "recipients, has_recipients, time_ms, expires_at_ms, node"_s,
        u"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"_s, u"id"_s));
    if (!insert)
        return tl::unexpected(insert.error());
    auto insertRecipient = m_connection.prepare(m_connection.dialect().insertOrIgnore(
        u"notification_recipients"_s, u"notification_id, user_name"_s, u"?, ?"_s,
        u"notification_id, user_name"_s));
    if (!insertRecipient)
        return tl::unexpected(insertRecipient.error());

    QHash<QString, qint64> applicationIds;
    QHash<QPair<qint64, QString>, qint64> channelIds;
    for (qsizetype i = 0; i < notifications.size(); ++i) {
        Notification &n = notifications[i];
        const QString path = u"[%1]."_s.arg(i);

        auto application = applicationIds.constFind(n.application);
        if (application == applicationIds.cend()) {
            auto found = m_catalog.applicationId(n.application);
            if (!found)
                return tl::unexpected(found.error());
            if (!*found) {
                return fail(ErrorCode::NotFound,
                            path + u"application: unknown application '%1'"_s.arg(n.application));
            }
            application = applicationIds.insert(n.application, **found);
        }
        n.applicationId = *application;

        const QPair<qint64, QString> channelKey(n.applicationId, n.channel);
        auto channel = channelIds.constFind(channelKey);
        if (channel == channelIds.cend()) {
            auto found = m_catalog.channelId(n.applicationId, n.channel, autoCreateChannels);
            if (!found)
                return tl::unexpected(found.error());
            if (!*found) {
                return fail(ErrorCode::NotFound,
                            path + u"channel: unknown channel '%1' of application '%2'"_s.arg(
                                       n.channel, n.application));
            }
            channel = channelIds.insert(channelKey, **found);
        }
        n.channelId = *channel;

        if (!n.persistent)
            continue;
        if (n.id <= 0 || n.id >= IdLimit)
            return fail(ErrorCode::BadRequest, path + u"id: %1 is not in 1..2^53-1"_s.arg(n.id));
        if (!n.time.isValid())
            return fail(ErrorCode::BadRequest, path + u"time: missing"_s);

        QStringList recipients = n.recipients;
        recipients.removeDuplicates();
        const QVariant expires =
            n.expiresAt ? QVariant(n.expiresAt->toMSecsSinceEpoch()) : QVariant();
        if (auto done = m_connection.exec(
                *insert, {n.id, n.channelId, n.code, n.title, n.message, priorityName(n.priority),
                          n.level, tagsToJson(n.tags), n.url, actionsToJson(n.actions),
                          recipientsToJson(n.recipients), n.recipients.isEmpty() ? 0 : 1,
                          n.time.toMSecsSinceEpoch(), expires, n.node});
            !done)
            return done;
        if (insert->numRowsAffected() == 0) {
            return fail(ErrorCode::Conflict,
                        path + u"id: notification %1 exists already"_s.arg(n.id));
        }
        for (const QString &user : std::as_const(recipients)) {
            if (auto done = m_connection.exec(*insertRecipient, {n.id, user}); !done)
                return done;
        }
    }
    return {};
}

Result<std::optional<Notification>> NotificationQueries::find(NotificationId id)
{
    auto query = m_connection.run(
        u"SELECT "_s + Columns + u" FROM notifications n"_s + Joins + u" WHERE n.id = ?"_s, {id});
    if (!query)
        return tl::unexpected(query.error());
    if (!query->next())
        return std::optional<Notification>();
    return std::optional<Notification>(notificationFrom(*query));
}

Result<bool> NotificationQueries::remove(NotificationId id)
{
    // Recipients and receipts follow by ON DELETE CASCADE.
    auto query = m_connection.run(u"DELETE FROM notifications WHERE id = ?"_s, {id});
    if (!query)
        return tl::unexpected(query.error());
    return query->numRowsAffected() > 0;
}

Result<QList<qint64>>
NotificationQueries::subscribedChannels(const QList<Subscription> &subscriptions)
{
    // Named channels one by one through the (application, name) index: an application may
    // have thousands of channels, and a register names a few.
    auto all = m_connection.prepare(u"SELECT c.id FROM channels c JOIN applications a "
                                    "ON a.id = c.application_id WHERE a.name = ?"_s);
    if (!all)
        return tl::unexpected(all.error());
    auto named =
        m_connection.prepare(u"SELECT c.id FROM channels c JOIN applications a "
                             "ON a.id = c.application_id WHERE a.name = ? AND c.name = ?"_s);
    if (!named)
        return tl::unexpected(named.error());
    QList<qint64> ids;
    QSet<qint64> seen;
    auto collect = [&](QSqlQuery &query, const QVariantList &values) -> Result<void> {
        if (auto done = m_connection.exec(query, values); !done)
            return done;
        while (query.next()) {
            const qint64 id = query.value(0).toLongLong();
            if (!seen.contains(id)) {
                seen.insert(id);
                ids.append(id);
            }
        }
        return {};
    };
    for (const Subscription &subscription : subscriptions) {
        // No channel named: every channel of the application.
        if (subscription.channels.isEmpty()) {
            if (auto done = collect(*all, {subscription.application}); !done)
                return tl::unexpected(done.error());
            continue;
        }
        for (const QString &channel : subscription.channels) {
            if (auto done = collect(*named, {subscription.application, channel}); !done)
                return tl::unexpected(done.error());
        }
    }
    return ids;
}

Result<QList<NotificationId>> NotificationQueries::newestIds(const QList<qint64> &channelIds,
                                                             std::optional<NotificationId> afterId,
                                                             int limit)
{
    QList<NotificationId> ids;
    for (qsizetype first = 0; first < channelIds.size(); first += ArmsPerQuery) {
        const QList<qint64> chunk = channelIds.mid(first, ArmsPerQuery);
        auto query = m_connection.run(recentIdsSql(chunk.size(), bool(afterId), false),
                                      recentIdsValues(chunk, afterId, std::nullopt, limit));
        if (!query)
            return tl::unexpected(query.error());
        while (query->next())
            ids.append(query->value(0).toLongLong());
    }
    std::sort(ids.begin(), ids.end(), std::greater<>());
    if (ids.size() > limit)
        ids.resize(limit);
    return ids;
}

Result<QList<Notification>> NotificationQueries::backlog(const BacklogQuery &query, int scanLimit)
{
    if (query.limit <= 0 || scanLimit <= 0)
        return QList<Notification>();
    auto channelIds = subscribedChannels(query.subscriptions);
    if (!channelIds)
        return tl::unexpected(channelIds.error());
    if (channelIds->isEmpty())
        return QList<Notification>();

    // With many channels the newest `scanLimit` rows are found chunk by chunk first; the
    // oldest of them then bounds every chunk's query below.
    if (channelIds->size() > ArmsPerQuery) {
        auto newest = newestIds(*channelIds, query.afterId, scanLimit);
        if (!newest)
            return tl::unexpected(newest.error());
        if (newest->isEmpty())
            return QList<Notification>();
        std::optional<NotificationId> atLeast;
        if (newest->size() == scanLimit)
            atLeast = newest->last();
        auto found = visibleUnacknowledged(*channelIds, query, scanLimit, atLeast);
        if (!found)
            return tl::unexpected(found.error());
        return oldestFirst(std::move(*found), query.limit);
    }

    // Few channels: look at the newest few rows of each first, and further back only when
    // those do not settle the answer (most users have acknowledged little, so they do).
    int scan = std::min(scanLimit, std::max(64, query.limit * 4));
    for (;;) {
        auto found = visibleUnacknowledged(*channelIds, query, scan, std::nullopt);
        if (!found)
            return tl::unexpected(found.error());
        if (scan >= scanLimit)
            return oldestFirst(std::move(*found), query.limit);
        auto cutoff = scanCutoff(*channelIds, query.afterId, scan);
        if (!cutoff)
            return tl::unexpected(cutoff.error());
        // Settled when no channel has rows beyond the scan, or the `limit` newest found are
        // all newer than every row beyond it.
        std::sort(found->begin(), found->end(),
                  [](const Notification &a, const Notification &b) { return a.id > b.id; });
        if (!*cutoff || (found->size() >= query.limit && found->at(query.limit - 1).id > **cutoff))
            return oldestFirst(std::move(*found), query.limit);
        scan = std::min(scanLimit, scan * 8);
    }
}

Result<QList<Notification>>
NotificationQueries::visibleUnacknowledged(const QList<qint64> &channelIds,
                                           const BacklogQuery &query, int scan,
                                           std::optional<NotificationId> atLeast)
{
    QList<Notification> result;
    for (qsizetype first = 0; first < channelIds.size(); first += ArmsPerQuery) {
        const QList<qint64> chunk = channelIds.mid(first, ArmsPerQuery);
        const QString sql = u"SELECT "_s + Columns + u" FROM ("_s +
                            recentIdsSql(chunk.size(), bool(query.afterId), bool(atLeast)) +
                            u") AS recent JOIN notifications n ON n.id = recent.id"_s + Joins +
                            u" WHERE "_s + NotExpired + u" AND "_s + VisibleTo + u" AND NOT "_s +
                            AcknowledgedBy + u" ORDER BY n.id DESC LIMIT ?"_s;
        QVariantList values = recentIdsValues(chunk, query.afterId, atLeast, scan);
        values << nowMs(query.now) << query.user << query.user << query.limit;
        auto rows = m_connection.run(sql, values);
        if (!rows)
            return tl::unexpected(rows.error());
        while (rows->next())
            result.append(notificationFrom(*rows));
    }
    return result;
}

Result<std::optional<NotificationId>>
NotificationQueries::scanCutoff(const QList<qint64> &channelIds,
                                std::optional<NotificationId> afterId, int scan)
{
    // The newest row each channel has beyond its `scan` newest (after afterId): the first
    // one a scan of that size did not look at.
    auto beyond =
        m_connection.prepare(u"SELECT id FROM notifications WHERE channel_id = ? AND id > ? "
                             "ORDER BY id DESC LIMIT 1 OFFSET ?"_s);
    if (!beyond)
        return tl::unexpected(beyond.error());
    std::optional<NotificationId> cutoff;
    for (qint64 channel : channelIds) {
        if (auto done = m_connection.exec(*beyond, {channel, afterId.value_or(0), scan}); !done)
            return tl::unexpected(done.error());
        if (beyond->next()) {
            const NotificationId id = beyond->value(0).toLongLong();
            cutoff = std::max(cutoff.value_or(id), id);
        }
        beyond->finish();
    }
    return cutoff;
}

QList<Notification> NotificationQueries::oldestFirst(QList<Notification> found, int limit)
{
    // Newest `limit`, handed out oldest first.
    std::sort(found.begin(), found.end(),
              [](const Notification &a, const Notification &b) { return a.id < b.id; });
    if (found.size() > limit)
        found.remove(0, found.size() - limit);
    return found;
}

Result<NotificationPage> NotificationQueries::list(const ListQuery &query)
{
    NotificationPage page;
    if (query.limit <= 0)
        return page;
    // Only fixed SQL fragments are joined; every value is bound.
    QString where = NotExpired;
    QVariantList values{query.user, nowMs(query.now)};
    if (!query.application.isEmpty()) {
        where += u" AND a.name = ?"_s;
        values.append(query.application);
        if (!query.channel.isEmpty()) {
            where += u" AND c.name = ?"_s;
            values.append(query.channel);
        }
    }
    if (query.beforeId) {
        where += u" AND n.id < ?"_s;
        values.append(*query.beforeId);
    }
    if (!query.user.isEmpty()) {
        where += u" AND "_s + VisibleTo;
        values.append(query.user);
        if (query.unacknowledgedOnly) {
            where += u" AND NOT "_s + AcknowledgedBy;
            values.append(query.user);
        }
    }
    values.append(query.limit + 1); // one more tells whether a next page exists
    auto rows = m_connection.run(u"SELECT "_s + Columns + u", "_s + AcknowledgedBy +
                                     u" FROM notifications n"_s + Joins + u" WHERE "_s + where +
                                     u" ORDER BY n.id DESC LIMIT ?"_s,
                                 values);
    if (!rows)
        return tl::unexpected(rows.error());
    while (rows->next()) {
        if (page.items.size() == query.limit) {
            page.next = page.items.last().notification.id;
            break;
        }
        page.items.append(
            ListedNotification{notificationFrom(*rows), rows->value(ColumnCount).toBool()});
    }
    return page;
}

Result<qint64> NotificationQueries::count()
{
    auto query = m_connection.run(u"SELECT COUNT(*) FROM notifications"_s);
    if (!query)
        return tl::unexpected(query.error());
    return query->next() ? query->value(0).toLongLong() : 0;
}

Result<QList<NotificationId>> NotificationQueries::purgeExpired(const QDateTime &now)
{
    QList<NotificationId> ids;
    auto done = m_connection.atomically([&]() -> Result<void> {
        const qint64 ms = nowMs(now);
        auto expired = m_connection.run(
            u"SELECT id FROM notifications WHERE expires_at_ms <= ? ORDER BY id"_s, {ms});
        if (!expired)
            return tl::unexpected(expired.error());
        while (expired->next())
            ids.append(expired->value(0).toLongLong());
        expired->finish();
        if (ids.isEmpty())
            return {};
        auto removed =
            m_connection.run(u"DELETE FROM notifications WHERE expires_at_ms <= ?"_s, {ms});
        if (!removed)
            return tl::unexpected(removed.error());
        return {};
    });
    if (!done)
        return tl::unexpected(done.error());
    return ids;
}

Result<QList<NotificationId>> NotificationQueries::acknowledge(const QString &user,
                                                               const QList<NotificationId> &ids,
                                                               const QDateTime &time,
                                                               QList<NotificationId> *added)
{
    QList<NotificationId> acknowledged;
    auto done = m_connection.atomically([&]() -> Result<void> {
        auto visible = m_connection.prepare(u"SELECT 1 FROM notifications n WHERE n.id = ? AND "_s +
                                            VisibleTo);
        if (!visible)
            return tl::unexpected(visible.error());
        // A second acknowledgement keeps the time of the first.
        auto insert = m_connection.prepare(m_connection.dialect().insertOrIgnore(
            u"receipts"_s, u"user_name, notification_id, time_ms"_s, u"?, ?, ?"_s,
            u"user_name, notification_id"_s));
        if (!insert)
            return tl::unexpected(insert.error());
        const qint64 ms = nowMs(time);
        QSet<NotificationId> seen;
        for (NotificationId id : ids) {
            if (seen.contains(id))
                continue;
            seen.insert(id);
            if (auto checked = m_connection.exec(*visible, {id, user}); !checked)
                return checked;
            const bool exists = visible->next();
            visible->finish();
            if (!exists)
                continue;
            if (auto inserted = m_connection.exec(*insert, {user, id, ms}); !inserted)
                return inserted;
            if (added && insert->numRowsAffected() > 0)
                added->append(id);
            acknowledged.append(id);
        }
        return {};
    });
    if (!done)
        return tl::unexpected(done.error());
    return acknowledged;
}

Result<QList<Receipt>> NotificationQueries::receipts(const QString &user)
{
    auto query = m_connection.run(u"SELECT notification_id, time_ms FROM receipts "
                                  "WHERE user_name = ? ORDER BY notification_id"_s,
                                  {user});
    if (!query)
        return tl::unexpected(query.error());
    QList<Receipt> result;
    while (query->next())
        result.append(
            Receipt{user, query->value(0).toLongLong(), fromMs(query->value(1).toLongLong())});
    return result;
}

} // namespace herald::syncd
