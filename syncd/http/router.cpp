// SPDX-License-Identifier: Apache-2.0
#include "router.h"

#include "http/requestlimits.h"

namespace herald::syncd {

Router::Router(RequestLimits *limits, QObject *parent) : QObject(parent), m_limits(limits) {}

void Router::add(const QByteArray &method, const QString &pattern, Access access, Handler handler,
                 TokenIn tokenIn, Body body)
{
    m_routes.append({method, pattern.split(u'/', Qt::SkipEmptyParts), access, std::move(handler),
                     tokenIn, body});
}

void Router::setUpgradeCheck(const QString &path, UpgradeCheck check)
{
    m_upgradeChecks.insert(path, std::move(check));
}

bool Router::match(const Route &route, const QStringList &segments, Params *params)
{
    if (route.segments.size() != segments.size())
        return false;
    Params captured;
    for (qsizetype i = 0; i < segments.size(); ++i) {
        const QString &want = route.segments[i];
        if (want.startsWith(u'{') && want.endsWith(u'}'))
            captured.insert(want.mid(1, want.size() - 2), segments[i]);
        else if (want != segments[i])
            return false;
    }
    *params = std::move(captured);
    return true;
}

void Router::handleRequest(const HttpRequest &request, const HttpResponder &responder)
{
    if (auto refusal = m_limits->admit(request)) {
        responder.send(*refusal);
        return;
    }
    const QStringList segments = request.path.split(u'/', Qt::SkipEmptyParts);
    QList<QByteArray> allowed;
    for (const Route &route : m_routes) {
        Params params;
        if (!match(route, segments, &params))
            continue;
        if (route.method != request.method) {
            allowed.append(route.method);
            continue;
        }
        if (route.tokenIn == TokenIn::Header &&
            request.query.hasQueryItem(QStringLiteral("token"))) {
            responder.send(HttpResponse::error(Error::badRequest(
                QStringLiteral("token: not taken from the query string on %1 (it would end up in "
                               "access logs); send it as the header Authorization: Bearer <token>")
                    .arg(request.path))));
            return;
        }
        if (route.body == Body::Json && !request.body.isEmpty() && !request.hasJsonContentType()) {
            responder.send(HttpResponse::error(
                {ErrorCode::UnsupportedMediaType,
                 QStringLiteral("Content-Type: expected application/json, got %1")
                     .arg(QString::fromLatin1(request.header("content-type")))}));
            return;
        }
        authorizeAndRun(route, request, params, responder);
        return;
    }
    if (!allowed.isEmpty()) {
        HttpResponse response = HttpResponse::error(
            {ErrorCode::BadRequest, QStringLiteral("method: %1 is not allowed on %2")
                                        .arg(QString::fromLatin1(request.method), request.path)});
        response.status = 405;
        response.headers.append({"Allow", allowed.join(", ")});
        responder.send(response);
        return;
    }
    responder.send(HttpResponse::error(
        Error::notFound(QStringLiteral("path: no such endpoint %1").arg(request.path))));
}

void Router::authorizeAndRun(const Route &route, const HttpRequest &request, const Params &params,
                             const HttpResponder &responder)
{
    if (route.access == Access::Public ||
        (route.access == Access::LoopbackOrAdmin && request.client.isLoopback())) {
        route.handler(request, params, Principal{TokenKind::User, {}, {}, 0}, responder);
        return;
    }
    const Handler handler = route.handler;
    const Access access = route.access;
    m_limits->authenticate(
        request, this,
        [handler, access, request, params, responder](const RequestLimits::Outcome &outcome) {
            using Kind = RequestLimits::Outcome::Kind;
            switch (outcome.kind) {
            case Kind::NoToken:
                responder.send(HttpResponse::error(
                    {ErrorCode::Unauthorized,
                     QStringLiteral("Authorization: a bearer token is required")}));
                return;
            case Kind::Invalid:
                responder.send(
                    HttpResponse::error({ErrorCode::Unauthorized,
                                         QStringLiteral("Authorization: the token is not valid")}));
                return;
            case Kind::Refused:
                responder.send(*outcome.refusal);
                return;
            case Kind::Accepted:
                break;
            }
            if (outcome.principal.kind == TokenKind::Feed && access != Access::FeedReader) {
                responder.send(HttpResponse::error(Error::forbidden(
                    QStringLiteral("token: a feed token reads its user's feed and nothing else"))));
                return;
            }
            if (access == Access::LoopbackOrAdmin && !outcome.principal.isAdmin()) {
                responder.send(
                    HttpResponse::error(Error::forbidden(QStringLiteral("token: admin only"))));
                return;
            }
            handler(request, params, outcome.principal, responder);
        });
}

void Router::admitUpgrade(const HttpRequest &request, UpgradeDecision decide)
{
    if (auto refusal = m_limits->admit(request)) {
        decide(std::move(refusal));
        return;
    }
    auto check = m_upgradeChecks.constFind(request.path);
    if (check != m_upgradeChecks.cend() && request.method == "GET") {
        (*check)(request, std::move(decide));
        return;
    }
    decide(HttpResponse::error(
        Error::notFound(QStringLiteral("path: no WebSocket endpoint at %1").arg(request.path))));
}

} // namespace herald::syncd
