// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "websocket/clienthandshake.h"
#include "websocket/websocketframereader.h"
#include "websocket/websocketframes.h"

#include <QAbstractSocket>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QUrl>

#include <optional>

class QTcpSocket;

namespace herald {

// The client end of one WebSocket (RFC 6455), for SyncSession: the part of QWebSocket's API
// that the session uses. It exists because QWebSocket sets up Qt's TLS backend (libcrypto,
// some MB resident) even for ws://; this one runs ws:// over a QTcpSocket and creates a
// QSslSocket, and so loads TLS, only for wss://.
//
// Sends text messages, each one frame masked with a fresh random key; reads text messages
// (fragmented or not, checked to be UTF-8), answers pings, and closes both ways. A protocol
// error of the server fails the connection with the close code the frame reader found (a
// masked frame is 1002, bad UTF-8 1007, a message over maxMessageBytes 1009): our close
// frame says why, then the TCP connection is closed. Binary messages are ignored.
//
// One connection per open(). Signals are emitted from the owner thread's event loop; a
// receiver must not delete the socket inside one (deleteLater() is fine).
class ClientWebSocket : public QObject
{
    Q_OBJECT

public:
    using Headers = ClientHandshake::Headers;
    static constexpr qint64 DefaultMaxMessageBytes = 16 * 1024 * 1024;
    static constexpr int DefaultCloseTimeoutMs = 5'000;

    explicit ClientWebSocket(QObject *parent = nullptr);
    ~ClientWebSocket() override;

    // Connects to `url` (ws:// or wss://) and upgrades with `extraHeaders` added to the GET
    // (e.g. Authorization). connected() follows, or error() and disconnected().
    void open(const QUrl &url, const Headers &extraHeaders = {});
    // Sends `message` as one text frame; false (nothing sent) unless connected.
    bool sendTextMessage(const QString &message);
    // Sends a close frame and waits for the peer's, at most closeTimeout, then closes TCP and
    // emits disconnected(). While the upgrade is under way: abort().
    void close(int code = 1000, const QString &reason = {});
    // Drops the connection at once, without a close frame and without signals.
    void abort();

    QAbstractSocket::SocketState state() const { return m_state; }
    // Of the close: the peer's code and reason when the peer closed first, ours when we did
    // (or failed the connection), 1006 when TCP ended without a close frame, and 1005 for a
    // close frame without a code.
    int closeCode() const { return m_closeCode; }
    QString closeReason() const { return m_closeReason; }
    // The last error: the socket's, or what was wrong with the upgrade's answer.
    QString errorString() const { return m_errorString; }
    // The HTTP status of an upgrade the server refused (401, 503, ...); 0 when none.
    int httpStatus() const { return m_httpStatus; }

    // Settings for the next open().
    void setMaxMessageBytes(qint64 bytes) { m_maxMessageBytes = bytes; }
    void setCloseTimeout(int ms) { m_closeTimer.setInterval(ms); }

Q_SIGNALS:
    void connected();
    // After connected(): when the close ended, or the connection broke; before: after error().
    void disconnected();
    void error(QAbstractSocket::SocketError error);
    void textMessageReceived(const QString &message);

private:
    void onTransportReady();
    void onReadyRead();
    void onTransportDisconnected();
    void onTransportError(QAbstractSocket::SocketError socketError);
    void readFrames(const QByteArray &data);
    void handle(const WebSocketFrameReader::Event &event);
    void failUpgrade(QAbstractSocket::SocketError socketError, const QString &why);
    void failConnection(int code, const QString &reason);
    void sendFrame(WebSocketOpcode opcode, QByteArrayView payload);
    void sendClose(int code, const QString &reason, bool withCode = true);
    void dropTransport();
    void finish();

    QTcpSocket *m_socket = nullptr; // child of this; a QSslSocket for wss://
    QAbstractSocket::SocketState m_state = QAbstractSocket::UnconnectedState;
    QByteArray m_request;
    QByteArray m_head; // of the upgrade's answer, until it is whole
    std::optional<ClientHandshake> m_handshake;
    std::optional<WebSocketFrameReader> m_reader;
    bool m_closeSent = false;
    qint64 m_maxMessageBytes = DefaultMaxMessageBytes;
    QTimer m_closeTimer; // our close frame is out: the peer's must come by then
    int m_closeCode = 1006;
    QString m_closeReason;
    QString m_errorString;
    int m_httpStatus = 0;
};

} // namespace herald
