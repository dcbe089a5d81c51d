// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/limits.h"

#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace herald::syncd {

// Transport policy against floods ([limits] in the INI file; PROTOCOL.md, Limits). A rate of
// 0 and a cap of 0 mean no limit, except httpConnections, where 0 means "from the descriptor
// budget" (Daemon::start). Defaults sit far above what one well-behaved client does, the test
// suite and tests/bench included: they stop floods, not use.
struct TrafficLimits
{
    int httpConnections = 0;         // HTTP connections held at once, sniffing ones included
    int connectionsPerAddress = 256; // HTTP connections from one address (trusted proxies exempt)
    int webSocketsPerAddress = 1024; // WebSocket sessions from one client address
    int addressRate = 20000;         // requests/s from one client address (REST and upgrades)
    int addressBurst = 100000;
    int tokenRate = 2000; // requests/s with one token
    int tokenBurst = 20000;
    int authFailures = 20;           // bad tokens an address may send at once...
    int authFailureWindowMs = 60000; // ...and again as many per this window
    // Peers whose X-Forwarded-For names the client: address and prefix length.
    QList<QPair<QHostAddress, int>> trustedProxies;
};

// Everything herald-syncd can be told, validated. Sources, later ones winning: INI file,
// environment (HERALD_*), command-line flags. See ConfigLoader.
struct Config
{
    QStringList warnings; // about the configuration itself, logged at start
    QHostAddress listenAddress = QHostAddress::LocalHost;
    quint16 listenPort = 8080;
    QString database;
    int nodeId = 0;
    bool noAuth = false;
    QString synchronous = QStringLiteral("FULL");
    bool autoCreateChannels = true;
    int inboxCap = 1000; // each user's inbox keeps its newest this many

    int workerThreads = 0; // WebSocket event loops; 0: one per core
    // Past this, WebSockets are closed with 1013; 0: the descriptor budget less the HTTP share.
    int maxConnections = 0;
    int maxHeaderBytes = 16 * 1024; // larger request heads get 431
    int registerTimeoutMs = 10000;
    int idleTimeoutMs = 60000;        // a WebSocket silent this long is closed
    int pingIntervalMs = 25000;       // the server pings quiet WebSockets this often
    int httpIdleTimeoutMs = 30000;    // keep-alive connections with no request
    int httpRequestTimeoutMs = 10000; // a request must arrive whole within this
    qint64 maxPendingBytesPerSession = 4 * 1024 * 1024; // a client this far behind is cut off

    Limits limits;
    TrafficLimits traffic;

    QStringList peers;
    QString clusterName;
    QString clusterSecret;
    int peerTimeoutMs = 15000; // a peer link silent this long is dropped (peers speak every second)
};

} // namespace herald::syncd
