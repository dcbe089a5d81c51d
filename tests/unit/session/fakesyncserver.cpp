// SPDX-License-Identifier: Apache-2.0
#include "fakesyncserver.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace herald::test {

FakeSyncServer::FakeSyncServer() : m_server(u"fake-syncd"_s, QWebSocketServer::NonSecureMode)
{
    QObject::connect(&m_server, &QWebSocketServer::newConnection, &m_server, [this] { accept(); });
}

FakeSyncServer::~FakeSyncServer()
{
    // The server deletes its sockets after m_connections is gone: no callbacks into it.
    for (const auto &connection : m_connections) {
        if (connection->socket)
            connection->socket->disconnect();
    }
}

bool FakeSyncServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl FakeSyncServer::url() const
{
    return QUrl(u"ws://127.0.0.1:%1/api/v1/ws"_s.arg(m_server.serverPort()));
}

QList<QJsonObject> FakeSyncServer::frames(int i) const
{
    return i < connectionCount() ? m_connections[i]->frames : QList<QJsonObject>{};
}

void FakeSyncServer::send(int i, const QJsonObject &frame)
{
    m_connections.at(i)->socket->sendTextMessage(
        QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
}

void FakeSyncServer::sendRegistered(int i)
{
    connection(i).framesBeforeRegistered = connection(i).frames.size();
    send(i, {{u"type"_s, u"registered"_s},
             {u"sessionId"_s, u"s-%1"_s.arg(i)},
             {u"node"_s, 3},
             {u"serverTime"_s, u"2026-11-22T12:00:00.000Z"_s}});
    for (NotificationId id : backlog)
        send(i, notificationFrame(id));
    send(i, {{u"type"_s, u"backlogDone"_s}});
}

void FakeSyncServer::close(int i, int code)
{
    m_connections.at(i)->socket->close(QWebSocketProtocol::CloseCode(code), u"test"_s);
}

void FakeSyncServer::accept()
{
    while (QWebSocket *socket = m_server.nextPendingConnection()) {
        socket->setParent(&m_server); // handed over with no parent
        const int index = connectionCount();
        auto connection = std::make_unique<FakeConnection>();
        connection->socket = socket;
        FakeConnection *c = connection.get();
        m_connections.push_back(std::move(connection));
        QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                         [this, c, index](const QString &text) {
                             const QJsonObject frame =
                                 QJsonDocument::fromJson(text.toUtf8()).object();
                             c->frames.append(frame);
                             const QString type = frame.value(u"type"_s).toString();
                             if (type == u"register"_s && autoRegister)
                                 sendRegistered(index);
                             else if (type == u"ping"_s)
                                 send(index, {{u"type"_s, u"pong"_s}});
                         });
        QObject::connect(socket, &QWebSocket::disconnected, socket,
                         [c] { c->closeCode = c->socket->closeCode(); });
    }
}

QJsonObject notificationFrame(NotificationId id)
{
    const QJsonObject data{{u"id"_s, id},
                           {u"application"_s, u"app"_s},
                           {u"channel"_s, u"c1"_s},
                           {u"code"_s, u"build"_s},
                           {u"title"_s, u"Build %1"_s.arg(id)},
                           {u"message"_s, u"finished"_s},
                           {u"persistent"_s, true},
                           {u"priority"_s, u"normal"_s},
                           {u"tags"_s, QJsonObject{}},
                           {u"actions"_s, QJsonArray{}},
                           {u"recipients"_s, QJsonArray{}},
                           {u"time"_s, u"2026-11-22T12:00:00.123Z"_s},
                           {u"node"_s, 3}};
    return {{u"type"_s, u"notification"_s}, {u"data"_s, data}};
}

QJsonObject idsFrame(const QString &type, const QJsonArray &ids)
{
    return {{u"type"_s, type}, {u"ids"_s, ids}};
}

} // namespace herald::test
