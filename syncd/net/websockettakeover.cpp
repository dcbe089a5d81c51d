// SPDX-License-Identifier: Apache-2.0
#include "net/websockettakeover.h"

#include "net/directwritesocket.h"
#include "net/netlog.h"

#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <unistd.h>

namespace herald::syncd {

WebSocketTakeover::WebSocketTakeover(int handshakeTimeoutMs, QObject *parent)
    : QObject(parent), m_handshakeTimeoutMs(handshakeTimeoutMs),
      m_handshaker(new QWebSocketServer(QStringLiteral("herald-syncd"),
                                        QWebSocketServer::NonSecureMode, this))
{
    // The handshaker never listens: it only upgrades sockets that the front hands over.
    m_handshaker->setHandshakeTimeout(std::chrono::milliseconds(handshakeTimeoutMs));
    connect(m_handshaker, &QWebSocketServer::newConnection, this,
            &WebSocketTakeover::onNewWebSocket);
}

void WebSocketTakeover::adopt(qintptr descriptor)
{
    auto *socket = new DirectWriteSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        qCWarning(lcNet) << "cannot take over a connection:" << socket->errorString();
        ::close(int(descriptor));
        delete socket;
        return;
    }
    // Frames are written as they are ready, often header and body apart (QWebSocket's own
    // frames): Nagle would hold the second part for the peer's delayed ACK, up to 40 ms.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_handshaking.insert(socket);
    m_handshaker->handleConnection(socket);
    // A handshake QWebSocketServer refuses leaves the socket to us: free it, and never let a
    // client hold a descriptor without completing the handshake.
    auto dropIfStillHandshaking = [this, socket] {
        if (m_handshaking.remove(socket)) {
            socket->abort();
            socket->deleteLater();
        }
    };
    connect(socket, &QTcpSocket::disconnected, this, dropIfStillHandshaking);
    QTimer::singleShot(m_handshakeTimeoutMs, this, dropIfStillHandshaking);
}

void WebSocketTakeover::onNewWebSocket()
{
    while (QWebSocket *socket = m_handshaker->nextPendingConnection()) {
        // The QWebSocket now owns the TCP connection it was upgraded from.
        QTcpSocket *tcp = nullptr;
        for (auto it = m_handshaking.begin(); it != m_handshaking.end(); ++it) {
            if ((*it)->peerPort() == socket->peerPort() &&
                (*it)->peerAddress() == socket->peerAddress()) {
                tcp = *it;
                m_handshaking.erase(it);
                break;
            }
        }
        Q_EMIT upgraded(socket, tcp);
    }
}

} // namespace herald::syncd
