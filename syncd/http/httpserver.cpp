#include "httpserver.h"

#include "http/httpconnection.h"
#include "http/httplog.h"
#include "http/httpmessage.h"
#include "http/upgradesniffer.h"

#include <QTcpServer>
#include <QTcpSocket>

#include <unistd.h>

namespace herald::syncd {

Q_LOGGING_CATEGORY(lcHttp, "herald.syncd.http", QtInfoMsg)

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
                       QObject *parent)
    : QObject(parent), m_handler(handler), m_upgradeSink(std::move(upgradeSink)), m_limits(limits),
      m_server(new Listener(this))
{
    m_server->setMaxPendingConnections(1024);
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
    auto *sniffer =
        new UpgradeSniffer(descriptor, m_limits.maxHeaderBytes, m_limits.requestTimeoutMs, this);
    connect(sniffer, &UpgradeSniffer::sniffed, this, &HttpServer::onSniffed);
}

void HttpServer::onSniffed(qintptr descriptor, bool upgrade, const HttpRequest &request)
{
    if (!upgrade) {
        serveHttp(descriptor);
        return;
    }
    m_handler->admitUpgrade(request,
                            [this, descriptor, request](std::optional<HttpResponse> refusal) {
                                if (refusal)
                                    refuseUpgrade(descriptor, *refusal);
                                else
                                    m_upgradeSink(descriptor, request);
                            });
}

void HttpServer::serveHttp(qintptr descriptor)
{
    auto *socket = new QTcpSocket;
    if (!socket->setSocketDescriptor(descriptor)) {
        ::close(int(descriptor));
        delete socket;
        return;
    }
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1); // answers go out at once
    auto *connection =
        new HttpConnection(socket, m_handler, m_limits.maxHeaderBytes, m_limits.maxBodyBytes, this);
    m_connections.insert(connection);
    connect(connection, &HttpConnection::requestTaken, this, &HttpServer::requestTaken);
    connect(connection, &HttpConnection::finished, this,
            [this, connection] { m_connections.remove(connection); });
}

void HttpServer::refuseUpgrade(qintptr descriptor, const HttpResponse &response)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        ::close(int(descriptor));
        delete socket;
        return;
    }
    // The upgrade request is still unread: read it away first, or closing would reset the
    // connection before the client reads the answer.
    socket->waitForReadyRead(0);
    socket->readAll();
    socket->write(response.serialize(false));
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->readAll(); });
    socket->disconnectFromHost();
    QTimer::singleShot(5000, socket, [socket] { socket->abort(); });
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
