// SPDX-License-Identifier: Apache-2.0
#include "rawwebsocketserver.h"

#include "websocket/websocketkey.h"

#include <QRegularExpression>
#include <QTest>

namespace herald::test {

RawWebSocketServer::RawWebSocketServer()
{
    QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
        QTcpSocket *socket = m_server.nextPendingConnection();
        if (m_socket) { // one client at a time
            socket->abort();
            return;
        }
        m_socket = socket;
        m_request.clear();
        m_upgraded = false;
        m_disconnected = false;
        m_reader.emplace(WebSocketFrameReader::Role::Server, 1 << 20);
        m_events.clear();
        m_rawFrames.clear();
        QObject::connect(socket, &QTcpSocket::readyRead, &m_server, [this] { onReadyRead(); });
        QObject::connect(socket, &QTcpSocket::disconnected, &m_server,
                         [this] { m_disconnected = true; });
    });
}

bool RawWebSocketServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost);
}

QUrl RawWebSocketServer::url() const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_server.serverPort()));
}

bool RawWebSocketServer::waitForRequest()
{
    return QTest::qWaitFor([this] { return m_request.endsWith("\r\n\r\n"); }, 5000);
}

void RawWebSocketServer::acceptUpgrade(const QByteArray &after)
{
    static const QRegularExpression keyLine(QStringLiteral("Sec-WebSocket-Key: (\\S+)\r\n"));
    const QByteArray key = keyLine.match(QString::fromLatin1(m_request)).captured(1).toLatin1();
    m_upgraded = true;
    write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Accept: " +
          webSocketAcceptKey(key) + "\r\n\r\n" + after);
}

void RawWebSocketServer::write(const QByteArray &bytes)
{
    if (m_socket)
        m_socket->write(bytes);
}

void RawWebSocketServer::closeConnection()
{
    if (m_socket)
        m_socket->disconnectFromHost();
}

bool RawWebSocketServer::waitForEvents(int count)
{
    return QTest::qWaitFor([&] { return m_events.size() >= count; }, 5000);
}

bool RawWebSocketServer::waitForDisconnect()
{
    return QTest::qWaitFor([&] { return m_disconnected; }, 5000);
}

void RawWebSocketServer::onReadyRead()
{
    QByteArray data = m_socket->readAll();
    if (!m_request.endsWith("\r\n\r\n")) {
        m_request += data;
        return; // the client sends nothing more before the answer
    }
    if (!m_upgraded)
        return;
    m_rawFrames.append(data);
    qsizetype used = 0;
    while (used < data.size() && !m_reader->isFinished()) {
        used += m_reader->feed(data.constData() + used, data.size() - used);
        if (m_reader->hasEvent())
            m_events.append(m_reader->takeEvent());
    }
}

QByteArray RawWebSocketServer::frame(quint8 firstByte, const QByteArray &payload, bool masked)
{
    QByteArray out;
    out.append(char(firstByte));
    const char maskBit = masked ? char(0x80) : char(0);
    if (payload.size() < 126) {
        out.append(char(maskBit | char(payload.size())));
    } else {
        out.append(char(maskBit | 126));
        out.append(char(payload.size() >> 8)).append(char(payload.size() & 0xFF));
    }
    QByteArray body = payload;
    if (masked) {
        const char key[4] = {'\x37', '\xfa', '\x21', '\x3d'};
        out.append(key, 4);
        for (qsizetype i = 0; i < body.size(); ++i)
            body[i] = char(body[i] ^ key[i % 4]);
    }
    return out + body;
}

} // namespace herald::test
