// SPDX-License-Identifier: Apache-2.0
#include "adminapi.h"

#include "api/answer.h"
#include "core/accountservice.h"
#include "model/timestamps.h"

#include <QJsonArray>
#include <QJsonObject>

namespace herald::syncd {

namespace {
// An admin's request body: "forbidden" before anything about the body is said.
Result<QJsonObject> adminBody(const HttpRequest &request, const Principal &principal)
{
    if (auto allowed = AccountService::checkAdmin(principal); !allowed)
        return tl::unexpected(allowed.error());
    return JsonCodec::parseObjectBody(request.body);
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
    router.add(
        "POST", QStringLiteral("/api/v1/users"), A,
        [this](const HttpRequest &request, const P &, const Principal &principal,
               const HttpResponder &responder) { createUser(request, principal, responder); });
    router.add("GET", QStringLiteral("/api/v1/users"), A,
               [this](const HttpRequest &, const P &, const Principal &principal,
                      const HttpResponder &responder) {
                   m_service.users(principal,
                                   answer<QStringList>(responder, [responder](QStringList users) {
                                       responder.send(HttpResponse::json(
                                           200, QJsonDocument(QJsonArray::fromStringList(users))));
                                   }));
               });
    router.add("DELETE", QStringLiteral("/api/v1/users/{user}"), A,
               [this](const HttpRequest &, const P &params, const Principal &principal,
                      const HttpResponder &responder) {
                   m_service.deleteUser(principal, params.value(QStringLiteral("user")),
                                        answer<bool>(responder, [responder](bool) {
                                            responder.send(HttpResponse::noContent());
                                        }));
               });
    router.add("POST", QStringLiteral("/api/v1/users/{user}/drop"), A,
               [this](const HttpRequest &, const P &params, const Principal &principal,
                      const HttpResponder &responder) {
                   m_service.dropUser(principal, params.value(QStringLiteral("user")),
                                      answer<int>(responder, [responder](int closed) {
                                          responder.send(HttpResponse::json(
                                              200, QJsonDocument(QJsonObject{
                                                       {QStringLiteral("closed"), closed}})));
                                      }));
               });
    router.add(
        "POST", QStringLiteral("/api/v1/tokens"), A,
        [this](const HttpRequest &request, const P &, const Principal &principal,
               const HttpResponder &responder) { createToken(request, principal, responder); });
    router.add(
        "GET", QStringLiteral("/api/v1/tokens"), A,
        [this](const HttpRequest &, const P &, const Principal &principal,
               const HttpResponder &responder) {
            m_service.tokens(
                principal,
                answer<QList<TokenRecord>>(responder, [responder](QList<TokenRecord> tokens) {
                    QJsonArray array;
                    for (const TokenRecord &t : tokens)
                        array.append(tokenJson(t));
                    responder.send(HttpResponse::json(200, QJsonDocument(array)));
                }));
        });
    router.add("DELETE", QStringLiteral("/api/v1/tokens/{id}"), A,
               [this](const HttpRequest &, const P &params, const Principal &principal,
                      const HttpResponder &responder) {
                   if (auto allowed = AccountService::checkAdmin(principal); !allowed)
                       return sendError(responder, allowed.error());
                   bool ok = false;
                   const qint64 id = params.value(QStringLiteral("id")).toLongLong(&ok);
                   if (!ok || id <= 0)
                       return sendError(responder,
                                        Error::badRequest(QStringLiteral("id: not a token id")));
                   m_service.revokeToken(principal, id, answer<bool>(responder, [responder](bool) {
                                             responder.send(HttpResponse::noContent());
                                         }));
               });
}

void AdminApi::createUser(const HttpRequest &request, const Principal &principal,
                          const HttpResponder &responder)
{
    auto body = adminBody(request, principal);
    if (!body)
        return sendError(responder, body.error());
    const QJsonValue nameValue = body->value(QStringLiteral("name"));
    if (!nameValue.isString())
        return sendError(responder, Error::badRequest(QStringLiteral("name: required string")));
    const QString name = nameValue.toString();
    if (auto valid = m_json.validator().checkName(name, QStringLiteral("name")); !valid)
        return sendError(responder, valid.error());
    m_service.createUser(principal, name, answer<bool>(responder, [name, responder](bool) {
                             responder.send(HttpResponse::json(
                                 201, QJsonDocument(QJsonObject{{QStringLiteral("name"), name}})));
                         }));
}

void AdminApi::createToken(const HttpRequest &request, const Principal &principal,
                           const HttpResponder &responder)
{
    auto body = adminBody(request, principal);
    if (!body)
        return sendError(responder, body.error());
    const auto kind = tokenKindFromName(body->value(QStringLiteral("kind")).toString());
    if (!kind)
        return sendError(responder, Error::badRequest(QStringLiteral(
                                        "kind: must be admin, producer, user or feed")));
    m_service.issueToken(principal, *kind, body->value(QStringLiteral("application")).toString(),
                         body->value(QStringLiteral("user")).toString(),
                         body->value(QStringLiteral("label")).toString(),
                         answer<IssuedToken>(responder, [responder](IssuedToken issued) {
                             QJsonObject object = tokenJson(issued.record);
                             object.insert(QStringLiteral("token"), issued.secret);
                             responder.send(HttpResponse::json(201, QJsonDocument(object)));
                         }));
}

} // namespace herald::syncd
