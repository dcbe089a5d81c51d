// SPDX-License-Identifier: Apache-2.0
#include "clientwebsocket.h"

#include "websocket/websocketkey.h"

#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSslSocket>
#include <QTcpSocket>

#include <utility>

namespace herald {

namespace {

Q_LOGGING_CATEGORY(lcWebSocket, "herald.shared.websocket")

constexpr int AbnormalClosure = 1006; // RFC 6455 §7.4.1: no close frame; never sent

} // namespace

ClientWebSocket::ClientWebSocket(QObject *parent) : QObject(parent)
{
    m_closeTimer.setSingleShot(true);
    m_closeTimer.setInterval(DefaultCloseTimeoutMs);
    connect(&m_closeTimer, &QTimer::timeout, this, [this] {
        qCDebug(lcWebSocket) << "no close frame from the server in time; closing TCP";
        dropTransport();
        finish();
    });
}

ClientWebSocket::~ClientWebSocket()
{
    // A close frame just sent (an owner that closes and goes) leaves if the kernel takes it.
    if (m_socket)
        m_socket->flush();
    dropTransport();
}

void ClientWebSocket::open(const QUrl &url, const Headers &extraHeaders)
{
    dropTransport();
    m_state = QAbstractSocket::ConnectingState;
    m_closeSent = false;
    m_closeCode = AbnormalClosure;
    m_closeReason.clear();
    m_errorString.clear();
    m_httpStatus = 0;
    m_head.clear();
    const QByteArray key = newWebSocketKey();
    m_handshake.emplace(key);
    m_reader.emplace(WebSocketFrameReader::Role::Client, m_maxMessageBytes);
    m_request = ClientHandshake::request(url, key, extraHeaders);

    const bool secure = url.scheme() == QLatin1String("wss");
    if (!url.isValid() || url.host().isEmpty() || (!secure && url.scheme() != QLatin1String("ws")))
        return failUpgrade(QAbstractSocket::HostNotFoundError,
                           QStringLiteral("not a ws:// or wss:// URL"));
    if (secure) {
        // Only here: constructing a QSslSocket is what loads Qt's TLS backend.
        auto *socket = new QSslSocket(this);
        connect(socket, &QSslSocket::encrypted, this, &ClientWebSocket::onTransportReady);
        m_socket = socket;
    } else {
        m_socket = new QTcpSocket(this);
        connect(m_socket, &QTcpSocket::connected, this, &ClientWebSocket::onTransportReady);
    }
    connect(m_socket, &QTcpSocket::readyRead, this, &ClientWebSocket::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &ClientWebSocket::onTransportDisconnected);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &ClientWebSocket::onTransportError);
    if (secure)
        static_cast<QSslSocket *>(m_socket)->connectToHostEncrypted(url.host(), url.port(443));
    else
        m_socket->connectToHost(url.host(), quint16(url.port(80)));
}

bool ClientWebSocket::sendTextMessage(const QString &message)
{
    if (m_state != QAbstractSocket::ConnectedState)
        return false;
    sendFrame(WebSocketOpcode::Text, message.toUtf8());
    return true;
}

void ClientWebSocket::close(int code, const QString &reason)
{
    if (m_state != QAbstractSocket::ConnectedState) {
        if (m_state == QAbstractSocket::ConnectingState)
            abort();
        return;
    }
    m_closeCode = code;
    m_closeReason = reason;
    sendClose(code, reason);
    m_state = QAbstractSocket::ClosingState;
    m_closeTimer.start();
}

void ClientWebSocket::abort()
{
    dropTransport();
    m_state = QAbstractSocket::UnconnectedState;
}

void ClientWebSocket::onTransportReady()
{
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_socket->write(std::exchange(m_request, QByteArray()));
}

void ClientWebSocket::onReadyRead()
{
    QByteArray data = m_socket->readAll();
    if (m_state == QAbstractSocket::ConnectingState) {
        m_head.append(data);
        switch (m_handshake->read(m_head)) {
        case ClientHandshake::Outcome::Incomplete:
            return;
        case ClientHandshake::Outcome::Refused:
            m_httpStatus = m_handshake->httpStatus() == 101 ? 0 : m_handshake->httpStatus();
            return failUpgrade(QAbstractSocket::ConnectionRefusedError, m_handshake->error());
        case ClientHandshake::Outcome::Accepted:
            break;
        }
        // Frames that came in the same read as the answer's head.
        data = std::exchange(m_head, QByteArray());
        m_state = QAbstractSocket::ConnectedState;
        Q_EMIT connected();
    }
    readFrames(data);
}

void ClientWebSocket::readFrames(const QByteArray &data)
{
    qsizetype used = 0;
    // A receiver may have closed or aborted us: only an open connection reads on.
    while (used < data.size() && m_socket && !m_reader->isFinished()) {
        used += m_reader->feed(data.constData() + used, data.size() - used);
        if (m_reader->hasEvent())
            handle(m_reader->takeEvent());
    }
    if (m_socket && m_reader->hasFailed())
        failConnection(m_reader->errorCode(), QString::fromLatin1(m_reader->errorReason()));
}

void ClientWebSocket::handle(const WebSocketFrameReader::Event &event)
{
    using Type = WebSocketFrameReader::EventType;
    switch (event.type) {
    case Type::Text:
        if (m_state == QAbstractSocket::ConnectedState)
            Q_EMIT textMessageReceived(QString::fromUtf8(event.payload));
        return;
    case Type::Ping:
        if (!m_closeSent)
            sendFrame(WebSocketOpcode::Pong, event.payload);
        return;
    case Type::Close:
        if (!m_closeSent) { // the peer closes first: echo its code (§5.5.1)
            m_closeCode = event.closeCode;
            m_closeReason = QString::fromUtf8(event.payload);
            const bool withCode = event.closeCode != WebSocketFrameReader::NoStatusReceived;
            sendClose(event.closeCode, QString(), withCode);
            m_state = QAbstractSocket::ClosingState;
            m_closeTimer.start();
        }
        // Both close frames are out: the server should end TCP first (§7.1.1), and
        // disconnectFromHost() waits for our frame to leave.
        m_socket->disconnectFromHost();
        return;
    case Type::Binary:
        qCDebug(lcWebSocket) << "ignoring a binary message of" << event.payload.size() << "bytes";
        return;
    case Type::Pong:
    case Type::None:
        return;
    }
}

void ClientWebSocket::failUpgrade(QAbstractSocket::SocketError socketError, const QString &why)
{
    m_errorString = why;
    dropTransport();
    Q_EMIT error(socketError);
    finish();
}

void ClientWebSocket::failConnection(int code, const QString &reason)
{
    qCInfo(lcWebSocket) << "failing the connection with" << code << reason;
    m_errorString = reason;
    if (!m_closeSent) {
        m_closeCode = code;
        m_closeReason = reason;
        sendClose(code, reason);
    }
    m_state = QAbstractSocket::ClosingState;
    m_closeTimer.start();
    m_socket->disconnectFromHost(); // §7.1.7: no need to wait for the server's close
}

void ClientWebSocket::onTransportDisconnected()
{
    if (m_state == QAbstractSocket::ConnectingState) {
        return failUpgrade(QAbstractSocket::RemoteHostClosedError,
                           QStringLiteral("the server closed the connection during the upgrade"));
    }
    dropTransport();
    finish();
}

void ClientWebSocket::onTransportError(QAbstractSocket::SocketError socketError)
{
    if (m_state == QAbstractSocket::ConnectingState)
        return failUpgrade(socketError, m_socket->errorString());
    // Once upgraded, the end of the connection is disconnected()'s to report.
    if (socketError != QAbstractSocket::RemoteHostClosedError)
        m_errorString = m_socket->errorString();
    qCDebug(lcWebSocket) << "socket error" << socketError << m_socket->errorString();
    if (m_socket->state() == QAbstractSocket::UnconnectedState) {
        dropTransport();
        finish();
    }
}

void ClientWebSocket::sendFrame(WebSocketOpcode opcode, QByteArrayView payload)
{
    m_socket->write(maskedFrame(opcode, payload, QRandomGenerator::global()->generate()));
}

void ClientWebSocket::sendClose(int code, const QString &reason, bool withCode)
{
    m_closeSent = true;
    sendFrame(WebSocketOpcode::Close,
              withCode ? closePayload(code, reason.toUtf8()) : QByteArray());
}

void ClientWebSocket::dropTransport()
{
    m_closeTimer.stop();
    if (!m_socket)
        return;
    QTcpSocket *socket = std::exchange(m_socket, nullptr);
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater(); // we may be inside one of its signals
}

void ClientWebSocket::finish()
{
    if (m_state == QAbstractSocket::UnconnectedState)
        return;
    m_state = QAbstractSocket::UnconnectedState;
    Q_EMIT disconnected();
}

} // namespace herald
