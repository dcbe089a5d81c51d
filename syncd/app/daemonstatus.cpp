// SPDX-License-Identifier: Apache-2.0
#include "app/daemonstatus.h"

#include "config-herald.h"
#include "config/config.h"
#include "metrics/deliverymetrics.h"
#include "metrics/metrics.h"
#include "relay/peermetrics.h"
#include "relay/relay.h"
#include "store/storethread.h"
#include "ws/hub.h"

namespace herald::syncd {

QJsonObject DaemonStatus::health() const
{
    return QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")},
                       {QStringLiteral("node"), m_config.nodeId},
                       {QStringLiteral("version"), QStringLiteral(HERALD_VERSION)},
                       {QStringLiteral("sessions"), m_hub.sessionCount()},
                       {QStringLiteral("peers"), peersToJson(m_relay.status())}};
}

QByteArray DaemonStatus::metrics() const
{
    m_metrics.storeBatches.store(m_store.batchesCommitted());
    m_metrics.storeOperations.store(m_store.operationsCommitted());
    return m_metrics.render(m_config.nodeId, m_hub.sessionCount()) +
           renderPeerMetrics(m_config.nodeId, m_relay.status()) +
           m_deliveries.render(m_config.nodeId);
}

} // namespace herald::syncd
