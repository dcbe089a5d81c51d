// SPDX-License-Identifier: Apache-2.0
#include "store/digestqueries.h"

#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

QString idsAsText(const QList<NotificationId> &ids)
{
    QString text;
    text.reserve(ids.size() * 17);
    for (NotificationId id : ids) {
        if (!text.isEmpty())
            text += u',';
        text += QString::number(id);
    }
    return text;
}

// A sent digest's row, with the values of rowOf().
const QString InsertDigest =
    u"INSERT INTO digests (id, user_name, digest_key, period_end_ms, item_count, frame, node, "
    "sent_ms, item_ids, next_due_ms, relay_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s;

QVariantList rowOf(const SentDigest &sent)
{
    return {sent.id,          sent.user,    sent.key,
            sent.periodEndMs, sent.count,   QString::fromUtf8(sent.frame),
            sent.node,        sent.sentMs,  idsAsText(sent.itemIds),
            sent.nextDueMs,   sent.relaySeq};
}

// "1,2,3" as stored in digests.item_ids.
QList<NotificationId> idsFromText(const QString &text)
{
    QList<NotificationId> ids;
    for (const auto &part : QStringView(text).split(u',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const NotificationId id = part.toLongLong(&ok);
        if (ok)
            ids.append(id);
    }
    return ids;
}

} // namespace

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
            u"INSERT INTO digest_runs (user_name, digest_key, timezone, due_ms, send_after_ms, "
            "node) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_name, digest_key) DO UPDATE SET "
            "timezone = excluded.timezone"_s,
            {i.user, i.key, i.timeZone, i.dueMs, i.dueMs, i.node});
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

Result<QList<int>> DigestQueries::nodesSharingDatabase(int node)
{
    auto query = m_connection.run(u"SELECT node FROM outbox_nodes WHERE node <> ?"_s, {node});
    if (!query)
        return tl::unexpected(query.error());
    QList<int> nodes;
    while (query->next())
        nodes.append(query->value(0).toInt());
    return nodes;
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
        sql += u"node = ? AND send_after_ms <= ?"_s;
        values << node << nowMs;
        if (!user.isEmpty()) {
            sql += u" AND user_name = ?"_s;
            values << user;
        }
    }
    sql += u" ORDER BY send_after_ms LIMIT ?"_s;
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
    auto query =
        m_connection.run(u"SELECT MIN(send_after_ms) FROM digest_runs WHERE node = ?"_s, {node});
    if (!query)
        return tl::unexpected(query.error());
    if (!query->next() || query->value(0).isNull())
        return std::optional<qint64>();
    return std::optional<qint64>(query->value(0).toLongLong());
}

Result<bool> DigestQueries::claim(const DueDigest &digest, qint64 nextDueMs, qint64 nextSendAfterMs)
{
    // The compare-and-set on due_ms decides, whichever node tries (a forced run, a takeover).
    auto query = m_connection.run(
        u"UPDATE digest_runs SET due_ms = ?, send_after_ms = ? "
        "WHERE user_name = ? AND digest_key = ? AND due_ms = ?"_s,
        {nextDueMs, std::max(nextDueMs, nextSendAfterMs), digest.user, digest.key, digest.dueMs});
    if (!query)
        return tl::unexpected(query.error());
    return query->numRowsAffected() == 1;
}

Result<void> DigestQueries::postpone(const DueDigest &digest, qint64 sendAfterMs)
{
    auto query = m_connection.run(u"UPDATE digest_runs SET send_after_ms = ? WHERE user_name = ? "
                                  "AND digest_key = ? AND due_ms = ?"_s,
                                  {sendAfterMs, digest.user, digest.key, digest.dueMs});
    if (!query)
        return tl::unexpected(query.error());
    return {};
}

Result<CollectedDigest> DigestQueries::take(const QString &user, const QString &key, int keep)
{
    auto query =
        m_connection.run(u"DELETE FROM digest_items WHERE user_name = ? AND "
                         "digest_key = ? RETURNING id, channel_key, payload, notification_id"_s,
                         {user, key});
    if (!query)
        return tl::unexpected(query.error());
    CollectedDigest collected;
    QSet<QString> channels;
    QList<std::pair<qint64, QByteArray>> newest; // RETURNING keeps no order
    while (query->next()) {
        ++collected.count;
        channels.insert(query->value(1).toString());
        collected.itemIds.append(query->value(3).toLongLong());
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
    std::sort(collected.itemIds.begin(), collected.itemIds.end());
    return collected;
}

Result<void> DigestQueries::record(const SentDigest &sent)
{
    auto query = m_connection.run(InsertDigest, rowOf(sent));
    if (!query)
        return tl::unexpected(query.error());
    return {};
}

Result<bool> DigestQueries::wasSent(const QString &id)
{
    auto query = m_connection.run(u"SELECT 1 FROM digests WHERE id = ?"_s, {id});
    if (!query)
        return tl::unexpected(query.error());
    return query->next();
}

Result<void> DigestQueries::setRelaySeq(const QString &id, qint64 seq)
{
    auto query = m_connection.run(u"UPDATE digests SET relay_seq = ? WHERE id = ?"_s, {seq, id});
    if (!query)
        return tl::unexpected(query.error());
    return {};
}

Result<bool> DigestQueries::applySent(const SentDigest &sent)
{
    // Two nodes that both sent a period (a partition) name it alike: the first record stays.
    auto recorded = m_connection.run(InsertDigest + u" ON CONFLICT DO NOTHING"_s, rowOf(sent));
    if (!recorded)
        return tl::unexpected(recorded.error());
    const bool isNew = recorded->numRowsAffected() > 0;
    auto drop = m_connection.prepare(
        u"DELETE FROM digest_items WHERE user_name = ? AND notification_id = ?"_s);
    if (!drop)
        return tl::unexpected(drop.error());
    for (NotificationId id : sent.itemIds) {
        if (auto done = m_connection.exec(*drop, {sent.user, id}); !done)
            return tl::unexpected(done.error());
    }
    // This node's run of the same digest moves past the period too; items the sender did not
    // hold yet stay for the next one.
    if (sent.nextDueMs > sent.periodEndMs) {
        auto moved = m_connection.run(
            u"UPDATE digest_runs SET send_after_ms = ? + (send_after_ms - due_ms), due_ms = ? "
            "WHERE user_name = ? AND digest_key = ? AND due_ms <= ?"_s,
            {sent.nextDueMs, sent.nextDueMs, sent.user, sent.key, sent.periodEndMs});
        if (!moved)
            return tl::unexpected(moved.error());
    }
    return isNew;
}

Result<std::optional<SentDigest>> DigestQueries::sentBy(int node, qint64 relaySeq)
{
    auto query = m_connection.run(
        u"SELECT id, user_name, digest_key, period_end_ms, item_count, frame, sent_ms, item_ids, "
        "next_due_ms FROM digests WHERE node = ? AND relay_seq = ?"_s,
        {node, relaySeq});
    if (!query)
        return tl::unexpected(query.error());
    if (!query->next())
        return std::optional<SentDigest>();
    SentDigest sent;
    sent.id = query->value(0).toString();
    sent.user = query->value(1).toString();
    sent.key = query->value(2).toString();
    sent.periodEndMs = query->value(3).toLongLong();
    sent.count = query->value(4).toLongLong();
    sent.frame = query->value(5).toString().toUtf8();
    sent.node = node;
    sent.sentMs = query->value(6).toLongLong();
    sent.itemIds = idsFromText(query->value(7).toString());
    sent.nextDueMs = query->value(8).toLongLong();
    sent.relaySeq = relaySeq;
    return std::optional<SentDigest>(std::move(sent));
}

Result<std::optional<qint64>> DigestQueries::lastPeriodEnd(const QString &user, const QString &key)
{
    auto query = m_connection.run(u"SELECT MAX(period_end_ms) FROM digests WHERE user_name = ? "
                                  "AND digest_key = ?"_s,
                                  {user, key});
    if (!query)
        return tl::unexpected(query.error());
    if (!query->next() || query->value(0).isNull())
        return std::optional<qint64>();
    return std::optional<qint64>(query->value(0).toLongLong());
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
