#include "httpconnection.h"

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
    if (m_connection)
        m_connection->deliver(m_sequence, response.serialize(m_keepAlive), m_keepAlive);
}

HttpConnection::HttpConnection(QTcpSocket *socket, HttpHandler *handler, int maxHeaderBytes,
                               qint64 maxBodyBytes, QObject *parent)
    : QObject(parent), m_socket(socket), m_handler(handler), m_parser(maxHeaderBytes, maxBodyBytes)
{
    m_socket->setParent(this);
    m_lastActivity.start();
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::finish);
    if (m_socket->bytesAvailable() > 0)
        onReadyRead();
}

bool HttpConnection::hasTimedOut(qint64 idleTimeoutMs, qint64 requestTimeoutMs) const
{
    if (!m_socket)
        return false;
    if (m_draining)
        return m_lastActivity.elapsed() > DrainTimeoutMs;
    if (m_parser.inProgress())
        return m_requestStarted.isValid() && m_requestStarted.elapsed() > requestTimeoutMs;
    // Requests still being answered keep the connection alive.
    if (m_nextToWrite != m_nextSequence)
        return false;
    return m_lastActivity.elapsed() > idleTimeoutMs;
}

void HttpConnection::closeNow()
{
    if (!m_socket)
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
    if (m_nextToWrite != m_nextSequence)
        return; // answers are still owed; HttpServer asks again
    m_closing = true;
    m_socket->disconnectFromHost(); // sends what is written, then `disconnected` finishes
}

void HttpConnection::onReadyRead()
{
    if (m_draining) {
        m_drainedBytes += m_socket->skip(m_socket->bytesAvailable());
        if (m_drainedBytes > MaxDrainBytes)
            finish();
        return;
    }
    if (m_closing)
        return;
    const QByteArray data = m_socket->readAll();
    m_lastActivity.restart();
    if (!m_parser.inProgress())
        m_requestStarted.restart();
    m_parser.feed(data.constData(), data.size());

    while (m_parser.hasRequest() && !m_closing) {
        HttpRequest request = m_parser.takeRequest();
        request.peer = m_socket->peerAddress();
        if (request.upgrade) {
            failAndClose(400, QStringLiteral("upgrade: only as the first request of a connection"));
            return;
        }
        const quint64 sequence = m_nextSequence++;
        if (!request.keepAlive)
            m_closing = true; // read nothing more; close after this answer
        m_handler->handleRequest(request, HttpResponder(this, sequence, request.keepAlive));
    }
    if (m_parser.failureStatus() != 0 && !m_closing)
        failAndClose(m_parser.failureStatus(), m_parser.failureMessage());
    else if (m_parser.upgradeRequested() && !m_closing)
        failAndClose(400, QStringLiteral("upgrade: only as the first request of a connection"));
}

void HttpConnection::deliver(quint64 sequence, const QByteArray &bytes, bool keepAlive)
{
    m_pendingAnswers.insert(sequence, {bytes, keepAlive});
    // Pipelined requests are answered in the order they came, whatever order they finish in.
    while (!m_pendingAnswers.isEmpty() && m_pendingAnswers.firstKey() == m_nextToWrite) {
        auto [answer, keep] = m_pendingAnswers.take(m_nextToWrite);
        ++m_nextToWrite;
        m_socket->write(answer);
        m_lastActivity.restart();
        if (!keep) {
            m_closing = true;
            m_socket->disconnectFromHost(); // after the written bytes are sent
            return;
        }
    }
}

void HttpConnection::failAndClose(int status, const QString &message)
{
    qCDebug(lcHttp) << "closing" << m_socket->peerAddress().toString() << status << message;
    ErrorCode code = ErrorCode::BadRequest;
    if (status == 413)
        code = ErrorCode::PayloadTooLarge;
    HttpResponse response = HttpResponse::error(Error{code, message});
    response.status = status; // 408 and 431 have no code of their own in PROTOCOL.md
    // Answers still owed to earlier requests are dropped with the connection.
    m_closing = true;
    m_draining = true;
    m_socket->write(response.serialize(false));
    // Closing with unread input would reset the connection and the client might never read
    // the answer (typically a 413 while it still sends the body): send the answer, half-close,
    // and discard what still comes until the client closes or the sweep gives up on it.
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
        if (m_socket && m_socket->bytesToWrite() == 0)
            ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    });
}

void HttpConnection::finish()
{
    if (!m_socket)
        return;
    m_closing = true;
    m_socket->disconnect(this);
    m_socket->abort();
    emit finished();
    deleteLater();
}

} // namespace herald::syncd
