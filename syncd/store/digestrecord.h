// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/digesttypes.h"

#include <QString>

#include <optional>

namespace herald::syncd {

// The payload of a digest's relay record (docs/RELAY.md): what the other nodes need to record
// the digest as sent, drop its items from their own queues and move their run of it on.
// {"id","key","periodEnd","nextDue","count","items":[ids],"frame":{...}}; the user, the
// sender and the time travel in the record itself.
QString digestRecordPayload(const SentDigest &digest);

// Reads a payload back, with the record's user, origin (the sender), sequence and time. Empty
// when it is not one this version writes (a peer of another version): the record then only
// counts as seen.
std::optional<SentDigest> readDigestRecordPayload(const QString &payload, const QString &user,
                                                  int origin, qint64 seq, qint64 timeMs);

} // namespace herald::syncd
