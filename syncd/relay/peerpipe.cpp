// SPDX-License-Identifier: Apache-2.0
#include "relay/peerpipe.h"

#include <QTcpSocket>
#include <QWebSocket>

namespace herald::syncd {

PeerPipe::PeerPipe(QWebSocket *socket, QTcpSocket *tcp, QObject *parent)
    : QObject(parent), m_socket(socket),
      m_tcp(tcp ? tcp : socket->findChild<QTcpSocket *>(QString(), Qt::FindDirectChildrenOnly))
{
    m_socket->setParent(this);
    // QWebSocketServer deletes an accepted socket once it disconnects; one whose signals were
    // blocked in a pause at that moment goes with the pipe.
    if (tcp)
        tcp->setParent(m_socket);
    m_socket->setMaxAllowedIncomingMessageSize(MaxHelloFrameBytes);
    m_socket->setMaxAllowedIncomingFrameSize(MaxHelloFrameBytes);
    m_peerName = m_socket->peerAddress().toString() + u':' + QString::number(m_socket->peerPort());
    // Made, wired to its link and used on the relay's thread in one go: no frame can be
    // delivered before the link listens.
    connect(m_socket, &QWebSocket::textMessageReceived, this, &PeerPipe::onMessage);
    connect(m_socket, &QWebSocket::disconnected, this, &PeerPipe::onDisconnected);
    if (m_tcp) {
        // QSslSocket decrypts more only when new bytes arrive or its buffer runs empty, so a
        // bounded buffer that QWebSocket leaves the start of a frame in would stall it.
        m_boundedReads = !m_tcp->inherits("QSslSocket");
        if (m_boundedReads)
            m_tcp->setReadBufferSize(ReadAheadBytes);
        // After QWebSocket has taken in what arrived (and answered any pings in it).
        connect(m_tcp, &QIODevice::readyRead, this, &PeerPipe::onReadyRead);
    }
}

qint64 PeerPipe::unsentBytes() const
{
    return m_socket->bytesToWrite();
}

void PeerPipe::send(const QString &frame)
{
    if (m_closing)
        return;
    if (const qint64 unsent = unsentBytes(); unsent > MaxUnsentBytes) {
        Q_EMIT overrun(unsent);
        return;
    }
    m_socket->sendTextMessage(frame);
}

void PeerPipe::onReadyRead()
{
    checkUnsent();
    if (m_paused || m_closing || !m_boundedReads)
        return;
    const qint64 limit = m_tcp->readBufferSize();
    if (m_tcp->bytesAvailable() >= limit && limit < MaxReadBufferBytes) {
        // QWebSocket takes a frame only once all of it is buffered, and it took every whole
        // one: this is the start of a frame larger than Qt may buffer. Let it grow, to a frame.
        m_tcp->setReadBufferSize(std::min(2 * limit, MaxReadBufferBytes));
    } else {
        // QAbstractSocket stops reading when its buffer is full and starts again only once it
        // has been emptied, which QWebSocket, leaving the start of the next frame, may never
        // do: a change of the limit starts it again.
        m_tcp->setReadBufferSize(limit + 1);
        m_tcp->setReadBufferSize(limit);
    }
}

void PeerPipe::checkUnsent()
{
    if (const qint64 unsent = unsentBytes(); !m_closing && unsent > MaxUnsentBytes)
        Q_EMIT overrun(unsent);
}

void PeerPipe::close(int code, const QString &reason)
{
    if (m_closing)
        return;
    m_closing = true;
    m_held.clear();
    unblock(); // QWebSocket must see its socket close, or it never says disconnected()
    m_socket->close(QWebSocketProtocol::CloseCode(code), reason);
    // A peer that does not answer the close frame must not keep the descriptor.
    m_socket->abort();
}

void PeerPipe::admit()
{
    m_socket->setMaxAllowedIncomingMessageSize(MaxPeerFrameBytes);
    m_socket->setMaxAllowedIncomingFrameSize(MaxPeerFrameBytes);
}

void PeerPipe::onMessage(const QString &frame)
{
    if (m_closing)
        return;
    if (m_boundedReads && m_tcp && m_tcp->readBufferSize() > ReadAheadBytes)
        m_tcp->setReadBufferSize(ReadAheadBytes); // the large frame is in
    if (m_paused)
        m_held.append(frame); // QWebSocket goes on through what it had buffered
    else
        Q_EMIT frameReceived(frame);
}

void PeerPipe::pauseReading()
{
    if (m_paused || m_closing || !m_tcp)
        return;
    m_paused = true;
    // No readyRead reaches QWebSocket from now on; Qt takes no more from the kernel than its
    // read buffer's limit allows.
    m_tcp->blockSignals(true);
    if (!m_boundedReads)
        m_tcp->setReadBufferSize(ReadAheadBytes);
    // We are inside QWebSocket's read loop, which goes on while bytes are available: what Qt
    // has buffered is hidden in a read transaction, rolled back at resumeReading().
    m_tcp->startTransaction();
    m_tcp->skip(m_tcp->bytesAvailable());
}

void PeerPipe::resumeReading()
{
    if (!m_paused || m_closing)
        return;
    m_paused = false;
    unblock();
    while (!m_paused && !m_closing && !m_held.isEmpty())
        Q_EMIT frameReceived(m_held.takeFirst());
    if (m_paused || m_closing)
        return;
    if (!m_tcp || m_tcp->state() != QAbstractSocket::ConnectedState) {
        onDisconnected(); // QWebSocket did not hear of it while the signals were blocked
        return;
    }
    // What Qt read during the pause waits in its buffer; no new readyRead may come for it.
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (!m_paused && !m_closing && m_tcp && m_tcp->bytesAvailable() > 0)
                Q_EMIT m_tcp->readyRead();
        },
        Qt::QueuedConnection);
}

void PeerPipe::unblock()
{
    if (!m_tcp || !m_tcp->signalsBlocked())
        return;
    if (m_tcp->isTransactionStarted())
        m_tcp->rollbackTransaction();
    m_tcp->blockSignals(false);
    if (!m_boundedReads)
        m_tcp->setReadBufferSize(0);
}

void PeerPipe::onDisconnected()
{
    if (m_gone)
        return;
    m_gone = true;
    m_closing = true;
    Q_EMIT closed();
    deleteLater();
}

} // namespace herald::syncd
