#pragma once

#include "protocol/limits.h"

#include <QHostAddress>
#include <QString>
#include <QStringList>

namespace herald::syncd {

// Everything herald-syncd can be told, validated. Sources, later ones winning: INI file,
// environment (HERALD_*), command-line flags. See ConfigLoader.
struct Config
{
    QHostAddress listenAddress = QHostAddress::LocalHost;
    quint16 listenPort = 8080;
    QString database;
    int nodeId = 0;
    bool noAuth = false;
    QString synchronous = QStringLiteral("FULL");
    bool autoCreateChannels = true;

    int workerThreads = 0; // WebSocket event loops; 0: one per core
    int maxConnections =
        0; // past this, WebSockets are closed with 1013; 0: what the fd limit allows
    int maxHeaderBytes = 16 * 1024; // larger request heads get 431
    int registerTimeoutMs = 10000;
    int idleTimeoutMs = 60000;        // a WebSocket silent this long is closed
    int pingIntervalMs = 25000;       // the server pings quiet WebSockets this often
    int httpIdleTimeoutMs = 30000;    // keep-alive connections with no request
    int httpRequestTimeoutMs = 10000; // a request must arrive whole within this
    qint64 maxPendingBytesPerSession = 4 * 1024 * 1024; // a client this far behind is cut off

    Limits limits;

    QStringList peers;
    QString clusterName;
    QString clusterSecret;
    int peerTimeoutMs = 15000; // a peer link silent this long is dropped (peers speak every second)
};

} // namespace herald::syncd
