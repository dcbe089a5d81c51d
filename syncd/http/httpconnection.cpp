// SPDX-License-Identifier: Apache-2.0
#include "httpconnection.h"

#include "http/answerflusher.h"
#include "http/httplog.h"

#include <QTcpSocket>

#include <sys/socket.h>

namespace herald::syncd {

HttpResponder::HttpResponder(HttpConnection *connection, quint64 sequence, bool keepAlive)
    : m_connection(connection), m_sequence(sequence), m_keepAlive(keepAlive)
{
}

void HttpResponder::send(const HttpResponse &response) const
{
    if (m_connection && m_connection->wantsAnswers())
        m_connection->deliver(m_sequence, response.serialize(m_keepAlive), m_keepAlive);
}

HttpConnection::HttpConnection(QTcpSocket *socket, HttpHandler *handler, int maxHeaderBytes,
                               qint64 maxBodyBytes, const TrustedProxies &proxies,
                               AnswerFlusher &flusher, QObject *parent)
    : QObject(parent), m_socket(socket), m_handler(handler), m_flusher(flusher), m_proxies(proxies),
      m_peer(socket->peerAddress()), m_parser(maxHeaderBytes, maxBodyBytes)
{
    m_socket->setParent(this);
    // Past this, Qt stops reading the socket and the kernel holds the client back.
    m_socket->setReadBufferSize(ReadBufferBytes);
    m_lastActivity.start();
    m_lastWritten.start();
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::pump);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &HttpConnection::onBytesWritten);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::finish);
    if (m_socket->bytesAvailable() > 0)
        pump();
}

bool HttpConnection::hasTimedOut(qint64 idleTimeoutMs, qint64 requestTimeoutMs) const
{
    if (m_finished)
        return false;
    if (m_draining)
        return m_lastActivity.elapsed() > DrainTimeoutMs;
    // Held back by its own unread answers or by answers still owed: not the client's delay
    // (isStalled() covers a client that stopped reading).
    if (!mayTakeRequest())
        return false;
    if (m_parser.inProgress())
        return m_requestStarted.isValid() && m_requestStarted.elapsed() > requestTimeoutMs;
    // Requests still being answered keep the connection alive.
    if (answersOwed() != 0)
        return false;
    return m_lastActivity.elapsed() > idleTimeoutMs;
}

bool HttpConnection::isStalled(qint64 stallMs) const
{
    return !m_finished && m_socket->bytesToWrite() > 0 && m_lastWritten.elapsed() > stallMs;
}

void HttpConnection::closeNow()
{
    if (m_finished)
        return;
    if (m_draining) {
        finish();
        return;
    }
    if (m_closing)
        return;
    if (m_parser.inProgress()) {
        failAndClose(408, QStringLiteral("request not complete in time"));
        return;
    }
    if (answersOwed() != 0)
        return; // answers are still owed; HttpServer asks again
    flushAnswers();
    m_closing = true;
    m_socket->disconnectFromHost(); // sends what is written, then `disconnected` finishes
}

bool HttpConnection::mayTakeRequest() const
{
    return answersOwed() < MaxAnswersOwed && unsentBytes() < MaxUnsentBytes;
}

bool HttpConnection::hasInputWaiting() const
{
    return m_parser.hasRequest() || m_socket->bytesAvailable() > 0 ||
           m_parser.failureStatus() != 0 || m_parser.upgradeRequested() || m_upgradeRefused;
}

qint64 HttpConnection::unsentBytes() const
{
    return m_unflushed.size() + m_socket->bytesToWrite();
}

void HttpConnection::schedulePump()
{
    if (m_pumpScheduled || m_finished)
        return;
    m_pumpScheduled = true;
    QMetaObject::invokeMethod(this, &HttpConnection::pump, Qt::QueuedConnection);
}

void HttpConnection::pump()
{
    m_pumpScheduled = false;
    if (m_pumping || m_finished)
        return; // re-entered from a handler that answered at once: the outer loop goes on
    if (m_draining) {
        m_drainedBytes += m_socket->skip(m_socket->bytesAvailable());
        if (m_drainedBytes > MaxDrainBytes)
            finish();
        return;
    }
    m_pumping = true;
    int budget = RequestsPerTurn;
    while (!m_closing && !m_upgradeRefused && mayTakeRequest()) {
        if (m_parser.hasRequest()) {
            if (budget-- == 0) {
                schedulePump();
                break;
            }
            take(m_parser.takeRequest());
        } else if (m_parser.failureStatus() == 0 && !m_parser.upgradeRequested() &&
                   m_socket->bytesAvailable() > 0) {
            // On the stack: a 4 KiB heap block per read made glibc consolidate its fast bins
            // on every request (2% of the daemon's CPU under S2).
            char slice[ReadSliceBytes];
            const qint64 sliceBytes = m_socket->read(slice, ReadSliceBytes);
            if (sliceBytes <= 0)
                break;
            m_lastActivity.restart();
            const bool wasInRequest = m_parser.inProgress();
            m_parser.feed(slice, sliceBytes);
            // A request left incomplete began in this slice, unless none ended in it.
            if (!wasInRequest || m_parser.hasRequest())
                m_requestStarted.restart();
        } else {
            break;
        }
    }
    m_pumping = false;
    // A request refused by the parser is answered after all the answers owed before it.
    if (m_closing || answersOwed() != 0)
        return;
    if (m_upgradeRefused || (m_parser.upgradeRequested() && !m_parser.hasRequest()))
        failAndClose(400, QStringLiteral("upgrade: only as the first request of a connection"));
    else if (m_parser.failureStatus() != 0 && !m_parser.hasRequest())
        failAndClose(m_parser.failureStatus(), m_parser.failureMessage());
}

void HttpConnection::take(HttpRequest request)
{
    if (request.upgrade) {
        m_upgradeRefused = true; // the parser takes nothing after it anyway
        return;
    }
    request.setPeer(m_peer, m_proxies);
    const quint64 sequence = m_nextSequence++;
    if (!request.keepAlive)
        m_closing = true; // read nothing more; close after this answer
    emit requestTaken();
    m_handler->handleRequest(request, HttpResponder(this, sequence, request.keepAlive));
}

void HttpConnection::onBytesWritten()
{
    m_lastWritten.restart();
    if (unsentBytes() < MaxUnsentBytes && hasInputWaiting())
        schedulePump();
}

void HttpConnection::deliver(quint64 sequence, const QByteArray &bytes, bool keepAlive)
{
    if (!wantsAnswers())
        return; // closed, or an error answer went out and nothing may follow it
    m_pendingAnswers.insert(sequence, {bytes, keepAlive});
    // Pipelined requests are answered in the order they came, whatever order they finish in.
    while (!m_pendingAnswers.isEmpty() && m_pendingAnswers.firstKey() == m_nextToWrite) {
        auto [answer, keep] = m_pendingAnswers.take(m_nextToWrite);
        ++m_nextToWrite;
        m_unflushed += answer;
        m_lastActivity.restart();
        if (!m_flushScheduled) {
            m_flushScheduled = true;
            m_flusher.schedule(this);
        }
        if (!keep) {
            m_closing = true;
            m_disconnectAfterFlush = true; // after the written bytes are sent
            return;
        }
    }
    // One answer fewer owed: a request waiting for that, or a refusal waiting for every answer
    // before it, may go on. Otherwise the next request's arrival wakes the connection.
    if (!m_pumping && hasInputWaiting())
        schedulePump();
}

void HttpConnection::flushAnswers()
{
    m_flushScheduled = false;
    if (m_finished)
        return;
    if (!m_unflushed.isEmpty()) {
        if (m_socket->bytesToWrite() == 0)
            m_lastWritten.restart(); // the stall clock starts with the first unsent byte
        m_socket->write(m_unflushed);
        m_unflushed.clear();
    }
    if (m_disconnectAfterFlush) {
        m_disconnectAfterFlush = false;
        m_socket->disconnectFromHost(); // after the written bytes are sent
        return;
    }
    // Held back by its unsent answers, the connection reads on once the kernel took them:
    // bytesWritten, which resumes it otherwise, only comes for bytes the socket buffered.
    onBytesWritten();
}

void HttpConnection::failAndClose(int status, const QString &message)
{
    if (m_finished)
        return;
    m_disconnectAfterFlush = false; // the error answer closes instead
    flushAnswers();                 // the answers made before it go first
    qCDebug(lcHttp) << "closing" << m_socket->peerAddress().toString() << status << message;
    ErrorCode code = ErrorCode::BadRequest;
    if (status == 413)
        code = ErrorCode::PayloadTooLarge;
    HttpResponse response = HttpResponse::error(Error{code, message});
    response.status = status; // 408 and 431 have no code of their own in PROTOCOL.md
    // Answers still owed to earlier requests (only on a timeout) are dropped.
    m_closing = true;
    m_draining = true;
    m_pendingAnswers.clear();
    m_lastActivity.restart(); // the drain timeout counts from the error answer
    m_socket->write(response.serialize(false));
    // Closing with unread input would reset the connection and the client might never read
    // the answer (typically a 413 while it still sends the body): send the answer, half-close,
    // and discard what still comes until the client closes or the sweep gives up on it.
    // The socket writes straight to the kernel, so the answer is usually out already.
    const auto halfCloseWhenSent = [this] {
        if (!m_finished && m_socket->bytesToWrite() == 0)
            ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    };
    if (m_socket->bytesToWrite() == 0)
        halfCloseWhenSent();
    else
        connect(m_socket, &QTcpSocket::bytesWritten, this, halfCloseWhenSent);
    m_drainedBytes += m_socket->skip(m_socket->bytesAvailable());
}

void HttpConnection::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_closing = true;
    m_pendingAnswers.clear();
    m_unflushed.clear();
    m_socket->disconnect(this);
    m_socket->abort();
    emit finished();
    deleteLater();
}

} // namespace herald::syncd
