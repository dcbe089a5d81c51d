// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QPointer>
#include <QUrl>
#include <QWebSocket>
#include <QWebSocketServer>

#include <memory>
#include <vector>

namespace herald::test {

// One client connection as the fake server saw it.
struct FakeConnection
{
    QPointer<QWebSocket> socket;           // owned by the QWebSocketServer
    QList<QJsonObject> frames;             // every text frame the client sent, parsed
    qsizetype framesBeforeRegistered = -1; // frames received when `registered` went out
    int closeCode = -1;                    // the client's close code, once disconnected
};

// A herald-syncd stand-in on 127.0.0.1 speaking PROTOCOL.md's JSON, written by hand so that
// SyncSession is checked against the contract rather than against its own codec. It answers
// `ping` with `pong` and, while autoRegister is set, `register` with `registered`, the backlog
// and `backlogDone`. Not a QObject: it lives on the test's stack or in a unique_ptr.
class FakeSyncServer
{
public:
    FakeSyncServer();
    ~FakeSyncServer();

    bool listen();    // on a free port
    QUrl url() const; // ws://127.0.0.1:PORT/api/v1/ws
    QWebSocketServer *server() { return &m_server; }
    int connectionCount() const { return int(m_connections.size()); }
    FakeConnection &connection(int i) { return *m_connections.at(i); }
    // The frames of connection i; empty while it does not exist yet.
    QList<QJsonObject> frames(int i) const;

    void send(int i, const QJsonObject &frame);
    // registered (sessionId "s-<i>", node 3), the backlog, backlogDone.
    void sendRegistered(int i);
    void close(int i, int code);

    bool autoRegister = true;
    QList<NotificationId> backlog;

private:
    void accept();

    QWebSocketServer m_server;
    std::vector<std::unique_ptr<FakeConnection>> m_connections;
};

// {"type":"notification","data":{...}} with a full, valid notification.
QJsonObject notificationFrame(NotificationId id);
// {"type":type,"ids":ids}: ack, acknowledged, deleted.
QJsonObject idsFrame(const QString &type, const QJsonArray &ids);

} // namespace herald::test
