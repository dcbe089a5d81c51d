// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/nodestatus.h"

namespace herald::syncd {

class DeliveryMetrics;

class Hub;
class Relay;
class StoreThread;
struct Config;
struct Metrics;

// NodeStatus from the daemon's parts: the hub's sessions, the relay's peers, the store's
// commit counters and the shared counters.
class DaemonStatus final : public NodeStatus
{
public:
    DaemonStatus(const Config &config, Metrics &metrics, const DeliveryMetrics &deliveries,
                 const Hub &hub, const Relay &relay, const StoreThread &store)
        : m_config(config), m_metrics(metrics), m_deliveries(deliveries), m_hub(hub),
          m_relay(relay), m_store(store)
    {
    }

    QJsonObject health() const override;
    QByteArray metrics() const override;

private:
    const Config &m_config;
    Metrics &m_metrics;
    const DeliveryMetrics &m_deliveries;
    const Hub &m_hub;
    const Relay &m_relay;
    const StoreThread &m_store;
};

} // namespace herald::syncd
