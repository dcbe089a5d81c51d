// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/endpointtypes.h"

#include <QList>
#include <QString>

#include <optional>

namespace herald::syncd {

// The payloads of the outbox's relay records (docs/RELAY.md), which let nodes with their own
// databases take over a silent node's deliveries. Every job in them names its id (the
// Herald-Delivery header), endpoint, notification and creation time, so that a node can keep a
// copy of it whichever of its records arrives first.
// - job: {"id","endpoint","notification","created","payload"}: a job made by the origin;
// - jobsTaken: {"jobs":[{...,"takeovers"}]}: pending jobs the origin took over;
// - jobsDone: {"jobs":[{...,"status","attempts","at","httpStatus","error"}]}: jobs the origin
//   finished (status "done" or "failed").
QString jobRecordPayload(const DeliveryJob &job);
QString takenRecordPayload(const QList<DeliveryJob> &jobs);
QString doneRecordPayload(const QList<DeliveryJob> &jobs);

// Read back; empty when a payload is not one this version writes (a peer of another version,
// or a job gone at the sender): the record then only counts as seen.
std::optional<DeliveryJob> readJobRecordPayload(const QString &payload);
std::optional<QList<DeliveryJob>> readTakenRecordPayload(const QString &payload);
std::optional<QList<DeliveryJob>> readDoneRecordPayload(const QString &payload);

} // namespace herald::syncd
