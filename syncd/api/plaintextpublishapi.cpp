// SPDX-License-Identifier: Apache-2.0
#include "api/plaintextpublishapi.h"

#include "api/publishanswer.h"
#include "core/notificationservice.h"

namespace herald::syncd {

void PlainTextPublishApi::addRoutes(Router &router)
{
    // The body is text, not JSON: this route checks its Content-Type itself.
    router.add(
        "POST", QStringLiteral("/api/v1/publish/{app}/{channel}"), Router::Access::Authenticated,
        [this](const HttpRequest &request, const Router::Params &params, const Principal &principal,
               const HttpResponder &responder) { publish(request, params, principal, responder); },
        Router::TokenIn::Header, Router::Body::Any);
}

void PlainTextPublishApi::publish(const HttpRequest &request, const Router::Params &params,
                                  const Principal &principal, const HttpResponder &responder)
{
    if (auto allowed = NotificationService::checkMayPublish(principal); !allowed)
        return sendError(responder, allowed.error());
    auto notification = m_reader.read(params.value(QStringLiteral("app")),
                                      params.value(QStringLiteral("channel")), request);
    if (!notification)
        return sendError(responder, notification.error());
    m_service.publish({std::move(*notification)}, false, principal,
                      answerPublished(responder, false));
}

} // namespace herald::syncd
