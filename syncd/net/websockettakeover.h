// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QSet>

class QTcpSocket;
class QWebSocket;
class QWebSocketServer;

namespace herald::syncd {

// Turns connections that the front hands over (a descriptor whose first request, still
// unread, is an admitted WebSocket upgrade) into WebSockets on the calling thread: makes the
// socket, lets QWebSocketServer complete the handshake, and hands out both the WebSocket and
// the TCP socket under it (data frames may be written there directly). A connection that
// does not finish its handshake in time, or whose handshake is refused, is closed and freed.
// Lives on, and is used from, one thread.
class WebSocketTakeover : public QObject
{
    Q_OBJECT
public:
    WebSocketTakeover(int handshakeTimeoutMs, QObject *parent = nullptr);

    void adopt(qintptr descriptor);
    // Connections adopted whose handshake has not completed yet.
    int pendingHandshakes() const { return int(m_handshaking.size()); }

Q_SIGNALS:
    // The receiver takes `socket` over (it is parented to nothing); `tcp` belongs to `socket`.
    void upgraded(QWebSocket *socket, QTcpSocket *tcp);

private:
    void onNewWebSocket();

    const int m_handshakeTimeoutMs;
    QWebSocketServer *m_handshaker;
    QSet<QTcpSocket *> m_handshaking; // adopted, not yet upgraded
};

} // namespace herald::syncd
