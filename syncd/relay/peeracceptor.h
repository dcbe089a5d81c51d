#pragma once

#include <QObject>
#include <QSet>

class QTcpSocket;
class QWebSocket;
class QWebSocketServer;

namespace herald::syncd {

// Completes the WebSocket handshake of connections that other nodes opened on the peer path
// (`/api/v1/peer`), on the relay's thread, and hands out the sockets. A connection that does
// not finish its handshake in time is closed. Lives on the relay's thread.
class PeerAcceptor : public QObject
{
    Q_OBJECT
public:
    explicit PeerAcceptor(int handshakeTimeoutMs, QObject *parent = nullptr);

    // A connection whose first request, still unread, is an admitted peer upgrade.
    void adopt(qintptr descriptor);

Q_SIGNALS:
    // The receiver takes the socket over.
    void accepted(QWebSocket *socket);

private:
    void onNewWebSocket();

    const int m_handshakeTimeoutMs;
    QWebSocketServer *m_handshaker;
    QSet<QTcpSocket *> m_handshaking; // adopted, not yet upgraded
};

} // namespace herald::syncd
