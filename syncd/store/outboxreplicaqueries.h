// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/error.h"
#include "store/endpointtypes.h"
#include "store/sqlconnection.h"

#include <QList>

namespace herald::syncd {

// Other nodes' outbox records, applied to this node's copy of the outbox (table deliveries):
// a node with its own database keeps every job of the cluster, so that it can take over the
// jobs of a node that falls silent. The copies converge whichever order the records arrive
// in: a job's record only fills in its body; a takeover applies when it is a later change of
// hands than the copy holds (ties: the higher node); a finish applies to a pending copy (and
// "done" over "failed"; two finishes alike: the higher node's), owner included. A record about a
// job whose own record has not arrived yet makes a copy without a body, which is never sent
// (OutboxQueries::due).
class OutboxReplicaQueries
{
public:
    explicit OutboxReplicaQueries(SqlConnection &connection) : m_connection(connection) {}

    // A job made by `origin`: a pending copy held for it.
    Result<void> applyJob(const DeliveryJob &job, int origin);
    // `taker` took these jobs over (each with its count of changes of hands).
    Result<void> applyTaken(const QList<DeliveryJob> &jobs, int taker);
    // `finisher` finished these jobs: done, or failed for good.
    Result<void> applyDone(const QList<DeliveryJob> &jobs, int finisher);

    // The payload of job `id`'s record, for a peer catching up; empty when this node has no
    // body for it (purged from the log, or its record has not arrived).
    Result<QString> jobRecord(const QString &id);

private:
    SqlConnection &m_connection;
};

} // namespace herald::syncd
