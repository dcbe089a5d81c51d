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

// Routing to endpoints ([endpoints] in the INI file; PROTOCOL.md, Routing to endpoints).
struct EndpointSettings
{
    // Endpoints on loopback, link-local and private networks are refused unless this is set:
    // a literal address at PUT, a name on the address it resolves to at connect time.
    bool allowPrivateNetworks = false;
    QString caFile;               // HTTPS is always verified; this adds a CA bundle to trust
    int timeoutMs = 10000;        // one attempt, connect to last byte
    int maxConcurrent = 64;       // deliveries in flight, all endpoints together
    int maxPerEndpoint = 8;       // deliveries in flight to one endpoint
    int retryInitialMs = 1000;    // the first retry; each later one waits twice as long...
    int retryMaxMs = 600000;      // ...up to this
    qint64 retryForMs = 86400000; // a job still failing after this has failed for good
    int disableAfter = 20;        // failed deliveries in a row that disable an endpoint
    int keepFinishedDays = 7;     // the delivery log keeps finished jobs this long
    // Nodes sharing one database take over the pending jobs of a node silent this long
    // (0: never; each node then says it is alive a sixth of this often).
    int takeoverAfterMs = 60000;
};

// The SMTP server that carries email endpoints ([smtp] in the INI file; PROTOCOL.md, Routing
// to endpoints). The operator's own relay: AddressPolicy does not apply to it.
struct SmtpSettings
{
    QString url;           // smtp://host:port or smtps://host:port; empty: no SMTP
    QString from;          // envelope sender and From: address
    QString user;          // empty: no AUTH
    QString password;      // read from passwordFile at load; never logged nor shown
    bool starttls = true;  // smtp://: STARTTLS or fail (false: plain text); smtps:// is TLS
    int timeoutMs = 30000; // one attempt, connect to the server's last reply
    // Where users' mails send them to change what they get (List-Unsubscribe); empty: this
    // daemon's own GET /api/v1/preferences on its listen address.
    QString preferencesUrl;

    // Whether email endpoints can be delivered at all.
    bool isConfigured() const { return !url.isEmpty() && !from.isEmpty(); }
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
    // Past this, WebSockets are closed with 1013; 0: the descriptor budget less HTTP's floor.
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
    EndpointSettings endpoints;
    SmtpSettings smtp;
    int peerTimeoutMs = 15000; // a peer link silent this long is dropped (peers speak every second)
};

} // namespace herald::syncd
