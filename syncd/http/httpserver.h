// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http/answerflusher.h"
#include "limits/connectionslots.h"
#include "limits/trustedproxies.h"

#include <QHostAddress>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>

namespace herald::syncd {

class ConnectionRefuser;
class HttpConnection;
class HttpHandler;
struct HttpRequest;
struct HttpResponse;
struct Metrics;

struct HttpServerLimits
{
    int maxHeaderBytes = 16 * 1024;
    qint64 maxBodyBytes = 64 * 1024;
    int idleTimeoutMs = 30000;
    int requestTimeoutMs = 10000;
    int maxConnections = 0;           // held at once, else 503 (0: no cap)
    int maxConnectionsPerAddress = 0; // from one address but a trusted proxy, else 429 (0: none)
    // Descriptors for HTTP connections and the WebSockets they became, together (0: no such
    // limit); past them a new connection is answered 503. `webSocketsHeld` counts the latter.
    int connectionDescriptors = 0;
    std::function<qint64()> webSocketsHeld;
};

// The one listening port: accepts TCP connections on the front thread and runs HTTP on them.
// A connection that opens with a WebSocket upgrade is recognised before it is read
// (UpgradeSniffer) and, once HttpHandler::admitUpgrade agrees, leaves as a bare descriptor
// through the upgrade sink to a WebSocket worker; so this loop only ever watches REST
// connections and the listening socket.
//
// Connection caps: a connection counts as HTTP from its accept until it closes or leaves as a
// WebSocket (those count against the workers' SessionQuota instead). Past the node's cap, its
// address's share or the descriptors HTTP and WebSockets share, a new connection is answered
// at once, before anything is read (503 or 429, Retry-After, Connection: close) and closed
// (ConnectionRefuser). A connection whose first request head has not arrived whole within the
// request timeout is closed then: with 408 if part of it came, without an answer if nothing
// did.
class HttpServer : public QObject
{
    Q_OBJECT
public:
    // Where an admitted upgrade goes: the descriptor, its first request still unread, and that
    // request as sniffed (its path says which endpoint takes it).
    using UpgradeSink = std::function<void(qintptr descriptor, const HttpRequest &request)>;
    HttpServer(HttpHandler *handler, UpgradeSink upgradeSink, HttpServerLimits limits,
               const TrustedProxies &proxies, Metrics &metrics, QObject *parent = nullptr);
    ~HttpServer() override;

    bool listen(const QHostAddress &address, quint16 port);
    QString errorString() const;
    QHostAddress address() const;
    quint16 port() const;

    void stopAccepting();
    void closeAll();
    int connectionCount() const { return int(m_connections.size()); }

    // Refused connections that linger to let the client read the answer.
    static constexpr int MaxLingering = 64;
    static constexpr int LingerMs = 2000;

signals:
    void requestTaken(); // a request went to the handler (for herald_http_requests_total)

private:
    void onDescriptor(qintptr descriptor);
    void onSniffed(qintptr descriptor, const AddressKey &key, const QHostAddress &peer,
                   bool upgrade, const HttpRequest &request);
    void onOverdue(qintptr descriptor, const AddressKey &key);
    void serveHttp(qintptr descriptor, const AddressKey &key);
    void release(const AddressKey &key);
    void sweep();

    HttpHandler *m_handler;
    UpgradeSink m_upgradeSink;
    HttpServerLimits m_limits;
    TrustedProxies m_proxies;
    Metrics &m_metrics;
    ConnectionSlots m_slots;
    QByteArray m_serverFull; // the answers past the caps, made once
    QByteArray m_addressFull;
    QByteArray m_descriptorsFull;
    class Listener;
    Listener *m_server;
    ConnectionRefuser *m_refuser;
    AnswerFlusher m_flusher;
    QSet<HttpConnection *> m_connections;
    QTimer m_sweepTimer;
};

} // namespace herald::syncd
