#include "httpserver.h"

#include "http/httpconnection.h"
#include "http/httplog.h"

#include <QTcpServer>
#include <QTcpSocket>

namespace herald::syncd {

Q_LOGGING_CATEGORY(lcHttp, "herald.syncd.http", QtInfoMsg)

HttpServer::HttpServer(HttpHandler *handler, HttpServerLimits limits, QObject *parent)
    : QObject(parent), m_handler(handler), m_limits(limits), m_server(new QTcpServer(this))
{
    m_server->setMaxPendingConnections(1024);
    connect(m_server, &QTcpServer::newConnection, this, &HttpServer::onNewConnection);
    // One coarse timer for every connection's timeouts instead of a timer per connection.
    m_sweepTimer.setInterval(std::min(1000, std::min(limits.idleTimeoutMs, limits.requestTimeoutMs) / 2 + 1));
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

void HttpServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        auto *connection = new HttpConnection(socket, m_handler, m_limits.maxHeaderBytes,
                                              m_limits.maxBodyBytes, this);
        m_connections.insert(connection);
        connect(connection, &HttpConnection::finished, this,
                [this, connection] { m_connections.remove(connection); });
    }
}

void HttpServer::sweep()
{
    const auto connections = m_connections;
    for (HttpConnection *connection : connections) {
        if (connection->hasTimedOut(m_limits.idleTimeoutMs, m_limits.requestTimeoutMs))
            connection->closeNow();
    }
}

} // namespace herald::syncd
