// SPDX-License-Identifier: Apache-2.0
#include "store/notificationqueries.h"

#include "store/notificationrows.h"

using namespace Qt::StringLiterals;

namespace herald::syncd {

using NotificationRows::AcknowledgedBy;
using NotificationRows::actionsToJson;
using NotificationRows::ColumnCount;
using NotificationRows::Columns;
using NotificationRows::fromRow;
using NotificationRows::Joins;
using NotificationRows::NotExpired;
using NotificationRows::nowMs;
using NotificationRows::recipientsToJson;
using NotificationRows::tagsToJson;
using NotificationRows::VisibleTo;

namespace {

constexpr qint64 IdLimit = qint64(1) << 53;

} // namespace

NotificationQueries::NotificationQueries(SqlConnection &connection, CatalogQueries &catalog)
    : m_connection(connection), m_catalog(catalog),
      m_insertNotification(connection.dialect().insertOrIgnore(
          u"notifications"_s,
          u"id, channel_id, code, title, message, priority, level, tags, url, actions, "
          "recipients, has_recipients, time_ms, expires_at_ms, node"_s,
          u"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"_s, u"id"_s)),
      m_insertRecipient(connection.dialect().insertOrIgnore(
          u"notification_recipients"_s, u"notification_id, user_name"_s, u"?, ?"_s,
          u"notification_id, user_name"_s))
{
}

Result<void> NotificationQueries::insert(QList<Notification> &notifications,
                                         bool autoCreateChannels)
{
    return m_connection.atomically([&] { return insertAll(notifications, autoCreateChannels); });
}

Result<void> NotificationQueries::insertAll(QList<Notification> &notifications,
                                            bool autoCreateChannels)
{
    // The catalog remembers the ids for the rest of the transaction (its batch).
    for (qsizetype i = 0; i < notifications.size(); ++i) {
        Notification &n = notifications[i];
        const auto path = [i] { return u"[%1]."_s.arg(i); }; // only errors name it

        auto application = m_catalog.applicationId(n.application);
        if (!application)
            return tl::unexpected(application.error());
        if (!*application) {
            return fail(ErrorCode::NotFound,
                        path() + u"application: unknown application '%1'"_s.arg(n.application));
        }
        n.applicationId = **application;

        auto channel = m_catalog.channelId(n.applicationId, n.channel, autoCreateChannels);
        if (!channel)
            return tl::unexpected(channel.error());
        if (!*channel) {
            return fail(ErrorCode::NotFound,
                        path() + u"channel: unknown channel '%1' of application '%2'"_s.arg(
                                     n.channel, n.application));
        }
        n.channelId = **channel;

        if (!n.persistent)
            continue;
        if (n.id <= 0 || n.id >= IdLimit)
            return fail(ErrorCode::BadRequest, path() + u"id: %1 is not in 1..2^53-1"_s.arg(n.id));
        if (!n.time.isValid())
            return fail(ErrorCode::BadRequest, path() + u"time: missing"_s);

        QStringList recipients = n.recipients;
        recipients.removeDuplicates();
        const QVariant expires =
            n.expiresAt ? QVariant(n.expiresAt->toMSecsSinceEpoch()) : QVariant();
        auto inserted = m_connection.write(
            m_insertNotification,
            {n.id, n.channelId, n.code, n.title, n.message, priorityName(n.priority), n.level,
             tagsToJson(n.tags), n.url, actionsToJson(n.actions), recipientsToJson(n.recipients),
             n.recipients.isEmpty() ? 0 : 1, n.time.toMSecsSinceEpoch(), expires, n.node});
        if (!inserted)
            return tl::unexpected(inserted.error());
        if (*inserted == 0) {
            return fail(ErrorCode::Conflict,
                        path() + u"id: notification %1 exists already"_s.arg(n.id));
        }
        for (const QString &user : std::as_const(recipients)) {
            if (auto done = m_connection.write(m_insertRecipient, {n.id, user}); !done)
                return tl::unexpected(done.error());
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
    return std::optional<Notification>(fromRow(*query));
}

Result<bool> NotificationQueries::remove(NotificationId id)
{
    // Recipients and receipts follow by ON DELETE CASCADE.
    auto query = m_connection.run(u"DELETE FROM notifications WHERE id = ?"_s, {id});
    if (!query)
        return tl::unexpected(query.error());
    return query->numRowsAffected() > 0;
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
        page.items.append(ListedNotification{fromRow(*rows), rows->value(ColumnCount).toBool()});
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

Result<ExpiredPurge> NotificationQueries::purgeExpired(const QDateTime &now, int limit)
{
    ExpiredPurge purge;
    auto done = m_connection.atomically([&]() -> Result<void> {
        purge = {};
        // One more than the round takes, to know whether another round is due. The partial
        // index on expires_at_ms serves the order and both bounds.
        auto expired =
            m_connection.run(u"SELECT "_s + Columns + u" FROM notifications n"_s + Joins +
                                 u" WHERE n.expires_at_ms <= ?"
                                 u" ORDER BY n.expires_at_ms, n.id LIMIT ?"_s,
                             {nowMs(now), limit + 1});
        if (!expired)
            return tl::unexpected(expired.error());
        while (expired->next()) {
            if (purge.removed.size() == limit) {
                purge.more = true;
                break;
            }
            purge.removed.append(fromRow(*expired));
        }
        expired->finish();
        if (!purge.removed.isEmpty()) {
            // Exactly the rows read (not "what has expired now": another node sharing the
            // database may add some meanwhile, whose sessions would not be told). Recipients
            // and receipts follow by ON DELETE CASCADE.
            QVariantList ids;
            for (const Notification &notification : std::as_const(purge.removed))
                ids.append(notification.id);
            const QStringList marks(ids.size(), u"?"_s);
            auto removed = m_connection.run(
                u"DELETE FROM notifications WHERE id IN ("_s + marks.join(u',') + u")"_s, ids);
            if (!removed)
                return tl::unexpected(removed.error());
        }
        if (purge.more)
            return {};
        auto next = m_connection.run(u"SELECT MIN(expires_at_ms) FROM notifications"
                                     u" WHERE expires_at_ms IS NOT NULL"_s);
        if (!next)
            return tl::unexpected(next.error());
        if (next->next() && !next->value(0).isNull())
            purge.nextExpiryMs = next->value(0).toLongLong();
        return {};
    });
    if (!done)
        return tl::unexpected(done.error());
    return purge;
}

} // namespace herald::syncd
