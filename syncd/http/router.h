// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "auth/principal.h"
#include "http/httpconnection.h"

#include <QHash>
#include <QObject>

#include <functional>

namespace herald::syncd {

class RequestLimits;

// Maps "METHOD /path/{param}" to handlers, answers 404 and 405 (with Allow) itself, checks
// the content type of bodies (415) and authenticates before a handler runs (401). Handlers
// decide authorisation (403) from the Principal they get, but feed tokens, which may read one
// route only, are refused (403) here on every route but those that admit them (FeedReader). Every
// request and upgrade first spends one of its address's requests, and an authenticated one one of
// its token's (RequestLimits: 429). Lives on the front thread.
class Router : public QObject, public HttpHandler
{
    Q_OBJECT
public:
    using Params = QHash<QString, QString>;
    using Handler = std::function<void(const HttpRequest &, const Params &, const Principal &,
                                       const HttpResponder &)>;
    // Decides whether an upgrade may happen (see HttpHandler::admitUpgrade).
    using UpgradeCheck = std::function<void(const HttpRequest &, UpgradeDecision)>;
    enum class Access
    {
        Public,          // no token needed; the handler gets an admin-less user principal
        Authenticated,   // a valid token of any kind but feed, else 401 (a feed token: 403)
        LoopbackOrAdmin, // a client on 127.0.0.0/8 or ::1 (HttpRequest::client), else an admin
                         // token
        FeedReader,      // a valid token of any kind, feed tokens included: the Atom feed only
    };
    // Where a route takes its token from. A token in a URL ends up in access logs and
    // browser histories: only routes that cannot send headers (the WebSocket upgrade, feed
    // readers) take `?token=`; the others refuse a request that carries one (400).
    enum class TokenIn
    {
        Header,
        HeaderOrQuery,
    };
    // What a route's body may be. Json routes refuse any other declared type with 415 before
    // the handler runs; a route that takes Any (plain-text publish) checks the type itself.
    enum class Body
    {
        Json,
        Any,
    };

    Router(RequestLimits *limits, QObject *parent = nullptr);

    void add(const QByteArray &method, const QString &pattern, Access access, Handler handler,
             TokenIn tokenIn = TokenIn::Header, Body body = Body::Json);
    // Upgrades to `path` are decided by `check` (one per path); upgrades to paths without a
    // check are refused with 404.
    void setUpgradeCheck(const QString &path, UpgradeCheck check);

    void handleRequest(const HttpRequest &request, const HttpResponder &responder) override;
    void admitUpgrade(const HttpRequest &request, UpgradeDecision decide) override;

private:
    struct Route
    {
        QByteArray method;
        QStringList segments; // "{name}" segments capture
        Access access;
        Handler handler;
        TokenIn tokenIn;
        Body body;
    };
    static bool match(const Route &route, const QStringList &segments, Params *params);
    void authorizeAndRun(const Route &route, const HttpRequest &request, const Params &params,
                         const HttpResponder &responder);

    RequestLimits *m_limits;
    QList<Route> m_routes;
    QHash<QString, UpgradeCheck> m_upgradeChecks; // by path
};

} // namespace herald::syncd
