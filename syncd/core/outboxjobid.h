// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace herald::syncd {

// A new outbox job's id: a UUID of version 7 (RFC 9562), its first 48 bits the time in ms,
// the rest random. Ids made later sort after earlier ones (as text too), so each job's
// primary key lands at the end of the deliveries index instead of on a random page of it.
QString newOutboxJobId(qint64 nowMs);

} // namespace herald::syncd
