// SPDX-License-Identifier: Apache-2.0
#include "relay/peerdialer.h"

#include "relay/relaylog.h"

#include <QWebSocket>

using namespace std::chrono_literals;

namespace herald::syncd {

PeerDialer::PeerDialer(const QUrl &url, QObject *parent)
    : QObject(parent), m_url(url), m_backoff(250ms, 5s), m_retry(this), m_handshakeTimeout(this)
{
    if (m_url.path().isEmpty() || m_url.path() == u"/")
        m_url.setPath(QStringLiteral("/api/v1/peer"));
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &PeerDialer::dial);
    m_handshakeTimeout.setSingleShot(true);
    m_handshakeTimeout.setInterval(HandshakeTimeoutMs);
    connect(&m_handshakeTimeout, &QTimer::timeout, this,
            [this] { failed(QStringLiteral("no answer within %1 ms").arg(HandshakeTimeoutMs)); });
}

void PeerDialer::dial()
{
    if (m_socket)
        return;
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    QWebSocket *socket = m_socket;
    connect(socket, &QWebSocket::connected, this, [this, socket] {
        if (socket != m_socket)
            return;
        m_handshakeTimeout.stop();
        m_socket = nullptr;
        socket->disconnect(this);
        m_backoff.reset();
        Q_EMIT connected(socket);
    });
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this, socket] {
                if (socket == m_socket)
                    failed(socket->errorString());
            });
    connect(socket, &QWebSocket::disconnected, this, [this, socket] {
        if (socket == m_socket)
            failed(QStringLiteral("closed during the handshake"));
    });
    m_handshakeTimeout.start();
    socket->open(m_url);
}

void PeerDialer::failed(const QString &why)
{
    QWebSocket *socket = std::exchange(m_socket, nullptr);
    m_handshakeTimeout.stop();
    if (socket) {
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
    qCDebug(lcRelay).noquote() << "peer" << m_url.toString() << "not reached:" << why;
    scheduleRetry();
}

void PeerDialer::linkEnded()
{
    scheduleRetry();
}

void PeerDialer::scheduleRetry()
{
    if (!m_retry.isActive() && !m_socket)
        m_retry.start(int(m_backoff.nextDelay().count()));
}

} // namespace herald::syncd
