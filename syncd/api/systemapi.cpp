// SPDX-License-Identifier: Apache-2.0
#include "systemapi.h"

#include "core/nodestatus.h"

#include <QJsonDocument>

namespace herald::syncd {

void SystemApi::addRoutes(Router &router)
{
    router.add("GET", QStringLiteral("/healthz"), Router::Access::Public,
               [this](const HttpRequest &, const Router::Params &, const Principal &,
                      const HttpResponder &responder) {
                   responder.send(HttpResponse::json(200, QJsonDocument(m_status.health())));
               });
    router.add("GET", QStringLiteral("/metrics"), Router::Access::LoopbackOrAdmin,
               [this](const HttpRequest &, const Router::Params &, const Principal &,
                      const HttpResponder &responder) {
                   HttpResponse response;
                   response.contentType = "text/plain; version=0.0.4";
                   response.body = m_status.metrics();
                   responder.send(response);
               });
}

} // namespace herald::syncd
