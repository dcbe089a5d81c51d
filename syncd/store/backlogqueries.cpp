// SPDX-License-Identifier: Apache-2.0
#include "store/backlogqueries.h"

#include "store/notificationrows.h"

#include "model/idgenerator.h"

#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace herald::syncd {

using NotificationRows::AcknowledgedBy;
using NotificationRows::Columns;
using NotificationRows::fromRow;
using NotificationRows::Joins;
using NotificationRows::NotExpired;
using NotificationRows::nowMs;
using NotificationRows::VisibleTo;

namespace {

// SQLite allows at most 500 SELECTs in one compound statement; stay well below.
constexpr qsizetype ArmsPerQuery = 100;

// The condition a channel's CodeFilter puts on `code` (Keep::None never gets here: such
// channels are left out of the query).
QString codeCondition(const CodeFilter &filter)
{
    if (filter.keep != CodeFilter::Keep::Only && filter.keep != CodeFilter::Keep::AllBut)
        return {};
    const QStringList marks(filter.codes.size(), u"?"_s);
    return (filter.keep == CodeFilter::Keep::Only ? u" AND code IN ("_s : u" AND code NOT IN ("_s) +
           marks.join(u',') + u')';
}

void appendCodes(QVariantList &values, const CodeFilter &filter)
{
    if (filter.keep == CodeFilter::Keep::Only || filter.keep == CodeFilter::Keep::AllBut) {
        for (const QString &code : filter.codes)
            values.append(code);
    }
}

// Only some origins, each from an id on (BacklogQuery::fromIdByOrigin), and the others from
// otherOriginsFrom on or not at all: the origin node is bits of the id (IdGenerator), so this
// filters rows the id range of the index finds.
QString originCondition(const BacklogQuery &query, const QString &id = u"id"_s)
{
    if (!query.fromIdByOrigin || (query.fromIdByOrigin->isEmpty() && !query.otherOriginsFrom))
        return {};
    const QString origin =
        u"((%1 >> %2) & %3)"_s.arg(id).arg(IdGenerator::SequenceBits).arg(IdGenerator::MaxNode);
    QStringList arms(query.fromIdByOrigin->size(), u"(%1 = ? AND %2 >= ?)"_s.arg(origin, id));
    if (query.otherOriginsFrom) {
        const QStringList named(query.fromIdByOrigin->size(), u"?"_s);
        arms.append(named.isEmpty()
                        ? u"%1 >= ?"_s.arg(id)
                        : u"(%1 NOT IN (%2) AND %3 >= ?)"_s.arg(origin, named.join(u','), id));
    }
    return u" AND ("_s + arms.join(u" OR "_s) + u')';
}

void appendOrigins(QVariantList &values, const BacklogQuery &query)
{
    if (!query.fromIdByOrigin)
        return;
    for (auto origin = query.fromIdByOrigin->cbegin(); origin != query.fromIdByOrigin->cend();
         ++origin) {
        values.append(origin.key());
        values.append(origin.value());
    }
    if (query.otherOriginsFrom) {
        for (auto origin = query.fromIdByOrigin->keyBegin();
             origin != query.fromIdByOrigin->keyEnd(); ++origin)
            values.append(*origin);
        values.append(*query.otherOriginsFrom);
    }
}

// "SELECT id FROM (newest of channel 1) UNION ALL ... ORDER BY id DESC LIMIT ?": each arm
// walks the (channel_id, id) index backwards and stops after `scan` rows, so the cost is
// bounded by the scan limit, not by the size of the table. Binds per channel: channel id,
// [codes], [afterId], [origins], [minId], scan; then scan.
QString recentIdsSql(const QList<BacklogChannel> &channels, const BacklogQuery &query, bool atLeast)
{
    const QString origins = originCondition(query);
    QStringList arms;
    for (qsizetype i = 0; i < channels.size(); ++i) {
        arms.append(u"SELECT id FROM (SELECT id FROM notifications WHERE channel_id = ?"_s +
                    codeCondition(channels.at(i).filter) +
                    (query.afterId ? u" AND id > ?"_s : QString()) + origins +
                    (atLeast ? u" AND id >= ?"_s : QString()) +
                    u" ORDER BY id DESC LIMIT ?) AS s%1"_s.arg(i));
    }
    return arms.join(u" UNION ALL "_s) + u" ORDER BY id DESC LIMIT ?"_s;
}

QVariantList recentIdsValues(const QList<BacklogChannel> &channels, const BacklogQuery &query,
                             std::optional<NotificationId> atLeast, int scan)
{
    QVariantList values;
    for (const BacklogChannel &channel : channels) {
        values.append(channel.id);
        appendCodes(values, channel.filter);
        if (query.afterId)
            values.append(*query.afterId);
        appendOrigins(values, query);
        if (atLeast)
            values.append(*atLeast);
        values.append(scan);
    }
    values.append(scan);
    return values;
}

// Nothing arrived after the resume point: there is nothing to read.
bool selectsNothing(const BacklogQuery &query)
{
    return query.fromIdByOrigin && query.fromIdByOrigin->isEmpty() && !query.otherOriginsFrom;
}

} // namespace

Result<QList<BacklogChannel>>
BacklogQueries::subscribedChannels(const QList<Subscription> &subscriptions,
                                   const CodeFilterFor &codeFilter)
{
    // Named channels one by one through the (application, name) index: an application may
    // have thousands of channels, and a register names a few.
    auto all = m_connection.prepare(u"SELECT c.id, a.name, c.name FROM channels c JOIN "
                                    "applications a ON a.id = c.application_id WHERE a.name = ?"_s);
    if (!all)
        return tl::unexpected(all.error());
    auto named =
        m_connection.prepare(u"SELECT c.id, a.name, c.name FROM channels c JOIN applications a "
                             "ON a.id = c.application_id WHERE a.name = ? AND c.name = ?"_s);
    if (!named)
        return tl::unexpected(named.error());
    QList<BacklogChannel> channels;
    QSet<qint64> seen;
    auto collect = [&](QSqlQuery &query, const QVariantList &values) -> Result<void> {
        if (auto done = m_connection.exec(query, values); !done)
            return done;
        while (query.next()) {
            const qint64 id = query.value(0).toLongLong();
            if (seen.contains(id))
                continue;
            seen.insert(id);
            BacklogChannel channel{id, {}};
            if (codeFilter)
                channel.filter = codeFilter(query.value(1).toString(), query.value(2).toString());
            if (channel.filter.keep != CodeFilter::Keep::None) // all `off`: nothing to read
                channels.append(channel);
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
    return channels;
}

Result<QList<NotificationId>> BacklogQueries::newestIds(const QList<BacklogChannel> &channelIds,
                                                        const BacklogQuery &query, int limit)
{
    QList<NotificationId> ids;
    for (qsizetype first = 0; first < channelIds.size(); first += ArmsPerQuery) {
        const QList<BacklogChannel> chunk = channelIds.mid(first, ArmsPerQuery);
        auto rows = m_connection.run(recentIdsSql(chunk, query, false),
                                     recentIdsValues(chunk, query, std::nullopt, limit));
        if (!rows)
            return tl::unexpected(rows.error());
        while (rows->next())
            ids.append(rows->value(0).toLongLong());
    }
    std::sort(ids.begin(), ids.end(), std::greater<>());
    if (ids.size() > limit)
        ids.resize(limit);
    return ids;
}

Result<QList<Notification>> BacklogQueries::backlog(const BacklogQuery &query, int scanLimit)
{
    if (query.limit <= 0 || scanLimit <= 0 || selectsNothing(query))
        return QList<Notification>();
    auto channelIds = subscribedChannels(query.subscriptions, query.codeFilter);
    if (!channelIds)
        return tl::unexpected(channelIds.error());
    if (channelIds->isEmpty())
        return QList<Notification>();

    // With many channels the newest `scanLimit` rows are found chunk by chunk first; the
    // oldest of them then bounds every chunk's query below.
    if (channelIds->size() > ArmsPerQuery) {
        auto newest = newestIds(*channelIds, query, scanLimit);
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
    int scan = std::min(scanLimit, std::max(16, query.limit * 2));
    for (;;) {
        auto found = visibleUnacknowledged(*channelIds, query, scan, std::nullopt);
        if (!found)
            return tl::unexpected(found.error());
        if (scan >= scanLimit)
            return oldestFirst(std::move(*found), query.limit);
        auto cutoff = scanCutoff(*channelIds, query, scan);
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

Result<qint64> BacklogQueries::countMatching(const BacklogQuery &query, qint64 cap)
{
    if (selectsNothing(query))
        return 0;
    auto channels = subscribedChannels(query.subscriptions, query.codeFilter);
    if (!channels)
        return tl::unexpected(channels.error());
    qint64 count = 0;
    for (qsizetype first = 0; first < channels->size() && count < cap; first += ArmsPerQuery) {
        const QList<BacklogChannel> chunk = channels->mid(first, ArmsPerQuery);
        QStringList arms;
        QVariantList values;
        for (const BacklogChannel &channel : chunk) {
            arms.append(u"(n.channel_id = ?"_s + codeCondition(channel.filter) + u')');
            values.append(channel.id);
            appendCodes(values, channel.filter);
        }
        // The (channel_id, id) index walks each channel from afterId on; the LIMIT bounds the
        // cost of a client that was away for a very long time.
        const QString sql =
            u"SELECT COUNT(*) FROM (SELECT n.id FROM notifications n WHERE ("_s +
            arms.join(u" OR "_s) + u")"_s + (query.afterId ? u" AND n.id > ?"_s : QString()) +
            originCondition(query, u"n.id"_s) + u" AND "_s + NotExpired + u" AND "_s + VisibleTo +
            u" AND NOT "_s + AcknowledgedBy + u" LIMIT ?) AS matching"_s;
        if (query.afterId)
            values.append(*query.afterId);
        appendOrigins(values, query);
        values << nowMs(query.now) << query.user << query.user << (cap - count);
        auto rows = m_connection.run(sql, values);
        if (!rows)
            return tl::unexpected(rows.error());
        if (rows->next())
            count += rows->value(0).toLongLong();
    }
    return std::min(count, cap);
}

Result<QList<Notification>>
BacklogQueries::visibleUnacknowledged(const QList<BacklogChannel> &channelIds,
                                      const BacklogQuery &query, int scan,
                                      std::optional<NotificationId> atLeast)
{
    QList<Notification> result;
    for (qsizetype first = 0; first < channelIds.size(); first += ArmsPerQuery) {
        const QList<BacklogChannel> chunk = channelIds.mid(first, ArmsPerQuery);
        const QString sql = u"SELECT "_s + Columns + u" FROM ("_s +
                            recentIdsSql(chunk, query, bool(atLeast)) +
                            u") AS recent JOIN notifications n ON n.id = recent.id"_s + Joins +
                            u" WHERE "_s + NotExpired + u" AND "_s + VisibleTo + u" AND NOT "_s +
                            AcknowledgedBy + u" ORDER BY n.id DESC LIMIT ?"_s;
        QVariantList values = recentIdsValues(chunk, query, atLeast, scan);
        values << nowMs(query.now) << query.user << query.user << query.limit;
        auto rows = m_connection.run(sql, values);
        if (!rows)
            return tl::unexpected(rows.error());
        while (rows->next())
            result.append(fromRow(*rows));
    }
    return result;
}

Result<std::optional<NotificationId>>
BacklogQueries::scanCutoff(const QList<BacklogChannel> &channelIds, const BacklogQuery &query,
                           int scan)
{
    // The newest row a scan of `scan` did not look at: the (scan + 1)-th newest of the
    // channels together. It lies among its channel's scan + 1 newest, so the union of those
    // holds it. (Each channel's own (scan + 1)-th is not enough: the scan keeps the newest
    // `scan` of all channels together, so a channel with fewer rows than `scan` can still
    // have rows it never looked at.)
    auto beyond =
        m_connection.run(u"SELECT id FROM ("_s + recentIdsSql(channelIds, query, false) +
                             u") AS recent ORDER BY id DESC LIMIT 1 OFFSET ?"_s,
                         recentIdsValues(channelIds, query, std::nullopt, scan + 1) << scan);
    if (!beyond)
        return tl::unexpected(beyond.error());
    if (beyond->next())
        return std::optional<NotificationId>(beyond->value(0).toLongLong());
    return std::optional<NotificationId>();
}

QList<Notification> BacklogQueries::oldestFirst(QList<Notification> found, int limit)
{
    // Newest `limit`, handed out oldest first.
    std::sort(found.begin(), found.end(),
              [](const Notification &a, const Notification &b) { return a.id < b.id; });
    if (found.size() > limit)
        found.remove(0, found.size() - limit);
    return found;
}

} // namespace herald::syncd
