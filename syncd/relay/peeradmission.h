// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/config.h"
#include "relay/peermessages.h"

#include <QString>

namespace herald::syncd {

// Why a node that sent `hello` may not be this node's peer: another cluster, the wrong secret
// (compared in constant time), this node's own id, or no cluster secret here. Empty: welcome.
QString peerRefusal(const PeerHello &hello, const Config &config);

} // namespace herald::syncd
