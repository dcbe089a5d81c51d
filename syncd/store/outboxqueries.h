// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/error.h"
#include "store/endpointtypes.h"
#include "store/sqlconnection.h"

#include <QHash>
#include <QList>
#include <QSet>

#include <optional>

namespace herald::syncd {

// Table `deliveries` (schema 6): the outbox of webhook jobs. Jobs are added in the
// transaction that stores their notifications; the dispatcher takes the due ones and records
// each attempt. Works on a connection it does not own, on that connection's thread.
class OutboxQueries
{
public:
    explicit OutboxQueries(SqlConnection &connection) : m_connection(connection) {}

    Result<void> add(const QList<DeliveryJob> &jobs);
    // Up to `limit` pending jobs of `node` for `endpoint` due at `nowMs`, earliest first,
    // leaving out those `inFlight`, those made before `heldBeforeMs` and copies whose job
    // record has not arrived yet (no payload).
    Result<QList<DeliveryJob>> due(int node, const QString &endpoint, qint64 nowMs, int limit,
                                   const QSet<QString> &inFlight, qint64 heldBeforeMs = 0);
    // When the next pending job of `node` for `endpoint` is due after `nowMs`; nullopt: none.
    Result<std::optional<qint64>> nextDue(int node, const QString &endpoint, qint64 nowMs);
    Result<void> record(const DeliveryOutcome &outcome);
    // An endpoint's jobs, newest first, optionally in one state only.
    Result<QList<DeliveryJob>> list(const QString &endpoint, std::optional<DeliveryStatus> status,
                                    int limit);
    Result<std::optional<DeliveryJob>> find(const QString &id);
    // Those of `ids` that are finished (done or failed), without their payloads.
    Result<QList<DeliveryJob>> finished(const QStringList &ids);
    Result<QHash<QString, DeliveryCounts>> counts(); // by endpoint: reads the whole log
    // Pending jobs by endpoint, from the due index only (the metrics ask every few seconds).
    Result<QHash<QString, qint64>> pendingCounts();
    // --- takeover (core/OutboxTakeover). `node` says it is alive at `nowMs`, for the nodes
    // that share this database.
    Result<void> heartbeat(int node, qint64 nowMs);
    Result<QHash<int, qint64>> heartbeats(); // by node: when it last said so
    // The nodes other than `except` that hold pending jobs here.
    Result<QList<int>> ownersOfPending(int except);
    // Moves every pending job of `from` to `to`, counting the change of hands; the jobs moved.
    // Two nodes taking over at once never both get a job: the jobs move in one UPDATE.
    Result<QList<DeliveryJob>> takeOver(int from, int to);

    // Removes finished jobs (done or failed) last tried before `beforeMs`; how many.
    Result<int> purgeFinished(qint64 beforeMs, int limit);

private:
    SqlConnection &m_connection;
};

} // namespace herald::syncd
