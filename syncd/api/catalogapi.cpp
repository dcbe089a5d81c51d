// SPDX-License-Identifier: Apache-2.0
#include "catalogapi.h"

#include "api/answer.h"
#include "core/catalogservice.h"

#include <QJsonArray>

namespace herald::syncd {

namespace {
template <typename T>
void sendCreatedOrOk(const HttpResponder &responder, const std::pair<T, bool> &saved)
{
    responder.send(HttpResponse::json(saved.second ? 201 : 200,
                                      QJsonDocument(JsonCodec::toJson(saved.first))));
}

template <typename T> void sendArray(const HttpResponder &responder, const QList<T> &items)
{
    QJsonArray array;
    for (const T &item : items)
        array.append(JsonCodec::toJson(item));
    responder.send(HttpResponse::json(200, QJsonDocument(array)));
}
} // namespace

void CatalogApi::addRoutes(Router &router)
{
    using P = Router::Params;
    const auto A = Router::Access::Authenticated;
    const QString app = QStringLiteral("app");
    router.add("PUT", QStringLiteral("/api/v1/applications/{app}"), A,
               [this, app](const HttpRequest &request, const P &params, const Principal &principal,
                           const HttpResponder &responder) {
                   if (auto allowed =
                           CatalogService::checkMayRegister(principal, params.value(app));
                       !allowed)
                       return sendError(responder, allowed.error());
                   auto parsed = m_json.parseApplication(request.body, params.value(app));
                   if (!parsed)
                       return sendError(responder, parsed.error());
                   m_service.saveApplication(
                       principal, *parsed,
                       answer<std::pair<Application, bool>>(responder, [responder](auto saved) {
                           sendCreatedOrOk(responder, saved);
                       }));
               });
    router.add("GET", QStringLiteral("/api/v1/applications"), A,
               [this](const HttpRequest &, const P &, const Principal &principal,
                      const HttpResponder &responder) {
                   m_service.applications(
                       principal, answer<QList<Application>>(responder, [responder](auto apps) {
                           sendArray(responder, apps);
                       }));
               });
    router.add("GET", QStringLiteral("/api/v1/applications/{app}"), A,
               [this, app](const HttpRequest &, const P &params, const Principal &principal,
                           const HttpResponder &responder) {
                   m_service.application(principal, params.value(app),
                                         answer<Application>(responder, [responder](auto found) {
                                             responder.send(HttpResponse::json(
                                                 200, QJsonDocument(JsonCodec::toJson(found))));
                                         }));
               });
    router.add("DELETE", QStringLiteral("/api/v1/applications/{app}"), A,
               [this, app](const HttpRequest &, const P &params, const Principal &principal,
                           const HttpResponder &responder) {
                   m_service.removeApplication(principal, params.value(app),
                                               answer<bool>(responder, [responder](bool) {
                                                   responder.send(HttpResponse::noContent());
                                               }));
               });
    router.add("PUT", QStringLiteral("/api/v1/applications/{app}/channels/{channel}"), A,
               [this, app](const HttpRequest &request, const P &params, const Principal &principal,
                           const HttpResponder &responder) {
                   const QString appName = params.value(app);
                   if (auto allowed = CatalogService::checkAccess(principal, appName); !allowed)
                       return sendError(responder, allowed.error());
                   auto channel = m_json.parseChannel(request.body, appName,
                                                      params.value(QStringLiteral("channel")));
                   if (!channel)
                       return sendError(responder, channel.error());
                   m_service.saveChannel(
                       principal, *channel,
                       answer<std::pair<Channel, bool>>(responder, [responder](auto saved) {
                           sendCreatedOrOk(responder, saved);
                       }));
               });
    router.add("GET", QStringLiteral("/api/v1/applications/{app}/channels"), A,
               [this, app](const HttpRequest &, const P &params, const Principal &principal,
                           const HttpResponder &responder) {
                   m_service.channels(principal, params.value(app),
                                      answer<QList<Channel>>(responder, [responder](auto channels) {
                                          sendArray(responder, channels);
                                      }));
               });
}

} // namespace herald::syncd
