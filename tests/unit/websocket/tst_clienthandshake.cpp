// SPDX-License-Identifier: Apache-2.0
// The client's half of the opening handshake (RFC 6455 §4.1): the request it writes, and which
// answers it accepts.
#include "websocket/clienthandshake.h"
#include "websocket/websocketkey.h"

#include <QTest>

using namespace herald;
using Outcome = ClientHandshake::Outcome;

namespace {
const QByteArray Key = "dGhlIHNhbXBsZSBub25jZQ=="; // RFC 6455 §1.3's example
const QByteArray Accept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

QByteArray switching(const QByteArray &extra = {}, const QByteArray &accept = Accept)
{
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Accept: " +
           accept + "\r\n" + extra + "\r\n";
}
} // namespace

class TestClientHandshake : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writesTheUpgradeRequest()
    {
        const QByteArray request =
            ClientHandshake::request(QUrl(QStringLiteral("ws://example.org:8080/api/v1/ws?a=1")),
                                     Key, {{"Authorization", "Bearer t0k"}});
        QCOMPARE(request, QByteArray("GET /api/v1/ws?a=1 HTTP/1.1\r\n"
                                     "Host: example.org:8080\r\n"
                                     "Upgrade: websocket\r\n"
                                     "Connection: Upgrade\r\n"
                                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                     "Sec-WebSocket-Version: 13\r\n"
                                     "Authorization: Bearer t0k\r\n\r\n"));
    }

    void leavesTheDefaultPortOutOfHost_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QByteArray>("host");
        QTest::newRow("ws") << QStringLiteral("ws://example.org/") << QByteArray("example.org");
        QTest::newRow("ws on 443")
            << QStringLiteral("ws://example.org:443/") << QByteArray("example.org:443");
        QTest::newRow("wss") << QStringLiteral("wss://example.org/") << QByteArray("example.org");
        QTest::newRow("wss on 80")
            << QStringLiteral("wss://example.org:80/") << QByteArray("example.org:80");
        QTest::newRow("IPv6") << QStringLiteral("ws://[::1]:9000/") << QByteArray("[::1]:9000");
    }
    void leavesTheDefaultPortOutOfHost()
    {
        QFETCH(QString, url);
        QFETCH(QByteArray, host);
        const QByteArray request = ClientHandshake::request(QUrl(url), Key, {});
        QVERIFY2(request.contains(QByteArray("\r\nHost: " + host + "\r\n")), request.constData());
        QVERIFY(request.startsWith("GET / HTTP/1.1\r\n"));
    }

    void makesAFreshKeyOf16Bytes()
    {
        const QByteArray key = newWebSocketKey();
        QCOMPARE(QByteArray::fromBase64(key).size(), 16);
        QVERIFY(key != newWebSocketKey());
    }

    void acceptsTheRightAnswerAndKeepsWhatFollows()
    {
        ClientHandshake handshake(Key);
        QByteArray buffer = switching().chopped(3);
        QCOMPARE(handshake.read(buffer), Outcome::Incomplete);
        buffer += "\n\r\n\x81\x02hi"; // the rest of the head, then a frame in the same read
        QCOMPARE(handshake.read(buffer), Outcome::Accepted);
        QCOMPARE(buffer, QByteArray("\x81\x02hi"));
    }

    void toleratesCaseAndTokenLists()
    {
        ClientHandshake handshake(Key);
        QByteArray buffer = "HTTP/1.1 101 OK\r\nupgrade: WebSocket\r\nCONNECTION: keep-alive, "
                            "upgrade\r\nsec-websocket-accept: " +
                            Accept + "\r\n\r\n";
        QCOMPARE(handshake.read(buffer), Outcome::Accepted);
    }

    void refusesOtherAnswers_data()
    {
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<QString>("error");
        QTest::addColumn<int>("status");
        QTest::newRow("401") << QByteArray("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n")
                             << QStringLiteral("the server answered 401 Unauthorized") << 401;
        QTest::newRow("503") << QByteArray("HTTP/1.0 503 Service Unavailable\r\n\r\n")
                             << QStringLiteral("the server answered 503 Service Unavailable")
                             << 503;
        QTest::newRow("200") << QByteArray("HTTP/1.1 200 OK\r\n\r\n")
                             << QStringLiteral("the server answered 200 OK") << 200;
        QTest::newRow("bad accept") << switching({}, "AAAAAAAAAAAAAAAAAAAAAAAAAAA=")
                                    << QStringLiteral("bad Sec-WebSocket-Accept") << 101;
        QTest::newRow("no accept")
            << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                          "Connection: Upgrade\r\n\r\n")
            << QStringLiteral("bad Sec-WebSocket-Accept") << 101;
        QTest::newRow("no upgrade")
            << QByteArray("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Accept: " +
                          Accept + "\r\n\r\n")
            << QStringLiteral("the server's 101 has no Upgrade: websocket") << 101;
        QTest::newRow("an extension")
            << switching("Sec-WebSocket-Extensions: permessage-deflate\r\n")
            << QStringLiteral("the server chose an extension or subprotocol") << 101;
        QTest::newRow("not HTTP") << QByteArray("SSH-2.0-OpenSSH\r\n\r\n")
                                  << QStringLiteral("the server did not answer in HTTP") << 0;
    }
    void refusesOtherAnswers()
    {
        QFETCH(QByteArray, answer);
        QFETCH(QString, error);
        QFETCH(int, status);
        ClientHandshake handshake(Key);
        QCOMPARE(handshake.read(answer), Outcome::Refused);
        QCOMPARE(handshake.error(), error);
        QCOMPARE(handshake.httpStatus(), status);
    }

    void refusesAHeadTooLarge()
    {
        ClientHandshake handshake(Key, 1024);
        QByteArray buffer = "HTTP/1.1 101 Switching Protocols\r\n";
        QCOMPARE(handshake.read(buffer), Outcome::Incomplete);
        buffer += "X-Padding: " + QByteArray(1000, 'p') + "\r\n";
        QCOMPARE(handshake.read(buffer), Outcome::Refused);
        QCOMPARE(handshake.error(), QStringLiteral("the server's answer head is over 1024 bytes"));

        ClientHandshake whole(Key, 1024); // a whole head that is too long is refused as well
        QByteArray longHead = switching("X-Padding: " + QByteArray(1000, 'p') + "\r\n");
        QCOMPARE(whole.read(longHead), Outcome::Refused);
    }
};

QTEST_GUILESS_MAIN(TestClientHandshake)
#include "tst_clienthandshake.moc"
