// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http/httpconnection.h"

#include <QObject>

namespace herald::syncd {

class RequestLimits;
struct HttpRequest;

// Decides on a WebSocket upgrade before it happens: a token on the upgrade request (query
// `token` or `Authorization: Bearer`) must be valid, else the client gets HTTP 401 and no
// WebSocket; an address that sent too many bad tokens, or a token over its rate, gets 429
// (RequestLimits). Without a token the upgrade goes ahead and `register` must carry one.
// Lives on the front thread.
class UpgradeGate : public QObject
{
    Q_OBJECT
public:
    explicit UpgradeGate(RequestLimits *limits, QObject *parent = nullptr);

    void check(const HttpRequest &request, HttpHandler::UpgradeDecision decide);

private:
    RequestLimits *m_limits;
};

} // namespace herald::syncd
