// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "websocket/websocketframereader.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace herald::syncd {

// One server-side WebSocket over a raw TCP descriptor, from the end of the opening handshake
// until the descriptor is closed. It reads through one socket notifier into a buffer on the
// stack and frames with WebSocketFrameReader; it writes straight to the kernel and keeps only
// what the kernel did not take (a write notifier exists only once that happens). An idle
// connection holds no buffer at all.
//
// Pings are answered (unless 64 KiB of output already wait: RFC 6455 §5.5.3 lets a pong
// answer only the latest ping). The close handshake: close() sends a close frame and waits
// for the peer's; a close frame from the peer is answered with its code; a frame the reader
// refuses is answered with a close frame with the reader's code. Then what is unsent goes
// out, the sending side is shut down and the descriptor closed when the peer closes its side,
// so that the close frame is read before the connection ends. The whole close is bounded by
// `closeTimeoutMs`; abort() ends it at once. Nothing is written after a close frame, and the
// descriptor is never touched once closed.
//
// Threads: created, used and destroyed on one thread, whose event loop serves it.
class RawWebSocket
{
public:
    // What the owner hears of the connection. Calls arrive from the event loop only: text,
    // binary and heard() while it reads and is open (before any close frame), closed() always
    // in an event of its own, never from inside a call the owner made, so the owner may delete
    // the connection there.
    class Listener
    {
    public:
        virtual void textReceived(quint64 id, const QByteArray &utf8) = 0;
        virtual void binaryReceived(quint64 id) = 0;
        virtual void heard(quint64 id) = 0; // a ping or pong: the peer is there
        // The descriptor is closed; the connection does nothing more.
        virtual void closed(quint64 id) = 0;

    protected:
        ~Listener() = default;
    };

    // Takes `descriptor` over (made non-blocking, TCP_NODELAY). `id` names the connection to
    // `listener`, which must outlive it.
    RawWebSocket(int descriptor, quint64 id, Listener &listener, qint64 maxMessageBytes,
                 int closeTimeoutMs);
    ~RawWebSocket(); // closes the descriptor if still open, without calling closed()
    RawWebSocket(const RawWebSocket &) = delete;
    RawWebSocket &operator=(const RawWebSocket &) = delete;

    quint64 id() const { return m_id; }
    // Neither a close frame nor the end of the connection has come yet.
    bool isOpen() const { return m_state == State::Open; }

    // Bytes as they are (complete frames, or the handshake's answer), in order; dropped once
    // a close frame went out. A write that fails ends the connection.
    void write(QByteArrayView bytes);
    void write(const QList<QByteArray> &frames);
    void ping();
    // Starts the close handshake with `code` and `reason` (cut to fit a control frame).
    void close(int code, QByteArrayView reason);
    // Closes the descriptor now; unsent bytes are dropped.
    void abort();
    // Hands what is still unsent to the kernel, as far as it takes it now.
    void flush();
    // Stops reading from the connection (the peer is slowed down by TCP) or reads again. What
    // an interrupted read already took in is still delivered.
    void setReading(bool on);
    // Bytes written that the kernel has not taken yet.
    qint64 pendingBytes() const { return m_unsent.size() - m_unsentSent; }

private:
    class Watch;
    enum class State : quint8
    {
        Open,
        CloseSent, // our close frame is out; waiting for the peer's
        Finishing, // close frames exchanged, or the peer failed: draining, then closing
        Closed
    };

    void onReadable();
    void onWritable();
    void onCloseTimeout();
    void onClosedEvent();
    void consume(const char *data, qsizetype size);
    void handle(const WebSocketFrameReader::Event &event);
    void sendCloseFrame(int code, QByteArrayView reason);
    void sendControl(quint8 opcode, QByteArrayView payload);
    void send(const QByteArrayView *parts, qsizetype count);
    void finish();
    void shutDownSendingWhenDrained();
    void startCloseTimer();
    void closeDescriptor();
    void end(); // closes the descriptor and tells the listener, later

    int m_fd;
    State m_state = State::Open;
    bool m_sendingShutDown = false;
    int m_closeTimer = 0;
    const int m_closeTimeoutMs;
    const quint64 m_id;
    Listener &m_listener;
    WebSocketFrameReader m_reader;
    QByteArray m_unsent;        // what the kernel has not taken, from m_unsentSent on
    qsizetype m_unsentSent = 0; // bytes of m_unsent already taken
    Watch *m_readWatch;
    Watch *m_writeWatch = nullptr; // made when the kernel first leaves something unsent
};

} // namespace herald::syncd
