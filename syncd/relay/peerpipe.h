// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

class QTcpSocket;
class QWebSocket;

namespace herald::syncd {

// Carries one peer link's frames over its WebSocket, on the relay's thread. The PeerLink talks
// to it through signal connections only, which Qt drops when either side is gone, so neither
// ever calls into a deleted object.
//
// What a peer can make the node hold is bounded here:
// - Frames: until admit() (the peer's peerHello was accepted) a frame or message may have
//   MaxHelloFrameBytes, so an unauthenticated connection costs at most that; QWebSocket
//   closes with 1009 on a larger frame as soon as its header says so. Then MaxPeerFrameBytes.
// - Writing: before each write, and after each read (QWebSocket answers pings on its own), a
//   peer that has left more than MaxUnsentBytes unread makes the pipe emit overrun() instead
//   of writing more; the link then closes.
// - Reading: Qt buffers at most ReadAheadBytes ahead, more only while a larger frame comes
//   in (QWebSocket needs a whole frame in the buffer), so the kernel's buffers and the TCP
//   window hold the peer back as soon as the pipe stops reading. Between pauseReading() and
//   resumeReading() it does: QWebSocket has no pause of its own, so the pipe holds back the
//   TCP socket's readyRead (its signals are blocked) and hides what Qt has buffered already
//   in a read transaction that it rolls back on resume. A close of the connection during a
//   pause is noticed on resume (closed()). Over TLS (a wss:// peer) Qt's TLS socket reads
//   ahead without that bound while the link reads; it is bounded only during pauses.
class PeerPipe : public QObject
{
    Q_OBJECT
public:
    // A peerHello is small: its secret and cluster name fit many times over.
    static constexpr quint64 MaxHelloFrameBytes = 16 * 1024;
    // A sync batch of notifications with long bodies is far larger than a client frame.
    static constexpr quint64 MaxPeerFrameBytes = 64 * 1024 * 1024;
    // Unsent bytes past which the peer counts as not reading. Well above a sync batch (500
    // records, which the peer must confirm before the next one goes out), so that a reading
    // peer is never cut off by the heartbeat that follows a large batch.
    static constexpr qint64 MaxUnsentBytes = 16 * 1024 * 1024;
    static constexpr qint64 ReadAheadBytes = 1024 * 1024;
    static constexpr qint64 MaxReadBufferBytes = MaxPeerFrameBytes + 64 * 1024; // frame, header

    // Takes over `socket` (same thread) and `tcp`, the connection under it; without `tcp`,
    // the socket's own (QWebSocket::open() makes it a child of the socket).
    PeerPipe(QWebSocket *socket, QTcpSocket *tcp, QObject *parent = nullptr);

    QString peerName() const { return m_peerName; }
    // Written to the connection and not yet taken by the kernel.
    qint64 unsentBytes() const;

public Q_SLOTS:
    void send(const QString &frame);
    void close(int code, const QString &reason);
    // The peer proved itself: frames up to MaxPeerFrameBytes from now on.
    void admit();
    void pauseReading();
    void resumeReading();

Q_SIGNALS:
    void frameReceived(const QString &frame);
    // The peer has not taken `unsentBytes` (> MaxUnsentBytes); nothing more is written.
    void overrun(qint64 unsentBytes);
    void closed();

private:
    void onMessage(const QString &frame);
    void onReadyRead();
    void checkUnsent();
    void onDisconnected();
    void unblock();

    QWebSocket *m_socket;
    QPointer<QTcpSocket> m_tcp; // under m_socket, owned by it
    QString m_peerName;
    bool m_boundedReads = false; // ReadAheadBytes applies (not over TLS: see the constructor)
    bool m_paused = false;
    bool m_closing = false;
    bool m_gone = false;
    QList<QString> m_held; // came while paused (should QWebSocket read on regardless)
};

} // namespace herald::syncd
