// SPDX-License-Identifier: Apache-2.0
// The opening handshake (RFC 6455 §4.2): the checks of §4.2.1, the accept key, and that
// taking the head off the socket leaves the frames behind it.
#include "net/websockethandshake.h"
#include "websocket/websocketkey.h"

#include <QTest>

#include <sys/socket.h>
#include <unistd.h>

using namespace herald::syncd;

namespace {
using Headers = QList<std::pair<QByteArray, QByteArray>>;

const QByteArray RequestLine = "GET /api/v1/ws HTTP/1.1";

Headers validHeaders()
{
    return {{"host", "127.0.0.1:8080"},
            {"upgrade", "websocket"},
            {"connection", "Upgrade"},
            {"sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="},
            {"sec-websocket-version", "13"}};
}

Headers with(const QByteArray &name, const QByteArray &value)
{
    Headers headers;
    for (const auto &header : validHeaders()) {
        if (header.first != name)
            headers.append(header);
    }
    if (!value.isNull())
        headers.append({name, value});
    return headers;
}
} // namespace

class TestWebSocketHandshake : public QObject
{
    Q_OBJECT

private slots:
    void computesTheAcceptKeyOfTheRfc()
    {
        // RFC 6455 §1.3's example.
        QCOMPARE(herald::webSocketAcceptKey("dGhlIHNhbXBsZSBub25jZQ=="),
                 QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    }

    void switchesProtocols()
    {
        const auto answer = WebSocketHandshake::answer(RequestLine, {"GET", validHeaders()});
        QVERIFY(answer.accepted);
        QCOMPARE(answer.bytes, QByteArray("HTTP/1.1 101 Switching Protocols\r\n"
                                          "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                          "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                                          "\r\n"));
    }

    void acceptsWhatTheRfcAllows_data()
    {
        QTest::addColumn<QByteArray>("requestLine");
        QTest::addColumn<Headers>("headers");
        QTest::newRow("Connection list")
            << RequestLine << with("connection", "keep-alive, Upgrade");
        QTest::newRow("lowercase tokens") << RequestLine << with("upgrade", "WebSocket");
        QTest::newRow("subprotocols asked for")
            << RequestLine
            << Headers(validHeaders()
                       << std::pair<QByteArray, QByteArray>("sec-websocket-protocol", "chat"));
        QTest::newRow("HTTP/1.2") << QByteArray("GET /api/v1/ws HTTP/1.2") << validHeaders();
        QTest::newRow("HTTP/2") << QByteArray("GET /api/v1/ws HTTP/2") << validHeaders();
    }
    void acceptsWhatTheRfcAllows()
    {
        QFETCH(QByteArray, requestLine);
        QFETCH(Headers, headers);
        const auto answer = WebSocketHandshake::answer(requestLine, {"GET", headers});
        QVERIFY2(answer.accepted, answer.bytes.constData());
        QVERIFY(!answer.bytes.contains("Sec-WebSocket-Protocol")); // none is selected
    }

    void refusesWhatTheRfcDoesNot_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("requestLine");
        QTest::addColumn<Headers>("headers");
        QTest::addColumn<QByteArray>("named"); // in the error message
        auto row = [](const char *name, const QByteArray &method, const QByteArray &line,
                      const Headers &headers, const QByteArray &named) {
            QTest::newRow(name) << method << line << headers << named;
        };
        row("POST", "POST", "POST /api/v1/ws HTTP/1.1", validHeaders(), "GET");
        row("HTTP/1.0", "GET", "GET /api/v1/ws HTTP/1.0", validHeaders(), "HTTP/1.1");
        row("no version", "GET", "GET /api/v1/ws", validHeaders(), "HTTP/1.1");
        row("no Host", "GET", RequestLine, with("host", {}), "Host");
        row("Upgrade: h2c", "GET", RequestLine, with("upgrade", "h2c"), "Upgrade");
        row("Connection without Upgrade", "GET", RequestLine, with("connection", "keep-alive"),
            "Connection");
        row("no key", "GET", RequestLine, with("sec-websocket-key", {}), "Sec-WebSocket-Key");
        row("key of 15 bytes", "GET", RequestLine,
            with("sec-websocket-key", QByteArray(15, 'k').toBase64()), "Sec-WebSocket-Key");
        row("key not base64", "GET", RequestLine, with("sec-websocket-key", "not base64 at all!"),
            "Sec-WebSocket-Key");
        Headers twoKeys = validHeaders();
        twoKeys.append(
            std::pair<QByteArray, QByteArray>("sec-websocket-key", "AAAAAAAAAAAAAAAAAAAAAA=="));
        row("two keys", "GET", RequestLine, twoKeys, "Sec-WebSocket-Key");
        row("version 8", "GET", RequestLine, with("sec-websocket-version", "8"),
            "Sec-WebSocket-Version");
        row("no version header", "GET", RequestLine, with("sec-websocket-version", {}),
            "Sec-WebSocket-Version");
    }
    void refusesWhatTheRfcDoesNot()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, requestLine);
        QFETCH(Headers, headers);
        QFETCH(QByteArray, named);
        const auto answer = WebSocketHandshake::answer(requestLine, {method, headers});
        QVERIFY(!answer.accepted);
        QVERIFY2(answer.bytes.startsWith("HTTP/1.1 400 Bad Request\r\n"), answer.bytes.constData());
        // As QWebSocketServer answered: the version the server speaks (RFC 6455 §4.4).
        QVERIFY(answer.bytes.contains("\r\nSec-WebSocket-Version: 13\r\n"));
        const qsizetype bodyAt = answer.bytes.indexOf("\r\n\r\n") + 4;
        const QByteArray contentLength =
            "Content-Length: " + QByteArray::number(answer.bytes.size() - bodyAt) + "\r\n";
        QVERIFY(answer.bytes.contains(contentLength));
        QVERIFY2(answer.bytes.mid(bodyAt).contains(named), answer.bytes.constData());
        QVERIFY(answer.bytes.mid(bodyAt).contains("\"bad_request\""));
    }

    void takesTheHeadAndLeavesTheFrames()
    {
        int fds[2];
        QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
        const QByteArray head = RequestLine + "\r\nHost: h\r\n\r\n";
        const QByteArray frames = "\x81\x85rest of the stream";
        QCOMPARE(::write(fds[1], head.constData() + 0, head.size()), head.size());
        QCOMPARE(::write(fds[1], frames.constData(), frames.size()), frames.size());
        QCOMPARE(WebSocketHandshake::takeHead(fds[0], 16 * 1024), head);
        char rest[64];
        QCOMPARE(::read(fds[0], rest, sizeof rest), frames.size());
        QCOMPARE(QByteArray(rest, frames.size()), frames);
        ::close(fds[0]);
        ::close(fds[1]);
    }

    void takesNothingWithoutAWholeHead()
    {
        int fds[2];
        QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
        const QByteArray partial = RequestLine + "\r\nHost: h\r\n";
        QCOMPARE(::write(fds[1], partial.constData(), partial.size()), partial.size());
        QCOMPARE(WebSocketHandshake::takeHead(fds[0], 16 * 1024), QByteArray());
        QCOMPARE(WebSocketHandshake::takeHead(fds[0], 8), QByteArray()); // past the limit
        ::close(fds[0]);
        ::close(fds[1]);
    }
};

QTEST_GUILESS_MAIN(TestWebSocketHandshake)
#include "tst_websockethandshake.moc"
