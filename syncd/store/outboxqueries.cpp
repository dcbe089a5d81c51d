// SPDX-License-Identifier: Apache-2.0
#include "store/outboxqueries.h"

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

const QString JobColumns =
    u"d.id, d.endpoint, d.notification_id, d.payload, d.node, d.status, d.attempts, "
    "d.created_ms, d.next_attempt_ms, d.last_attempt_ms, d.last_status, d.last_error, "
    "d.takeovers"_s;

DeliveryJob jobFromRow(const QSqlQuery &q)
{
    DeliveryJob job;
    job.id = q.value(0).toString();
    job.endpoint = q.value(1).toString();
    job.notificationId = q.value(2).toLongLong();
    job.payload = q.value(3).toString().toUtf8();
    job.node = q.value(4).toInt();
    parseDeliveryStatus(q.value(5).toString(), &job.status);
    job.attempts = q.value(6).toInt();
    job.createdMs = q.value(7).toLongLong();
    job.nextAttemptMs = q.value(8).toLongLong();
    job.lastAttemptMs = q.value(9).toLongLong();
    job.lastStatus = q.value(10).toInt();
    job.lastError = q.value(11).toString();
    job.takeovers = q.value(12).toInt();
    return job;
}

} // namespace

Result<void> OutboxQueries::add(const QList<DeliveryJob> &jobs)
{
    auto insert = m_connection.prepare(
        u"INSERT INTO deliveries (id, endpoint, notification_id, payload, node, status, "
        "attempts, created_ms, next_attempt_ms) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)"_s);
    if (!insert)
        return tl::unexpected(insert.error());
    for (const DeliveryJob &job : jobs) {
        auto added = m_connection.exec(*insert, {job.id, job.endpoint, job.notificationId,
                                                 QString::fromUtf8(job.payload), job.node,
                                                 job.createdMs, job.nextAttemptMs});
        if (!added)
            return added;
    }
    return {};
}

Result<QList<DeliveryJob>> OutboxQueries::due(int node, const QString &endpoint, qint64 nowMs,
                                              int limit, const QSet<QString> &inFlight,
                                              qint64 heldBeforeMs)
{
    // The due index is walked from the earliest; those in flight are skipped here rather than
    // bound (there may be many).
    auto query =
        m_connection.run(u"SELECT "_s + JobColumns +
                             u" FROM deliveries d WHERE d.status = 'pending' AND "
                             "d.node = ? AND d.endpoint = ? AND d.next_attempt_ms <= ? "
                             "AND d.created_ms >= ? AND d.payload <> '' "
                             "ORDER BY d.next_attempt_ms LIMIT ?"_s,
                         {node, endpoint, nowMs, heldBeforeMs, qint64(limit) + inFlight.size()});
    if (!query)
        return tl::unexpected(query.error());
    QList<DeliveryJob> jobs;
    while (query->next() && jobs.size() < limit) {
        if (!inFlight.contains(query->value(0).toString()))
            jobs.append(jobFromRow(*query));
    }
    return jobs;
}

Result<std::optional<qint64>> OutboxQueries::nextDue(int node, const QString &endpoint,
                                                     qint64 nowMs)
{
    auto query = m_connection.run(
        u"SELECT MIN(next_attempt_ms) FROM deliveries WHERE status = 'pending' AND node = ? "
        "AND endpoint = ? AND next_attempt_ms > ?"_s,
        {node, endpoint, nowMs});
    if (!query)
        return tl::unexpected(query.error());
    if (!query->next() || query->value(0).isNull())
        return std::optional<qint64>();
    return std::optional<qint64>(query->value(0).toLongLong());
}

Result<void> OutboxQueries::record(const DeliveryOutcome &outcome)
{
    // Only a pending job moves: a job finished meanwhile (or removed with its endpoint) stays
    // as it is.
    auto query = m_connection.run(
        u"UPDATE deliveries SET status = ?, attempts = attempts + 1, last_attempt_ms = ?, "
        "next_attempt_ms = ?, last_status = ?, last_error = ? "
        "WHERE id = ? AND status = 'pending'"_s,
        {deliveryStatusName(outcome.status), outcome.attemptMs,
         outcome.status == DeliveryStatus::Pending ? outcome.nextAttemptMs : outcome.attemptMs,
         outcome.httpStatus, outcome.error, outcome.id});
    if (!query)
        return tl::unexpected(query.error());
    return {};
}

Result<QList<DeliveryJob>> OutboxQueries::list(const QString &endpoint,
                                               std::optional<DeliveryStatus> status, int limit)
{
    auto query = status ? m_connection.run(u"SELECT "_s + JobColumns +
                                               u" FROM deliveries d WHERE d.endpoint = ? AND "
                                               "d.status = ? ORDER BY d.created_ms DESC, d.id "
                                               "LIMIT ?"_s,
                                           {endpoint, deliveryStatusName(*status), limit})
                        : m_connection.run(u"SELECT "_s + JobColumns +
                                               u" FROM deliveries d WHERE d.endpoint = ? "
                                               "ORDER BY d.created_ms DESC, d.id LIMIT ?"_s,
                                           {endpoint, limit});
    if (!query)
        return tl::unexpected(query.error());
    QList<DeliveryJob> jobs;
    while (query->next())
        jobs.append(jobFromRow(*query));
    return jobs;
}

Result<std::optional<DeliveryJob>> OutboxQueries::find(const QString &id)
{
    auto query =
        m_connection.run(u"SELECT "_s + JobColumns + u" FROM deliveries d WHERE d.id = ?"_s, {id});
    if (!query)
        return tl::unexpected(query.error());
    if (!query->next())
        return std::optional<DeliveryJob>();
    return std::optional<DeliveryJob>(jobFromRow(*query));
}

Result<QList<DeliveryJob>> OutboxQueries::finished(const QStringList &ids)
{
    auto select = m_connection.prepare(
        u"SELECT id, endpoint, notification_id, created_ms, status, attempts, last_attempt_ms, "
        "last_status, last_error FROM deliveries WHERE id = ? AND status <> 'pending'"_s);
    if (!select)
        return tl::unexpected(select.error());
    QList<DeliveryJob> jobs;
    for (const QString &id : ids) {
        if (auto ran = m_connection.exec(*select, {id}); !ran)
            return tl::unexpected(ran.error());
        if (!select->next())
            continue;
        DeliveryJob job;
        job.id = select->value(0).toString();
        job.endpoint = select->value(1).toString();
        job.notificationId = select->value(2).toLongLong();
        job.createdMs = select->value(3).toLongLong();
        parseDeliveryStatus(select->value(4).toString(), &job.status);
        job.attempts = select->value(5).toInt();
        job.lastAttemptMs = select->value(6).toLongLong();
        job.lastStatus = select->value(7).toInt();
        job.lastError = select->value(8).toString();
        jobs.append(std::move(job));
    }
    return jobs;
}

Result<QHash<QString, DeliveryCounts>> OutboxQueries::counts()
{
    auto query = m_connection.run(
        u"SELECT endpoint, status, COUNT(*) FROM deliveries GROUP BY endpoint, status"_s);
    if (!query)
        return tl::unexpected(query.error());
    QHash<QString, DeliveryCounts> counts;
    while (query->next()) {
        DeliveryCounts &c = counts[query->value(0).toString()];
        DeliveryStatus status = DeliveryStatus::Pending;
        parseDeliveryStatus(query->value(1).toString(), &status);
        const qint64 n = query->value(2).toLongLong();
        (status == DeliveryStatus::Pending ? c.pending
         : status == DeliveryStatus::Done  ? c.done
                                           : c.failed) = n;
    }
    return counts;
}

Result<void> OutboxQueries::heartbeat(int node, qint64 nowMs)
{
    auto alive = m_connection.run(u"INSERT INTO outbox_nodes (node, alive_ms) VALUES (?, ?) "
                                  "ON CONFLICT (node) DO UPDATE SET alive_ms = excluded.alive_ms"_s,
                                  {node, nowMs});
    if (!alive)
        return tl::unexpected(alive.error());
    return {};
}

Result<QHash<int, qint64>> OutboxQueries::heartbeats()
{
    auto query = m_connection.run(u"SELECT node, alive_ms FROM outbox_nodes"_s);
    if (!query)
        return tl::unexpected(query.error());
    QHash<int, qint64> alive;
    while (query->next())
        alive.insert(query->value(0).toInt(), query->value(1).toLongLong());
    return alive;
}

Result<QList<int>> OutboxQueries::ownersOfPending(int except)
{
    // One index step per owner (the due index starts with node), not a walk over every pending
    // job: a node down for hours can leave millions, and this is asked every few seconds.
    auto query = m_connection.run(
        u"WITH RECURSIVE owners (node) AS ("
        "SELECT MIN(node) FROM deliveries WHERE status = 'pending' "
        "UNION ALL SELECT (SELECT MIN(d.node) FROM deliveries d WHERE d.status = 'pending' "
        "AND d.node > owners.node) FROM owners WHERE owners.node IS NOT NULL) "
        "SELECT node FROM owners WHERE node IS NOT NULL AND node <> ?"_s,
        {except});
    if (!query)
        return tl::unexpected(query.error());
    QList<int> owners;
    while (query->next())
        owners.append(query->value(0).toInt());
    return owners;
}

Result<QList<DeliveryJob>> OutboxQueries::takeOver(int from, int to)
{
    auto query = m_connection.run(
        u"UPDATE deliveries SET node = ?, takeovers = takeovers + 1 WHERE status = 'pending' "
        "AND node = ? RETURNING id, endpoint, notification_id, created_ms, takeovers"_s,
        {to, from});
    if (!query)
        return tl::unexpected(query.error());
    QList<DeliveryJob> taken;
    while (query->next()) {
        DeliveryJob job;
        job.id = query->value(0).toString();
        job.endpoint = query->value(1).toString();
        job.notificationId = query->value(2).toLongLong();
        job.createdMs = query->value(3).toLongLong();
        job.takeovers = query->value(4).toInt();
        job.node = to;
        taken.append(std::move(job));
    }
    return taken;
}

Result<QHash<QString, qint64>> OutboxQueries::pendingCounts()
{
    auto query = m_connection.run(u"SELECT endpoint, COUNT(*) FROM deliveries "
                                  "WHERE status = 'pending' GROUP BY endpoint"_s);
    if (!query)
        return tl::unexpected(query.error());
    QHash<QString, qint64> pending;
    while (query->next())
        pending.insert(query->value(0).toString(), query->value(1).toLongLong());
    return pending;
}

Result<int> OutboxQueries::purgeFinished(qint64 beforeMs, int limit)
{
    auto query = m_connection.run(
        u"DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries WHERE status <> "
        "'pending' AND last_attempt_ms < ? LIMIT ?)"_s,
        {beforeMs, limit});
    if (!query)
        return tl::unexpected(query.error());
    return query->numRowsAffected();
}

} // namespace herald::syncd
