// SPDX-License-Identifier: Apache-2.0
#include "httpserver.h"

#include "http/connectionrefuser.h"
#include "http/httpconnection.h"
#include "http/httplog.h"
#include "http/httpmessage.h"
#include "http/upgradesniffer.h"
#include "metrics/metrics.h"
#include "net/directwritesocket.h"

#include <QTcpServer>
#include <QTcpSocket>

#include <sys/socket.h>
#include <unistd.h>

namespace herald::syncd {

Q_LOGGING_CATEGORY(lcHttp, "herald.syncd.http", QtInfoMsg)

namespace {
QHostAddress peerOf(qintptr descriptor)
{
    sockaddr_storage address{};
    socklen_t size = sizeof address;
    if (::getpeername(int(descriptor), reinterpret_cast<sockaddr *>(&address), &size) != 0)
        return {};
    return plainAddress(QHostAddress(reinterpret_cast<const sockaddr *>(&address)));
}
} // namespace

// Hands out accepted descriptors instead of QTcpSockets: whether a connection becomes a
// QTcpSocket on this thread or a WebSocket on a worker is decided before any socket exists.
class HttpServer::Listener : public QTcpServer
{
public:
    Listener(HttpServer *server) : QTcpServer(server), m_owner(server) {}

protected:
    void incomingConnection(qintptr descriptor) override { m_owner->onDescriptor(descriptor); }

private:
    HttpServer *m_owner;
};

HttpServer::HttpServer(HttpHandler *handler, UpgradeSink upgradeSink, HttpServerLimits limits,
                       const TrustedProxies &proxies, Metrics &metrics, QObject *parent)
    : QObject(parent), m_handler(handler), m_upgradeSink(std::move(upgradeSink)), m_limits(limits),
      m_proxies(proxies), m_metrics(metrics),
      m_slots(limits.maxConnections, limits.maxConnectionsPerAddress),
      m_serverFull(HttpResponse::retryLater(
                       {ErrorCode::Unavailable,
                        QStringLiteral("connections: the server holds all the HTTP connections "
                                       "it may (%1); try again later")
                            .arg(limits.maxConnections)},
                       5000)
                       .serialize(false)),
      m_addressFull(HttpResponse::retryLater(
                        {ErrorCode::RateLimited,
                         QStringLiteral("connections: your address holds all the HTTP "
                                        "connections it may (%1); close one, then try again")
                             .arg(limits.maxConnectionsPerAddress)},
                        1000)
                        .serialize(false)),
      m_descriptorsFull(HttpResponse::retryLater(
                            {ErrorCode::Unavailable,
                             QStringLiteral("connections: the server holds all the connections "
                                            "its descriptors allow (%1, WebSockets included); "
                                            "try again later")
                                 .arg(limits.connectionDescriptors)},
                            5000)
                            .serialize(false)),
      m_server(new Listener(this)), m_refuser(new ConnectionRefuser(MaxLingering, LingerMs, this))
{
    m_server->setMaxPendingConnections(1024);
    m_metrics.httpConnectionCap.store(limits.maxConnections);
    // One coarse timer for every connection's timeouts instead of a timer per connection.
    m_sweepTimer.setInterval(
        std::min(1000, std::min(limits.idleTimeoutMs, limits.requestTimeoutMs) / 2 + 1));
    connect(&m_sweepTimer, &QTimer::timeout, this, &HttpServer::sweep);
}

HttpServer::~HttpServer()
{
    closeAll();
}

bool HttpServer::listen(const QHostAddress &address, quint16 port)
{
    if (!m_server->listen(address, port))
        return false;
    m_sweepTimer.start();
    return true;
}

QString HttpServer::errorString() const
{
    return m_server->errorString();
}

QHostAddress HttpServer::address() const
{
    return m_server->serverAddress();
}

quint16 HttpServer::port() const
{
    return m_server->serverPort();
}

void HttpServer::stopAccepting()
{
    m_server->close();
}

void HttpServer::closeAll()
{
    const auto connections = m_connections;
    for (HttpConnection *connection : connections)
        connection->closeNow();
}

void HttpServer::onDescriptor(qintptr descriptor)
{
    // This descriptor is already open: the budget keeps room for it and the answer.
    if (m_limits.connectionDescriptors > 0 && m_limits.webSocketsHeld &&
        m_slots.open() + m_limits.webSocketsHeld() >= m_limits.connectionDescriptors) {
        ++m_metrics.httpRefusedServerFull;
        m_refuser->refuse(descriptor, m_descriptorsFull);
        return;
    }
    const QHostAddress peer = peerOf(descriptor);
    const AddressKey key = AddressKey::of(peer);
    switch (m_slots.admit(key, !m_proxies.contains(peer))) {
    case ConnectionSlots::Verdict::ServerFull:
        ++m_metrics.httpRefusedServerFull;
        m_refuser->refuse(descriptor, m_serverFull);
        return;
    case ConnectionSlots::Verdict::AddressFull:
        ++m_metrics.httpRefusedAddressFull;
        m_refuser->refuse(descriptor, m_addressFull);
        return;
    case ConnectionSlots::Verdict::Admitted:
        break;
    }
    m_metrics.httpConnectionsOpen.store(m_slots.open());
    auto *sniffer =
        new UpgradeSniffer(descriptor, m_limits.maxHeaderBytes, m_limits.requestTimeoutMs, this);
    connect(sniffer, &UpgradeSniffer::sniffed, this,
            [this, key, peer](qintptr sniffed, bool upgrade, const HttpRequest &request) {
                onSniffed(sniffed, key, peer, upgrade, request);
            });
    connect(sniffer, &UpgradeSniffer::overdue, this,
            [this, key](qintptr overdue) { onOverdue(overdue, key); });
    connect(sniffer, &UpgradeSniffer::closed, this, [this, key] { release(key); });
}

void HttpServer::onSniffed(qintptr descriptor, const AddressKey &key, const QHostAddress &peer,
                           bool upgrade, const HttpRequest &request)
{
    if (!upgrade) {
        serveHttp(descriptor, key);
        return;
    }
    HttpRequest upgradeRequest = request;
    upgradeRequest.setPeer(peer, m_proxies);
    m_handler->admitUpgrade(upgradeRequest, [this, descriptor, key,
                                             upgradeRequest](std::optional<HttpResponse> refusal) {
        release(key); // from here a WebSocket worker counts it, or it is refused
        if (refusal)
            m_refuser->refuse(descriptor, refusal->serialize(false));
        else
            m_upgradeSink(descriptor, upgradeRequest);
    });
}

void HttpServer::onOverdue(qintptr descriptor, const AddressKey &key)
{
    release(key);
    char byte = 0;
    if (::recv(int(descriptor), &byte, 1, MSG_PEEK | MSG_DONTWAIT) > 0) {
        HttpResponse response =
            HttpResponse::error(Error::badRequest(QStringLiteral("request not complete in time")));
        response.status = 408;
        m_refuser->refuse(descriptor, response.serialize(false));
    } else {
        ::close(int(descriptor)); // silent all along: nothing to answer
    }
}

void HttpServer::serveHttp(qintptr descriptor, const AddressKey &key)
{
    // Answers go to the kernel when AnswerFlusher sends them, not through a write notifier.
    auto *socket = new DirectWriteSocket;
    if (!socket->setSocketDescriptor(descriptor)) {
        ::close(int(descriptor));
        delete socket;
        release(key);
        return;
    }
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1); // answers go out at once
    auto *connection = new HttpConnection(socket, m_handler, m_limits.maxHeaderBytes,
                                          m_limits.maxBodyBytes, m_proxies, m_flusher, this);
    m_connections.insert(connection);
    connect(connection, &HttpConnection::requestTaken, this, &HttpServer::requestTaken);
    connect(connection, &HttpConnection::finished, this, [this, connection, key] {
        m_connections.remove(connection);
        release(key);
    });
}

void HttpServer::release(const AddressKey &key)
{
    m_slots.release(key);
    m_metrics.httpConnectionsOpen.store(m_slots.open());
}

void HttpServer::sweep()
{
    const auto connections = m_connections;
    for (HttpConnection *connection : connections) {
        // A client that takes none of its answers for the idle timeout is cut off: closing
        // gracefully would wait for it to read.
        if (connection->isStalled(m_limits.idleTimeoutMs)) {
            qCDebug(lcHttp) << "cutting off a client that reads none of its answers";
            connection->abort();
        } else if (connection->hasTimedOut(m_limits.idleTimeoutMs, m_limits.requestTimeoutMs)) {
            connection->closeNow();
        }
    }
}

} // namespace herald::syncd
