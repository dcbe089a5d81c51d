#include "catalogapi.h"

#include <QJsonArray>

namespace herald::syncd {

namespace {
// 404 for an application the principal may not see at all would leak less, but producers know
// their own application's name: 403 says clearly which token is wrong.
std::optional<HttpResponse> checkApplication(const Principal &principal, const QString &app,
                                             bool readOnly = false)
{
    if (!Validator::isValidName(app))
        return HttpResponse::error(
            Error::badRequest(QStringLiteral("application: not a valid name")));
    if (readOnly ? !principal.mayReadApplication(app) : !principal.mayUseApplication(app))
        return forbidden(QStringLiteral("application: this token may not use '%1'").arg(app));
    return std::nullopt;
}
} // namespace

void CatalogApi::addRoutes(Router &router)
{
    using P = Router::Params;
    const auto A = Router::Access::Authenticated;
    router.add(
        "PUT", QStringLiteral("/api/v1/applications/{app}"), A,
        [this](const HttpRequest &request, const P &params, const Principal &principal,
               const HttpResponder &responder) {
            if (!principal.isAdmin())
                return responder.send(forbidden(QStringLiteral("token: admin only")));
            auto app =
                m_api.json.parseApplication(request.body, params.value(QStringLiteral("app")));
            if (!app)
                return responder.send(HttpResponse::error(app.error()));
            m_api.query<std::pair<Application, bool>>(
                responder,
                [app = *app](SqlStore &store) -> Result<std::pair<Application, bool>> {
                    auto existing = store.findApplication(app.name);
                    if (!existing)
                        return tl::unexpected(existing.error());
                    auto saved = store.upsertApplication(app);
                    if (!saved)
                        return tl::unexpected(saved.error());
                    return std::pair{*saved, !existing->has_value()};
                },
                [responder](std::pair<Application, bool> saved) {
                    responder.send(HttpResponse::json(
                        saved.second ? 201 : 200, QJsonDocument(JsonCodec::toJson(saved.first))));
                });
        });
    router.add("GET", QStringLiteral("/api/v1/applications"), A,
               [this](const HttpRequest &, const P &, const Principal &principal,
                      const HttpResponder &responder) {
                   m_api.query<QList<Application>>(
                       responder, [](SqlStore &store) { return store.applications(); },
                       [principal, responder](QList<Application> apps) {
                           QJsonArray array;
                           for (const Application &app : apps) {
                               if (principal.mayReadApplication(app.name))
                                   array.append(JsonCodec::toJson(app));
                           }
                           responder.send(HttpResponse::json(200, QJsonDocument(array)));
                       });
               });
    router.add("GET", QStringLiteral("/api/v1/applications/{app}"), A,
               [this](const HttpRequest &, const P &params, const Principal &principal,
                      const HttpResponder &responder) {
                   const QString name = params.value(QStringLiteral("app"));
                   if (auto refused = checkApplication(principal, name, true))
                       return responder.send(*refused);
                   m_api.query<std::optional<Application>>(
                       responder, [name](SqlStore &store) { return store.findApplication(name); },
                       [name, responder](std::optional<Application> app) {
                           if (!app)
                               return responder.send(HttpResponse::error(Error::notFound(
                                   QStringLiteral("application: no application '%1'").arg(name))));
                           responder.send(
                               HttpResponse::json(200, QJsonDocument(JsonCodec::toJson(*app))));
                       });
               });
    router.add("DELETE", QStringLiteral("/api/v1/applications/{app}"), A,
               [this](const HttpRequest &, const P &params, const Principal &principal,
                      const HttpResponder &responder) {
                   const QString name = params.value(QStringLiteral("app"));
                   if (auto refused = checkApplication(principal, name))
                       return responder.send(*refused);
                   // Forgotten now and again once deleted: transient publishes in between
                   // go through the store, which orders them with the delete.
                   m_api.knownChannels.forgetApplication(name);
                   m_api.query<bool>(
                       responder, [name](SqlStore &store) { return store.deleteApplication(name); },
                       [this, name, responder](bool deleted) {
                           m_api.knownChannels.forgetApplication(name);
                           if (!deleted)
                               return responder.send(HttpResponse::error(Error::notFound(
                                   QStringLiteral("application: no application '%1'").arg(name))));
                           responder.send(HttpResponse::noContent());
                       });
               });
    router.add("PUT", QStringLiteral("/api/v1/applications/{app}/channels/{channel}"), A,
               [this](const HttpRequest &request, const P &params, const Principal &principal,
                      const HttpResponder &responder) {
                   const QString appName = params.value(QStringLiteral("app"));
                   if (auto refused = checkApplication(principal, appName))
                       return responder.send(*refused);
                   auto channel = m_api.json.parseChannel(request.body, appName,
                                                          params.value(QStringLiteral("channel")));
                   if (!channel)
                       return responder.send(HttpResponse::error(channel.error()));
                   m_api.query<std::pair<Channel, bool>>(
                       responder,
                       [channel = *channel](SqlStore &store) -> Result<std::pair<Channel, bool>> {
                           auto existing = store.findChannel(channel.application, channel.name);
                           if (!existing)
                               return tl::unexpected(existing.error());
                           auto saved = store.upsertChannel(channel);
                           if (!saved)
                               return tl::unexpected(saved.error());
                           return std::pair{*saved, !existing->has_value()};
                       },
                       [responder](std::pair<Channel, bool> saved) {
                           responder.send(
                               HttpResponse::json(saved.second ? 201 : 200,
                                                  QJsonDocument(JsonCodec::toJson(saved.first))));
                       });
               });
    router.add("GET", QStringLiteral("/api/v1/applications/{app}/channels"), A,
               [this](const HttpRequest &, const P &params, const Principal &principal,
                      const HttpResponder &responder) {
                   const QString appName = params.value(QStringLiteral("app"));
                   if (auto refused = checkApplication(principal, appName, true))
                       return responder.send(*refused);
                   m_api.query<QList<Channel>>(
                       responder,
                       [appName](SqlStore &store) -> Result<QList<Channel>> {
                           auto app = store.findApplication(appName);
                           if (!app)
                               return tl::unexpected(app.error());
                           if (!app->has_value())
                               return fail(
                                   ErrorCode::NotFound,
                                   QStringLiteral("application: no application '%1'").arg(appName));
                           return store.channels(appName);
                       },
                       [responder](QList<Channel> channels) {
                           QJsonArray array;
                           for (const Channel &c : channels)
                               array.append(JsonCodec::toJson(c));
                           responder.send(HttpResponse::json(200, QJsonDocument(array)));
                       });
               });
}

} // namespace herald::syncd
