// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "websocket/websocketframereader.h"

#include <QByteArray>
#include <QList>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

#include <optional>

namespace herald::test {

// A WebSocket server written by hand on a QTcpServer, so that a test can break the rules a
// real server keeps: answer the upgrade as it likes, and write any bytes after it. It reads
// what the client sends with the frame reader in its server role. One client at a time; not
// a QObject: it lives on the test's stack.
class RawWebSocketServer
{
public:
    RawWebSocketServer();

    bool listen();
    QUrl url() const; // ws://127.0.0.1:PORT/

    // Waits until a client's upgrade request has arrived whole.
    bool waitForRequest();
    const QByteArray &request() const { return m_request; }
    // The 101 with the accept for the request's key, then `after` in the same write.
    void acceptUpgrade(const QByteArray &after = {});
    void write(const QByteArray &bytes);
    void closeConnection();

    // What the client sent after the upgrade, as events (the reader's error: failedWith()).
    const QList<WebSocketFrameReader::Event> &events() const { return m_events; }
    QList<QByteArray> rawFrames() const { return m_rawFrames; } // as they came, still masked
    bool waitForEvents(int count);
    bool waitForDisconnect();
    int failedWith() const { return m_reader->errorCode(); }

    // One frame as a server sends it (unmasked), or masked with a fixed key.
    static QByteArray frame(quint8 firstByte, const QByteArray &payload, bool masked = false);

private:
    void onReadyRead();

    QTcpServer m_server;
    QPointer<QTcpSocket> m_socket;
    QByteArray m_request;
    bool m_upgraded = false;
    bool m_disconnected = false;
    std::optional<WebSocketFrameReader> m_reader;
    QList<WebSocketFrameReader::Event> m_events;
    QList<QByteArray> m_rawFrames;
};

} // namespace herald::test
