// SPDX-License-Identifier: Apache-2.0
#include "websockethandshake.h"

#include "codec/jsoncodec.h"
#include "websocket/websocketkey.h"

#include <cerrno>

#include <sys/socket.h>

namespace herald::syncd::WebSocketHandshake {

namespace {
QList<QByteArray> valuesOf(const WebSocketUpgradeRequest &request, const QByteArray &name)
{
    QList<QByteArray> values;
    for (const auto &[headerName, value] : request.headers) {
        if (headerName == name)
            values.append(value);
    }
    return values;
}

// Whether a comma-separated header (every occurrence) lists `token`, ignoring case.
bool listsToken(const WebSocketUpgradeRequest &request, const QByteArray &name,
                const QByteArray &token)
{
    for (const QByteArray &value : valuesOf(request, name)) {
        for (const QByteArray &item : value.split(',')) {
            if (item.trimmed().compare(token, Qt::CaseInsensitive) == 0)
                return true;
        }
    }
    return false;
}

// "HTTP/1.1" or later, from the request line's last word.
bool isHttp11OrLater(const QByteArray &requestLine)
{
    const QByteArray version = requestLine.mid(requestLine.lastIndexOf(' ') + 1);
    if (!version.startsWith("HTTP/"))
        return false;
    const QList<QByteArray> numbers = version.mid(5).split('.');
    bool majorOk = false;
    bool minorOk = false;
    const int major = numbers.value(0).toInt(&majorOk);
    const int minor = numbers.size() == 2 ? numbers[1].toInt(&minorOk) : 0;
    return majorOk && (numbers.size() == 1 || minorOk) && (major > 1 || (major == 1 && minor >= 1));
}

// Why the request cannot be upgraded; empty when it can.
QString refusal(const QByteArray &requestLine, const WebSocketUpgradeRequest &request)
{
    if (request.method != "GET" || !isHttp11OrLater(requestLine))
        return QStringLiteral("handshake: a WebSocket opens with a GET over HTTP/1.1");
    if (valuesOf(request, "host").isEmpty())
        return QStringLiteral("handshake: Host is missing");
    if (!listsToken(request, "upgrade", "websocket"))
        return QStringLiteral("handshake: Upgrade must be websocket");
    if (!listsToken(request, "connection", "upgrade"))
        return QStringLiteral("handshake: Connection must list Upgrade");
    const QList<QByteArray> keys = valuesOf(request, "sec-websocket-key");
    const auto decoded = QByteArray::fromBase64Encoding(keys.value(0).trimmed(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    if (keys.size() != 1 || !decoded || decoded.decoded.size() != 16)
        return QStringLiteral("handshake: Sec-WebSocket-Key must be 16 bytes in base64");
    const QList<QByteArray> versions = valuesOf(request, "sec-websocket-version");
    if (versions.size() != 1 || versions[0].trimmed() != "13")
        return QStringLiteral("handshake: Sec-WebSocket-Version must be 13");
    return {};
}
} // namespace

Answer answer(const QByteArray &requestLine, const WebSocketUpgradeRequest &request)
{
    const QString why = refusal(requestLine, request);
    if (why.isEmpty()) {
        const QByteArray key = valuesOf(request, "sec-websocket-key").constFirst().trimmed();
        return {true, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Accept: " +
                          webSocketAcceptKey(key) + "\r\n\r\n"};
    }
    const QByteArray body = JsonCodec::errorBody(Error::badRequest(why));
    return {false, "HTTP/1.1 400 Bad Request\r\nSec-WebSocket-Version: 13\r\n"
                   "Content-Type: application/json\r\nContent-Length: " +
                       QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body};
}

QByteArray takeHead(int descriptor, int maxHeadBytes)
{
    // Look first, then read exactly the head: the bytes after it belong to the frames.
    QByteArray head(maxHeadBytes, Qt::Uninitialized);
    ssize_t peeked;
    do {
        peeked = ::recv(descriptor, head.data(), size_t(head.size()), MSG_PEEK | MSG_DONTWAIT);
    } while (peeked < 0 && errno == EINTR);
    if (peeked <= 0)
        return {};
    head.truncate(peeked);
    const qsizetype end = head.indexOf("\r\n\r\n");
    if (end < 0)
        return {};
    head.truncate(end + 4);
    ssize_t taken;
    do {
        taken = ::recv(descriptor, head.data(), size_t(head.size()), MSG_DONTWAIT);
    } while (taken < 0 && errno == EINTR);
    return taken == head.size() ? head : QByteArray();
}

} // namespace herald::syncd::WebSocketHandshake
