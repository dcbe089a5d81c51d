// SPDX-License-Identifier: Apache-2.0
#include "api/alertmanagerapi.h"

#include "api/publishanswer.h"
#include "core/notificationservice.h"

namespace herald::syncd {

namespace {
// The core names a batch item "[2].code"; here the items are the body's alerts.
Error namingAlerts(Error error)
{
    if (error.message.startsWith(u'['))
        error.message.prepend(QStringLiteral("alerts"));
    return error;
}
} // namespace

void AlertmanagerApi::addRoutes(Router &router)
{
    router.add("POST", QStringLiteral("/api/v1/integrations/alertmanager/{app}"),
               Router::Access::Authenticated,
               [this](const HttpRequest &request, const Router::Params &params,
                      const Principal &principal, const HttpResponder &responder) {
                   receive(request, params.value(QStringLiteral("app")), principal, responder);
               });
}

void AlertmanagerApi::receive(const HttpRequest &request, const QString &application,
                              const Principal &principal, const HttpResponder &responder)
{
    if (auto allowed = NotificationService::checkMayPublish(principal); !allowed)
        return sendError(responder, allowed.error());
    const QString channel =
        request.query.queryItemValue(QStringLiteral("channel"), QUrl::FullyDecoded);
    auto alerts = m_webhook.read(application, channel, request.body);
    if (!alerts)
        return sendError(responder, alerts.error());
    m_service.publish(std::move(*alerts), true, principal,
                      [done = answerPublished(responder, true)](Result<QList<Notification>> r) {
                          if (!r)
                              return done(tl::unexpected(namingAlerts(r.error())));
                          done(std::move(r));
                      });
}

} // namespace herald::syncd
