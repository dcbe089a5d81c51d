#include "relay/peerpipe.h"

#include <QWebSocket>

namespace herald::syncd {

namespace {
// A sync batch of notifications with long bodies is far larger than a client frame.
constexpr quint64 MaxPeerFrameBytes = 64 * 1024 * 1024;
} // namespace

PeerPipe::PeerPipe(QWebSocket *socket, QObject *parent) : QObject(parent), m_socket(socket)
{
    m_socket->setParent(this);
    m_socket->setMaxAllowedIncomingMessageSize(MaxPeerFrameBytes);
    m_socket->setMaxAllowedIncomingFrameSize(MaxPeerFrameBytes);
    m_peerName = m_socket->peerAddress().toString() + u':' + QString::number(m_socket->peerPort());
    // Made, wired to its link and used on the relay's thread in one go: no frame can be
    // delivered before the link listens.
    connect(m_socket, &QWebSocket::textMessageReceived, this, &PeerPipe::frameReceived);
    connect(m_socket, &QWebSocket::disconnected, this, [this] {
        Q_EMIT closed();
        deleteLater();
    });
}

void PeerPipe::send(const QString &frame)
{
    m_socket->sendTextMessage(frame);
}

void PeerPipe::close(int code, const QString &reason)
{
    m_socket->close(QWebSocketProtocol::CloseCode(code), reason);
    // A peer that does not answer the close frame must not keep the descriptor.
    m_socket->abort();
}

} // namespace herald::syncd
