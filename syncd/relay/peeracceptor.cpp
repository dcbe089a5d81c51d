#include "relay/peeracceptor.h"

#include "relay/relaylog.h"

#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <unistd.h>

namespace herald::syncd {

PeerAcceptor::PeerAcceptor(int handshakeTimeoutMs, QObject *parent)
    : QObject(parent), m_handshakeTimeoutMs(handshakeTimeoutMs),
      m_handshaker(new QWebSocketServer(QStringLiteral("herald-syncd"),
                                        QWebSocketServer::NonSecureMode, this))
{
    // It never listens: it only upgrades sockets that the front hands over.
    m_handshaker->setHandshakeTimeout(std::chrono::milliseconds(handshakeTimeoutMs));
    connect(m_handshaker, &QWebSocketServer::newConnection, this, &PeerAcceptor::onNewWebSocket);
}

void PeerAcceptor::adopt(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        qCWarning(lcRelay) << "cannot take over a peer connection:" << socket->errorString();
        ::close(int(descriptor));
        delete socket;
        return;
    }
    // Frames often go out as header and body apart: Nagle would hold the second part for the
    // peer's delayed ACK.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_handshaking.insert(socket);
    m_handshaker->handleConnection(socket);
    // A handshake QWebSocketServer refuses leaves the socket to us: free it, and never let a
    // peer hold a descriptor without completing the handshake.
    auto dropIfStillHandshaking = [this, socket] {
        if (m_handshaking.remove(socket)) {
            socket->abort();
            socket->deleteLater();
        }
    };
    connect(socket, &QTcpSocket::disconnected, this, dropIfStillHandshaking);
    QTimer::singleShot(m_handshakeTimeoutMs, this, dropIfStillHandshaking);
}

void PeerAcceptor::onNewWebSocket()
{
    while (QWebSocket *socket = m_handshaker->nextPendingConnection()) {
        // The QWebSocket now owns the TCP connection it was upgraded from.
        for (auto it = m_handshaking.begin(); it != m_handshaking.end(); ++it) {
            if ((*it)->peerPort() == socket->peerPort() &&
                (*it)->peerAddress() == socket->peerAddress()) {
                m_handshaking.erase(it);
                break;
            }
        }
        Q_EMIT accepted(socket);
    }
}

} // namespace herald::syncd
