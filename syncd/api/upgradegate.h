#pragma once

#include "http/httpconnection.h"

#include <QObject>

namespace herald::syncd {

class Authenticator;
struct HttpRequest;

// Decides on a WebSocket upgrade before it happens: a token on the upgrade request (query
// `token` or `Authorization: Bearer`) must be valid, else the client gets HTTP 401 and no
// WebSocket. Without a token the upgrade goes ahead and `register` must carry one. Lives on the
// front thread.
class UpgradeGate : public QObject
{
    Q_OBJECT
public:
    explicit UpgradeGate(Authenticator *authenticator, QObject *parent = nullptr);

    void check(const HttpRequest &request, HttpHandler::UpgradeDecision decide);

private:
    Authenticator *m_authenticator;
};

} // namespace herald::syncd
