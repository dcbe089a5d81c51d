#pragma once

#include <QHostAddress>
#include <QObject>
#include <QSet>
#include <QTimer>

class QTcpServer;

namespace herald::syncd {

class HttpConnection;
class HttpHandler;

struct HttpServerLimits
{
    int maxHeaderBytes = 16 * 1024;
    qint64 maxBodyBytes = 64 * 1024;
    int idleTimeoutMs = 30000;
    int requestTimeoutMs = 10000;
};

// The one listening port: accepts TCP connections on the front thread and runs HTTP on them.
// Upgrades leave through HttpHandler::handleUpgrade to the WebSocket workers, so this loop
// only ever watches REST connections and the listening socket.
class HttpServer : public QObject
{
    Q_OBJECT
public:
    HttpServer(HttpHandler *handler, HttpServerLimits limits, QObject *parent = nullptr);
    ~HttpServer() override;

    bool listen(const QHostAddress &address, quint16 port);
    QString errorString() const;
    QHostAddress address() const;
    quint16 port() const;

    void stopAccepting();
    void closeAll();
    int connectionCount() const { return int(m_connections.size()); }

private:
    void onNewConnection();
    void sweep();

    HttpHandler *m_handler;
    HttpServerLimits m_limits;
    QTcpServer *m_server;
    QSet<HttpConnection *> m_connections;
    QTimer m_sweepTimer;
};

} // namespace herald::syncd
