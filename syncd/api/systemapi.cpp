#include "systemapi.h"

#include "relay/peermetrics.h"

#include "config-herald.h"
#include "metrics/metrics.h"
#include "ws/hub.h"

#include <QJsonObject>

namespace herald::syncd {

void SystemApi::addRoutes(Router &router)
{
    router.add("GET", QStringLiteral("/healthz"), Router::Access::Public,
               [this](const HttpRequest &, const Router::Params &, const Principal &,
                      const HttpResponder &responder) {
                   const QJsonObject health{
                       {QStringLiteral("status"), QStringLiteral("ok")},
                       {QStringLiteral("node"), m_api.config.nodeId},
                       {QStringLiteral("version"), QStringLiteral(HERALD_VERSION)},
                       {QStringLiteral("sessions"), m_api.hub.sessionCount()},
                       {QStringLiteral("peers"), peersToJson(m_api.relay.status())}};
                   responder.send(HttpResponse::json(200, QJsonDocument(health)));
               });
    router.add("GET", QStringLiteral("/metrics"), Router::Access::LoopbackOrAdmin,
               [this](const HttpRequest &, const Router::Params &, const Principal &,
                      const HttpResponder &responder) {
                   m_api.metrics.storeBatches.store(m_api.store.batchesCommitted());
                   m_api.metrics.storeOperations.store(m_api.store.operationsCommitted());
                   HttpResponse response;
                   response.contentType = "text/plain; version=0.0.4";
                   response.body =
                       m_api.metrics.render(m_api.config.nodeId, m_api.hub.sessionCount()) +
                       renderPeerMetrics(m_api.config.nodeId, m_api.relay.status());
                   responder.send(response);
               });
}

} // namespace herald::syncd
