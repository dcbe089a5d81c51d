#include "adminapi.h"

#include "auth/authenticator.h"
#include "auth/tokenissuer.h"
#include "model/timestamps.h"
#include "ws/hub.h"

#include <QJsonArray>
#include <QJsonObject>

namespace herald::syncd {

namespace {
Result<QJsonObject> jsonObject(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return fail(ErrorCode::BadRequest,
                    QStringLiteral("body: invalid JSON (%1)").arg(error.errorString()));
    if (!document.isObject())
        return fail(ErrorCode::BadRequest, QStringLiteral("body: expected a JSON object"));
    return document.object();
}

QJsonObject tokenJson(const TokenRecord &token)
{
    QJsonObject object{{QStringLiteral("id"), token.id},
                       {QStringLiteral("kind"), tokenKindName(token.kind)},
                       {QStringLiteral("createdAt"), toRfc3339(token.createdAt)}};
    if (!token.application.isEmpty())
        object.insert(QStringLiteral("application"), token.application);
    if (!token.user.isEmpty())
        object.insert(QStringLiteral("user"), token.user);
    if (!token.label.isEmpty())
        object.insert(QStringLiteral("label"), token.label);
    return object;
}
} // namespace

void AdminApi::addRoutes(Router &router)
{
    using P = Router::Params;
    const auto A = Router::Access::Authenticated;
    auto adminOnly = [](const Principal &principal, const HttpResponder &responder) {
        if (principal.isAdmin())
            return true;
        responder.send(forbidden(QStringLiteral("token: admin only")));
        return false;
    };
    router.add("POST", QStringLiteral("/api/v1/users"), A,
               [this, adminOnly](const HttpRequest &request, const P &, const Principal &principal,
                                 const HttpResponder &responder) {
                   if (!adminOnly(principal, responder))
                       return;
                   auto body = jsonObject(request.body);
                   if (!body)
                       return responder.send(HttpResponse::error(body.error()));
                   const QJsonValue nameValue = body->value(QStringLiteral("name"));
                   if (!nameValue.isString())
                       return responder.send(HttpResponse::error(
                           Error::badRequest(QStringLiteral("name: required string"))));
                   const QString name = nameValue.toString();
                   if (auto valid = m_api.json.validator().checkName(name, QStringLiteral("name"));
                       !valid)
                       return responder.send(HttpResponse::error(valid.error()));
                   m_api.query<bool>(
                       responder,
                       [name](SqlStore &store) -> Result<bool> {
                           if (auto created = store.createUser(name); !created)
                               return tl::unexpected(created.error());
                           return true;
                       },
                       [name, responder](bool) {
                           responder.send(HttpResponse::json(
                               201, QJsonDocument(QJsonObject{{QStringLiteral("name"), name}})));
                       });
               });
    router.add("GET", QStringLiteral("/api/v1/users"), A,
               [this, adminOnly](const HttpRequest &, const P &, const Principal &principal,
                                 const HttpResponder &responder) {
                   if (!adminOnly(principal, responder))
                       return;
                   m_api.query<QStringList>(
                       responder, [](SqlStore &store) { return store.users(); },
                       [responder](QStringList users) {
                           responder.send(HttpResponse::json(
                               200, QJsonDocument(QJsonArray::fromStringList(users))));
                       });
               });
    router.add("POST", QStringLiteral("/api/v1/users/{user}/drop"), A,
               [this, adminOnly](const HttpRequest &, const P &params, const Principal &principal,
                                 const HttpResponder &responder) {
                   if (!adminOnly(principal, responder))
                       return;
                   const int closed = m_api.hub.dropUser(params.value(QStringLiteral("user")));
                   responder.send(HttpResponse::json(
                       200, QJsonDocument(QJsonObject{{QStringLiteral("closed"), closed}})));
               });
    router.add("POST", QStringLiteral("/api/v1/tokens"), A,
               [this, adminOnly](const HttpRequest &request, const P &, const Principal &principal,
                                 const HttpResponder &responder) {
                   if (adminOnly(principal, responder))
                       createToken(request, responder);
               });
    router.add("GET", QStringLiteral("/api/v1/tokens"), A,
               [this, adminOnly](const HttpRequest &, const P &, const Principal &principal,
                                 const HttpResponder &responder) {
                   if (!adminOnly(principal, responder))
                       return;
                   m_api.query<QList<TokenRecord>>(
                       responder, [](SqlStore &store) { return store.tokens(); },
                       [responder](QList<TokenRecord> tokens) {
                           QJsonArray array;
                           for (const TokenRecord &t : tokens)
                               array.append(tokenJson(t));
                           responder.send(HttpResponse::json(200, QJsonDocument(array)));
                       });
               });
    router.add("DELETE", QStringLiteral("/api/v1/tokens/{id}"), A,
               [this, adminOnly](const HttpRequest &, const P &params, const Principal &principal,
                                 const HttpResponder &responder) {
                   if (!adminOnly(principal, responder))
                       return;
                   bool ok = false;
                   const qint64 id = params.value(QStringLiteral("id")).toLongLong(&ok);
                   if (!ok || id <= 0)
                       return responder.send(HttpResponse::error(
                           Error::badRequest(QStringLiteral("id: not a token id"))));
                   m_api.query<bool>(
                       responder, [id](SqlStore &store) { return store.deleteToken(id); },
                       [this, id, responder](bool deleted) {
                           if (!deleted)
                               return responder.send(HttpResponse::error(
                                   Error::notFound(QStringLiteral("id: no token %1").arg(id))));
                           m_api.authenticator.forget(id);
                           responder.send(HttpResponse::noContent());
                       });
               });
}

void AdminApi::createToken(const HttpRequest &request, const HttpResponder &responder)
{
    auto body = jsonObject(request.body);
    if (!body)
        return responder.send(HttpResponse::error(body.error()));
    const auto kind = tokenKindFromName(body->value(QStringLiteral("kind")).toString());
    if (!kind)
        return responder.send(HttpResponse::error(
            Error::badRequest(QStringLiteral("kind: must be admin, producer or user"))));
    const QString application = body->value(QStringLiteral("application")).toString();
    const QString user = body->value(QStringLiteral("user")).toString();
    const QString label = body->value(QStringLiteral("label")).toString();
    m_api.query<IssuedToken>(
        responder,
        [kind = *kind, application, user, label](SqlStore &store) {
            return issueToken(store, kind, application, user, label);
        },
        [responder](IssuedToken issued) {
            QJsonObject object = tokenJson(issued.record);
            object.insert(QStringLiteral("token"), issued.secret);
            responder.send(HttpResponse::json(201, QJsonDocument(object)));
        });
}

} // namespace herald::syncd
