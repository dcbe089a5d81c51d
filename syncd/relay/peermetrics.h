// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "relay/relay.h"

#include <QByteArray>
#include <QJsonArray>

namespace herald::syncd {

// Per-peer state, lag and queue depth in the Prometheus text format, labelled by node.
QByteArray renderPeerMetrics(int node, const QList<PeerStatus> &peers);
// The peers as healthz lists them.
QJsonArray peersToJson(const QList<PeerStatus> &peers);

} // namespace herald::syncd
