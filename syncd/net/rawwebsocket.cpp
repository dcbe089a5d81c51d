// SPDX-License-Identifier: Apache-2.0
#include "rawwebsocket.h"

#include "net/netlog.h"
#include "websocket/websocketframes.h"

#include <QCoreApplication>
#include <QEvent>
#include <QScopedValueRollback>
#include <QSocketNotifier>
#include <QTimerEvent>
#include <QVarLengthArray>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace herald::syncd {

namespace {
constexpr quint8 Fin = 0x80;
constexpr quint8 CloseOpcode = 0x8;
constexpr quint8 PingOpcode = 0x9;
constexpr quint8 PongOpcode = 0xA;
constexpr int MaxControlPayload = 125;
// Past this much unsent output a ping gets no pong: it would only queue up behind the rest.
constexpr qint64 MaxUnsentForPong = 64 * 1024;
constexpr qsizetype ReadBufferBytes = 16 * 1024;
constexpr int ReadsPerWakeup = 4; // then the other connections get their turn
constexpr int PartsPerSend = 64;
const QEvent::Type ClosedEvent = QEvent::Type(QEvent::registerEventType());

bool wouldBlock(int error)
{
    return error == EAGAIN || error == EWOULDBLOCK;
}

} // namespace

// The connection's socket notifiers. It handles their activations and the close timer itself
// rather than through signal connections (which cost memory per connection).
class RawWebSocket::Watch final : public QSocketNotifier
{
public:
    Watch(int fd, Type type, RawWebSocket *owner) : QSocketNotifier(fd, type), m_owner(owner) {}

    // The connection is gone: nothing that is still queued for this object reaches it. Deleted
    // at once, unless the connection ends inside one of this object's own events (the owner
    // deletes it from closed()): then when that event returns. Not always later: a connection
    // destroyed with its worker, after the thread's loop has ended, would leave a deferred
    // delete that no loop runs any more.
    void detach()
    {
        if (!m_handlingEvent) {
            delete this;
            return;
        }
        m_owner = nullptr;
        setEnabled(false);
        deleteLater();
    }

protected:
    bool event(QEvent *event) override
    {
        if (event->type() == QEvent::SockAct || event->type() == QEvent::SockClose) {
            const QScopedValueRollback<bool> handling(m_handlingEvent, true);
            if (m_owner)
                type() == Read ? m_owner->onReadable() : m_owner->onWritable();
            return true;
        }
        if (event->type() == ClosedEvent) {
            const QScopedValueRollback<bool> handling(m_handlingEvent, true);
            if (m_owner)
                m_owner->onClosedEvent();
            return true;
        }
        return QSocketNotifier::event(event); // a deferred delete ends here
    }

    void timerEvent(QTimerEvent *) override
    {
        const QScopedValueRollback<bool> handling(m_handlingEvent, true);
        if (m_owner)
            m_owner->onCloseTimeout();
    }

private:
    RawWebSocket *m_owner;
    bool m_handlingEvent = false;
};

RawWebSocket::RawWebSocket(int descriptor, quint64 id, Listener &listener, qint64 maxMessageBytes,
                           int closeTimeoutMs)
    : m_fd(descriptor), m_closeTimeoutMs(closeTimeoutMs), m_id(id), m_listener(listener),
      m_reader(WebSocketFrameReader::Role::Server, maxMessageBytes),
      m_readWatch(new Watch(descriptor, QSocketNotifier::Read, this))
{
    ::fcntl(m_fd, F_SETFL, ::fcntl(m_fd, F_GETFL) | O_NONBLOCK);
    // Frames go out as they are written; Nagle would hold a small one for the peer's ACK.
    const int on = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

RawWebSocket::~RawWebSocket()
{
    closeDescriptor();
    m_readWatch->detach();
    if (m_writeWatch)
        m_writeWatch->detach();
}

void RawWebSocket::write(QByteArrayView bytes)
{
    if (m_state == State::Open)
        send(&bytes, 1);
}

void RawWebSocket::write(const QList<QByteArray> &frames)
{
    if (m_state != State::Open)
        return;
    QVarLengthArray<QByteArrayView, PartsPerSend> parts;
    for (const QByteArray &frame : frames)
        parts.append(frame);
    send(parts.constData(), parts.size());
}

void RawWebSocket::ping()
{
    if (m_state == State::Open)
        sendControl(PingOpcode, {});
}

void RawWebSocket::close(int code, QByteArrayView reason)
{
    if (m_state != State::Open)
        return;
    sendCloseFrame(code, reason);
    if (m_state == State::Closed)
        return; // the write failed
    m_state = State::CloseSent;
    m_readWatch->setEnabled(true); // the peer's close frame must be read, paused or not
    startCloseTimer();
}

void RawWebSocket::abort()
{
    if (m_state != State::Closed)
        end();
}

void RawWebSocket::flush()
{
    if (pendingBytes() > 0)
        onWritable();
}

void RawWebSocket::setReading(bool on)
{
    if (m_fd >= 0)
        m_readWatch->setEnabled(on);
}

void RawWebSocket::onReadable()
{
    if (m_fd < 0)
        return; // an activation reported before the descriptor was closed
    char buffer[ReadBufferBytes];
    for (int read = 0;
         read < ReadsPerWakeup && m_state != State::Closed && m_readWatch->isEnabled(); ++read) {
        const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n > 0) {
            consume(buffer, n);
            if (n < ReadBufferBytes)
                return; // the kernel has nothing more now
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && wouldBlock(errno))
            return;
        // The peer closed its side (0) or the connection broke.
        end();
        return;
    }
}

void RawWebSocket::consume(const char *data, qsizetype size)
{
    while (size > 0 && m_state != State::Closed) {
        const qsizetype used = m_reader.feed(data, size);
        data += used;
        size -= used;
        if (m_reader.hasEvent()) {
            handle(m_reader.takeEvent());
        } else if (m_reader.hasFailed() && m_state != State::Finishing) {
            // Fail the connection (RFC 6455 §7.1.7): our close frame says why; the peer's
            // is not waited for.
            if (m_state == State::Open)
                sendCloseFrame(m_reader.errorCode(), m_reader.errorReason());
            finish();
        }
    }
}

void RawWebSocket::handle(const WebSocketFrameReader::Event &event)
{
    using Type = WebSocketFrameReader::EventType;
    switch (event.type) {
    case Type::Text:
        if (m_state == State::Open)
            m_listener.textReceived(m_id, event.payload);
        return;
    case Type::Binary:
        if (m_state == State::Open)
            m_listener.binaryReceived(m_id);
        return;
    case Type::Ping:
        if (m_state == State::Open && pendingBytes() <= MaxUnsentForPong)
            sendControl(PongOpcode, event.payload);
        if (m_state == State::Open)
            m_listener.heard(m_id);
        return;
    case Type::Pong:
        if (m_state == State::Open)
            m_listener.heard(m_id);
        return;
    case Type::Close:
        if (m_state == State::Open) {
            // Echo the peer's code (§5.5.1); a close frame without one gets none back.
            if (event.closeCode == WebSocketFrameReader::NoStatusReceived)
                sendControl(CloseOpcode, {});
            else
                sendCloseFrame(event.closeCode, {});
        }
        if (m_state != State::Closed)
            finish();
        return;
    case Type::None:
        return;
    }
}

void RawWebSocket::sendCloseFrame(int code, QByteArrayView reason)
{
    const QByteArrayView fitted = fitCloseReason(reason);
    char payload[MaxControlPayload];
    payload[0] = char(code >> 8);
    payload[1] = char(code & 0xFF);
    std::copy(fitted.begin(), fitted.end(), payload + 2);
    sendControl(CloseOpcode, QByteArrayView(payload, 2 + fitted.size()));
}

void RawWebSocket::sendControl(quint8 opcode, QByteArrayView payload)
{
    // Server frames are not masked (RFC 6455 §5.1).
    const char header[2] = {char(Fin | opcode), char(payload.size())};
    const QByteArrayView parts[2] = {QByteArrayView(header, 2), payload};
    send(parts, payload.isEmpty() ? 1 : 2);
}

void RawWebSocket::send(const QByteArrayView *parts, qsizetype count)
{
    if (m_fd < 0)
        return;
    qsizetype part = 0;
    qsizetype offset = 0; // into parts[part]
    // Straight to the kernel while nothing waits, so bytes never overtake unsent ones.
    while (pendingBytes() == 0 && part < count) {
        iovec iov[PartsPerSend];
        int used = 0;
        qsizetype offered = 0;
        for (qsizetype i = part; i < count && used < PartsPerSend; ++i) {
            const qsizetype skip = i == part ? offset : 0;
            iov[used].iov_base = const_cast<char *>(parts[i].data() + skip);
            iov[used].iov_len = size_t(parts[i].size() - skip);
            offered += parts[i].size() - skip;
            ++used;
        }
        // One part (a notification's frame, the common case) goes by send(): the kernel then
        // has no iovec array to copy in.
        ssize_t sent;
        if (used == 1) {
            sent = ::send(m_fd, iov[0].iov_base, iov[0].iov_len, MSG_NOSIGNAL | MSG_DONTWAIT);
        } else {
            msghdr message{};
            message.msg_iov = iov;
            message.msg_iovlen = size_t(used);
            sent = ::sendmsg(m_fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
        }
        if (sent < 0 && errno == EINTR)
            continue;
        if (sent < 0 && !wouldBlock(errno)) {
            qCDebug(lcNet) << "write failed, closing:" << std::strerror(errno);
            end();
            return;
        }
        qsizetype taken = std::max<ssize_t>(sent, 0);
        while (part < count && taken >= parts[part].size() - offset) {
            taken -= parts[part].size() - offset;
            offset = 0;
            ++part;
        }
        offset += taken;
        if (sent < offered)
            break; // the kernel's buffer is full
    }
    if (part == count)
        return;
    if (m_unsentSent > 0) {
        m_unsent.remove(0, m_unsentSent);
        m_unsentSent = 0;
    }
    for (qsizetype i = part; i < count; ++i)
        m_unsent.append(parts[i].sliced(i == part ? offset : 0));
    if (!m_writeWatch)
        m_writeWatch = new Watch(m_fd, QSocketNotifier::Write, this);
    m_writeWatch->setEnabled(true);
}

void RawWebSocket::onWritable()
{
    if (m_fd < 0)
        return;
    while (pendingBytes() > 0) {
        const ssize_t sent = ::send(m_fd, m_unsent.constData() + m_unsentSent,
                                    size_t(pendingBytes()), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent < 0 && errno == EINTR)
            continue;
        if (sent < 0 && wouldBlock(errno))
            return;
        if (sent < 0) {
            end();
            return;
        }
        m_unsentSent += sent;
    }
    m_unsent = QByteArray(); // no buffer kept between bursts
    m_unsentSent = 0;
    if (m_writeWatch)
        m_writeWatch->setEnabled(false);
    if (m_state == State::Finishing)
        shutDownSendingWhenDrained();
}

void RawWebSocket::finish()
{
    m_state = State::Finishing;
    startCloseTimer();
    shutDownSendingWhenDrained();
}

void RawWebSocket::shutDownSendingWhenDrained()
{
    // The peer reads our close frame, sees the end of the stream and closes its side, which
    // ends ours (onReadable reads 0). Closing at once could reset the connection under
    // bytes the peer has not read yet.
    if (pendingBytes() == 0 && !m_sendingShutDown && m_fd >= 0) {
        m_sendingShutDown = true;
        ::shutdown(m_fd, SHUT_WR);
    }
}

void RawWebSocket::startCloseTimer()
{
    if (m_closeTimer == 0)
        m_closeTimer = m_readWatch->startTimer(m_closeTimeoutMs);
}

void RawWebSocket::onCloseTimeout()
{
    qCDebug(lcNet) << "close handshake timed out";
    end();
}

void RawWebSocket::closeDescriptor()
{
    if (m_fd < 0)
        return;
    // Out of the event dispatcher first: a closed number may be reused at once.
    m_readWatch->setEnabled(false);
    if (m_writeWatch)
        m_writeWatch->setEnabled(false);
    if (m_closeTimer != 0) {
        m_readWatch->killTimer(m_closeTimer);
        m_closeTimer = 0;
    }
    ::close(m_fd);
    m_fd = -1;
    m_state = State::Closed;
    m_unsent = QByteArray();
    m_unsentSent = 0;
}

void RawWebSocket::end()
{
    if (m_state == State::Closed)
        return; // told already, or being destroyed
    closeDescriptor();
    QCoreApplication::postEvent(m_readWatch, new QEvent(ClosedEvent));
}

void RawWebSocket::onClosedEvent()
{
    m_listener.closed(m_id); // may delete this
}

} // namespace herald::syncd
