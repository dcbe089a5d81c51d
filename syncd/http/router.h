#pragma once

#include "auth/principal.h"
#include "http/httpconnection.h"

#include <QHash>
#include <QObject>

#include <functional>

namespace herald::syncd {

class Authenticator;

// Maps "METHOD /path/{param}" to handlers, answers 404 and 405 (with Allow) itself, checks
// the content type of bodies (415) and authenticates before a handler runs (401). Handlers
// decide authorisation (403) from the Principal they get. Lives on the front thread.
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
        Authenticated,   // a valid token (any kind), else 401
        LoopbackOrAdmin, // anyone from 127.0.0.0/8 or ::1, else an admin token
    };

    Router(Authenticator *authenticator, QObject *parent = nullptr);

    void add(const QByteArray &method, const QString &pattern, Access access, Handler handler);
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
    };
    static bool match(const Route &route, const QStringList &segments, Params *params);
    void authorizeAndRun(const Route &route, const HttpRequest &request, const Params &params,
                         const HttpResponder &responder);

    Authenticator *m_authenticator;
    QList<Route> m_routes;
    QHash<QString, UpgradeCheck> m_upgradeChecks; // by path
};

} // namespace herald::syncd
