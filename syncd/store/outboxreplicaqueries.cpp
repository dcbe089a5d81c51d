// SPDX-License-Identifier: Apache-2.0
#include "store/outboxreplicaqueries.h"

#include "store/deliveryrecord.h"

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

const QString InsertCopy =
    u"INSERT INTO deliveries (id, endpoint, notification_id, payload, node, status, attempts, "
    "created_ms, next_attempt_ms, last_attempt_ms, last_status, last_error, takeovers) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "_s;

} // namespace

Result<void> OutboxReplicaQueries::applyJob(const DeliveryJob &job, int origin)
{
    // A copy made by an earlier takeover or finish record gets its body; nothing else moves.
    auto query = m_connection.run(
        InsertCopy + u"payload = excluded.payload WHERE deliveries.payload = ''"_s,
        {job.id, job.endpoint, job.notificationId, QString::fromUtf8(job.payload), origin,
         u"pending"_s, 0, job.createdMs, job.createdMs, 0, 0, QString(), 0});
    if (!query)
        return tl::unexpected(query.error());
    return {};
}

Result<void> OutboxReplicaQueries::applyTaken(const QList<DeliveryJob> &jobs, int taker)
{
    auto insert = m_connection.prepare(
        InsertCopy + u"node = excluded.node, takeovers = excluded.takeovers "
                     "WHERE deliveries.status = 'pending' AND (deliveries.takeovers < "
                     "excluded.takeovers OR (deliveries.takeovers = excluded.takeovers AND "
                     "deliveries.node < excluded.node))"_s);
    if (!insert)
        return tl::unexpected(insert.error());
    for (const DeliveryJob &job : jobs) {
        auto applied = m_connection.exec(*insert, {job.id, job.endpoint, job.notificationId,
                                                   QString(), taker, u"pending"_s, 0, job.createdMs,
                                                   job.createdMs, 0, 0, QString(), job.takeovers});
        if (!applied)
            return applied;
    }
    return {};
}

Result<void> OutboxReplicaQueries::applyDone(const QList<DeliveryJob> &jobs, int finisher)
{
    auto insert = m_connection.prepare(
        InsertCopy +
        u"status = excluded.status, attempts = excluded.attempts, "
        "next_attempt_ms = excluded.next_attempt_ms, last_attempt_ms = "
        "excluded.last_attempt_ms, last_status = excluded.last_status, last_error = "
        "excluded.last_error, node = excluded.node WHERE deliveries.status = 'pending' OR "
        "(deliveries.status = 'failed' AND excluded.status = 'done') OR "
        "(deliveries.status = excluded.status AND deliveries.node < excluded.node)"_s);
    if (!insert)
        return tl::unexpected(insert.error());
    for (const DeliveryJob &job : jobs) {
        auto applied = m_connection.exec(
            *insert, {job.id, job.endpoint, job.notificationId, QString(), finisher,
                      deliveryStatusName(job.status), job.attempts, job.createdMs,
                      job.lastAttemptMs, job.lastAttemptMs, job.lastStatus, job.lastError, 0});
        if (!applied)
            return applied;
    }
    return {};
}

Result<QString> OutboxReplicaQueries::jobRecord(const QString &id)
{
    auto query = m_connection.run(u"SELECT endpoint, notification_id, created_ms, payload FROM "
                                  "deliveries WHERE id = ? AND payload <> ''"_s,
                                  {id});
    if (!query)
        return tl::unexpected(query.error());
    if (!query->next())
        return QString();
    DeliveryJob job;
    job.id = id;
    job.endpoint = query->value(0).toString();
    job.notificationId = query->value(1).toLongLong();
    job.createdMs = query->value(2).toLongLong();
    job.payload = query->value(3).toString().toUtf8();
    return jobRecordPayload(job);
}

} // namespace herald::syncd
