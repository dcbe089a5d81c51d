#pragma once

#include <QHostAddress>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>

namespace herald::syncd {

class HttpConnection;
class HttpHandler;
struct HttpRequest;

struct HttpResponse;

struct HttpServerLimits
{
    int maxHeaderBytes = 16 * 1024;
    qint64 maxBodyBytes = 64 * 1024;
    int idleTimeoutMs = 30000;
    int requestTimeoutMs = 10000;
};

// The one listening port: accepts TCP connections on the front thread and runs HTTP on them.
// A connection that opens with a WebSocket upgrade is recognised before it is read
// (UpgradeSniffer) and, once HttpHandler::admitUpgrade agrees, leaves as a bare descriptor
// through the upgrade sink to a WebSocket worker; so this loop only ever watches REST
// connections and the listening socket.
class HttpServer : public QObject
{
    Q_OBJECT
public:
    // Where an admitted upgrade goes: the descriptor, its first request still unread, and that
    // request as sniffed (its path says which endpoint takes it).
    using UpgradeSink = std::function<void(qintptr descriptor, const HttpRequest &request)>;
    HttpServer(HttpHandler *handler, UpgradeSink upgradeSink, HttpServerLimits limits,
               QObject *parent = nullptr);
    ~HttpServer() override;

    bool listen(const QHostAddress &address, quint16 port);
    QString errorString() const;
    QHostAddress address() const;
    quint16 port() const;

    void stopAccepting();
    void closeAll();
    int connectionCount() const { return int(m_connections.size()); }

signals:
    void requestTaken(); // a request went to the handler (for herald_http_requests_total)

private:
    void onDescriptor(qintptr descriptor);
    void onSniffed(qintptr descriptor, bool upgrade, const HttpRequest &request);
    void serveHttp(qintptr descriptor);
    void refuseUpgrade(qintptr descriptor, const HttpResponse &response);
    void sweep();

    HttpHandler *m_handler;
    UpgradeSink m_upgradeSink;
    HttpServerLimits m_limits;
    class Listener;
    Listener *m_server;
    QSet<HttpConnection *> m_connections;
    QTimer m_sweepTimer;
};

} // namespace herald::syncd
