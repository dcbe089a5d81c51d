// SPDX-License-Identifier: Apache-2.0
#include "store/digestqueries.h"

#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace herald::syncd {

Result<int> DigestQueries::add(const QList<DigestItem> &items)
{
    auto item = m_connection.prepare(
        u"INSERT INTO digest_items (user_name, digest_key, notification_id, channel_key, "
        "payload) VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_name, notification_id) DO NOTHING"_s);
    if (!item)
        return tl::unexpected(item.error());
    int added = 0;
    for (const DigestItem &i : items) {
        const QString channelKey = i.application + u'/' + i.channel;
        if (auto done = m_connection.exec(
                *item, {i.user, i.key, i.notificationId, channelKey, QString::fromUtf8(i.payload)});
            !done)
            return tl::unexpected(done.error());
        if (item->numRowsAffected() <= 0)
            continue; // queued before
        ++added;
        // The run keeps its period; the user's current time zone counts from the next one.
        auto run = m_connection.run(
            u"INSERT INTO digest_runs (user_name, digest_key, timezone, due_ms, node) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_name, digest_key) DO UPDATE SET "
            "timezone = excluded.timezone"_s,
            {i.user, i.key, i.timeZone, i.dueMs, i.node});
        if (!run)
            return tl::unexpected(run.error());
    }
    return added;
}

Result<int> DigestQueries::takeOver(int node, qint64 aliveSinceMs)
{
    auto query = m_connection.run(u"UPDATE digest_runs SET node = ? WHERE node <> ? AND node NOT "
                                  "IN (SELECT node FROM outbox_nodes WHERE alive_ms >= ?)"_s,
                                  {node, node, aliveSinceMs});
    if (!query)
        return tl::unexpected(query.error());
    return std::max(0, query->numRowsAffected());
}

Result<QList<DueDigest>> DigestQueries::due(int node, qint64 nowMs, int limit, const QString &user,
                                            bool force)
{
    QString sql = u"SELECT user_name, digest_key, timezone, due_ms FROM digest_runs WHERE "_s;
    QVariantList values;
    if (force) {
        sql += u"user_name = ?"_s; // whoever's it is, due or not
        values << user;
    } else {
        sql += u"node = ? AND due_ms <= ?"_s;
        values << node << nowMs;
        if (!user.isEmpty()) {
            sql += u" AND user_name = ?"_s;
            values << user;
        }
    }
    sql += u" ORDER BY due_ms LIMIT ?"_s;
    values << limit;
    auto query = m_connection.run(sql, values);
    if (!query)
        return tl::unexpected(query.error());
    QList<DueDigest> due;
    while (query->next())
        due.append({query->value(0).toString(), query->value(1).toString(),
                    query->value(2).toString(), query->value(3).toLongLong()});
    return due;
}

Result<std::optional<qint64>> DigestQueries::nextDue(int node)
{
    auto query = m_connection.run(u"SELECT MIN(due_ms) FROM digest_runs WHERE node = ?"_s, {node});
    if (!query)
        return tl::unexpected(query.error());
    if (!query->next() || query->value(0).isNull())
        return std::optional<qint64>();
    return std::optional<qint64>(query->value(0).toLongLong());
}

Result<bool> DigestQueries::claim(const DueDigest &digest, qint64 nextDueMs)
{
    // The compare-and-set on due_ms decides, whichever node tries (a forced run, a takeover).
    auto query = m_connection.run(u"UPDATE digest_runs SET due_ms = ? WHERE user_name = ? AND "
                                  "digest_key = ? AND due_ms = ?"_s,
                                  {nextDueMs, digest.user, digest.key, digest.dueMs});
    if (!query)
        return tl::unexpected(query.error());
    return query->numRowsAffected() == 1;
}

Result<CollectedDigest> DigestQueries::take(const QString &user, const QString &key, int keep)
{
    auto query = m_connection.run(u"DELETE FROM digest_items WHERE user_name = ? AND "
                                  "digest_key = ? RETURNING id, channel_key, payload"_s,
                                  {user, key});
    if (!query)
        return tl::unexpected(query.error());
    CollectedDigest collected;
    QSet<QString> channels;
    QList<std::pair<qint64, QByteArray>> newest; // RETURNING keeps no order
    while (query->next()) {
        ++collected.count;
        channels.insert(query->value(1).toString());
        newest.append({query->value(0).toLongLong(), query->value(2).toString().toUtf8()});
        if (newest.size() > 2 * keep) { // bounded memory for a very large digest
            std::sort(newest.begin(), newest.end(),
                      [](const auto &a, const auto &b) { return a.first > b.first; });
            newest.resize(keep);
        }
    }
    std::sort(newest.begin(), newest.end(),
              [](const auto &a, const auto &b) { return a.first > b.first; });
    if (newest.size() > keep)
        newest.resize(keep);
    for (auto it = newest.crbegin(); it != newest.crend(); ++it)
        collected.newestPayloads.append(it->second);
    collected.channels = channels.size();
    return collected;
}

Result<void> DigestQueries::record(const SentDigest &sent)
{
    auto query = m_connection.run(
        u"INSERT INTO digests (id, user_name, digest_key, period_end_ms, item_count, frame, "
        "node, sent_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"_s,
        {sent.id, sent.user, sent.key, sent.periodEndMs, sent.count, QString::fromUtf8(sent.frame),
         sent.node, sent.sentMs});
    if (!query)
        return tl::unexpected(query.error());
    return {};
}

Result<QList<SentDigest>> DigestQueries::sentTo(const QString &user, int limit)
{
    auto query = m_connection.run(
        u"SELECT id, digest_key, period_end_ms, item_count, frame, node, sent_ms FROM digests "
        "WHERE user_name = ? ORDER BY sent_ms DESC LIMIT ?"_s,
        {user, limit});
    if (!query)
        return tl::unexpected(query.error());
    QList<SentDigest> sent;
    while (query->next()) {
        sent.append({query->value(0).toString(), user, query->value(1).toString(),
                     query->value(2).toLongLong(), query->value(3).toLongLong(),
                     query->value(4).toString().toUtf8(), query->value(5).toInt(),
                     query->value(6).toLongLong()});
    }
    return sent;
}

} // namespace herald::syncd
