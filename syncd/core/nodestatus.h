// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QJsonObject>

namespace herald::syncd {

// What this node reports about itself on /healthz and /metrics, gathered from its parts
// (sessions, peers, store, counters) by the composition root. Front thread.
class NodeStatus
{
public:
    virtual ~NodeStatus() = default;

    // The /healthz body: status, node, version, sessions, peers.
    virtual QJsonObject health() const = 0;
    // Every metric in the Prometheus text format.
    virtual QByteArray metrics() const = 0;
};

} // namespace herald::syncd
