// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/messages.h"
#include "store/relayrecord.h"

#include <optional>

namespace herald::syncd {

// A digest sent this long ago or longer is not shown to sessions when its record comes: a
// popup of an old digest (a node catching up after a downtime) would only confuse.
constexpr qint64 FreshDigestMs = 60'000;

// What a `digest` record from another node shows this node's sessions of its user: the frame,
// when the digest is fresh at `nowMs` and went to the desktop agent. Empty otherwise, also
// for a record that does not read (a peer of another version; logged).
std::optional<DigestMessage> relayedDigestFrame(const RelayRecord &record, qint64 nowMs);

} // namespace herald::syncd
