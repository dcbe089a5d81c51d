// SPDX-License-Identifier: Apache-2.0
// ClientWebSocket against a server that breaks RFC 6455's rules, or keeps the ones Qt's
// server never exercises: refused and bad upgrades, frames in the same read as the 101,
// fragments, masked frames, bad UTF-8, messages too big, a close that is never answered, and
// the masks of what the client sends.
#include "rawwebsocketserver.h"
#include "session/clientwebsocket.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace herald;
using namespace herald::test;
using namespace Qt::StringLiterals;
using Type = WebSocketFrameReader::EventType;

namespace {
constexpr quint8 Fin = 0x80;
constexpr quint8 Text = 0x1;
constexpr quint8 Continuation = 0x0;
constexpr quint8 Close = 0x8;
} // namespace

class TestClientWebSocketRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void reportsARefusedUpgrade_data();
    void reportsARefusedUpgrade();
    void refusesAHeadThatNeverEnds();
    void readsFramesThatCameWithThe101();
    void assemblesAFragmentedMessage();
    void failsOnAMaskedFrameWith1002();
    void failsOnTextThatIsNotUtf8With1007();
    void failsOnAMessageTooBigWith1009();
    void echoesTheServersClose();
    void givesUpWaitingForTheServersClose();
    void masksEveryFrameWithAFreshKey();

private:
    bool upgrade(ClientWebSocket &client, const QByteArray &after = {});

    std::unique_ptr<RawWebSocketServer> m_server;
};

void TestClientWebSocketRules::init()
{
    m_server = std::make_unique<RawWebSocketServer>();
    QVERIFY(m_server->listen());
}

bool TestClientWebSocketRules::upgrade(ClientWebSocket &client, const QByteArray &after)
{
    QSignalSpy connected(&client, &ClientWebSocket::connected);
    client.open(m_server->url());
    if (!m_server->waitForRequest())
        return false;
    m_server->acceptUpgrade(after);
    return connected.wait(5000);
}

void TestClientWebSocketRules::reportsARefusedUpgrade_data()
{
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<QString>("error");
    QTest::addColumn<int>("status");
    QTest::newRow("403") << QByteArray("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                         << u"the server answered 403 Forbidden"_s << 403;
    QTest::newRow("bad accept")
        << QByteArray(
               "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
               "Connection: Upgrade\r\nSec-WebSocket-Accept: bm90IHRoZSByaWdodCBvbmU=\r\n\r\n")
        << u"bad Sec-WebSocket-Accept"_s << 0;
}

void TestClientWebSocketRules::reportsARefusedUpgrade()
{
    QFETCH(QByteArray, answer);
    QFETCH(QString, error);
    QFETCH(int, status);
    ClientWebSocket client;
    QSignalSpy errors(&client, &ClientWebSocket::error);
    QSignalSpy connected(&client, &ClientWebSocket::connected);
    QSignalSpy disconnected(&client, &ClientWebSocket::disconnected);
    client.open(m_server->url(), {{"Authorization", "Bearer nope"}});
    QVERIFY(m_server->waitForRequest());
    QVERIFY(m_server->request().contains("\r\nAuthorization: Bearer nope\r\n"));
    m_server->write(answer);
    QVERIFY(errors.wait());
    QCOMPARE(client.errorString(), error);
    QCOMPARE(client.httpStatus(), status);
    QCOMPARE(disconnected.size(), 1);
    QCOMPARE(connected.size(), 0);
    QCOMPARE(client.state(), QAbstractSocket::UnconnectedState);
    QVERIFY(m_server->waitForDisconnect()); // and the TCP connection is closed
}

void TestClientWebSocketRules::refusesAHeadThatNeverEnds()
{
    ClientWebSocket client;
    QSignalSpy errors(&client, &ClientWebSocket::error);
    client.open(m_server->url());
    QVERIFY(m_server->waitForRequest());
    m_server->write("HTTP/1.1 101 Switching Protocols\r\n");
    for (int i = 0; i < 20; ++i)
        m_server->write("X-Padding: " + QByteArray(1000, 'p') + "\r\n");
    QVERIFY(errors.wait());
    QCOMPARE(client.errorString(), u"the server's answer head is over 16384 bytes"_s);
}

void TestClientWebSocketRules::readsFramesThatCameWithThe101()
{
    ClientWebSocket client;
    QSignalSpy received(&client, &ClientWebSocket::textMessageReceived);
    QVERIFY(upgrade(client, RawWebSocketServer::frame(Fin | Text, "first") +
                                RawWebSocketServer::frame(Fin | Text, "second")));
    QTRY_COMPARE(received.size(), 2);
    QCOMPARE(received.at(0).at(0).toString(), u"first"_s);
    QCOMPARE(received.at(1).at(0).toString(), u"second"_s);
}

void TestClientWebSocketRules::assemblesAFragmentedMessage()
{
    ClientWebSocket client;
    QSignalSpy received(&client, &ClientWebSocket::textMessageReceived);
    QVERIFY(upgrade(client));
    m_server->write(RawWebSocketServer::frame(Text, "frag"));
    m_server->write(RawWebSocketServer::frame(Fin | 0x9, "ping in between"));
    m_server->write(RawWebSocketServer::frame(Continuation, "men"));
    QTest::qWait(50); // the last fragment in a read of its own
    m_server->write(RawWebSocketServer::frame(Fin | Continuation, "ted ✓"));
    QVERIFY(received.wait());
    QCOMPARE(received.size(), 1);
    QCOMPARE(received.at(0).at(0).toString(), u"fragmented ✓"_s);
    QVERIFY(m_server->waitForEvents(1));
    QCOMPARE(m_server->events().at(0).type, Type::Pong);
    QCOMPARE(m_server->events().at(0).payload, QByteArray("ping in between"));
}

void TestClientWebSocketRules::failsOnAMaskedFrameWith1002()
{
    // RFC 6455 §5.1: a client closes the connection on a masked frame from the server.
    ClientWebSocket client;
    QSignalSpy received(&client, &ClientWebSocket::textMessageReceived);
    QSignalSpy disconnected(&client, &ClientWebSocket::disconnected);
    QVERIFY(upgrade(client));
    m_server->write(RawWebSocketServer::frame(Fin | Text, "masked", true));
    QVERIFY(m_server->waitForEvents(1));
    QCOMPARE(m_server->events().at(0).type, Type::Close);
    QCOMPARE(m_server->events().at(0).closeCode, 1002);
    QCOMPARE(m_server->events().at(0).payload, QByteArray("masked frame"));
    QVERIFY(m_server->waitForDisconnect()); // the client closes TCP without waiting
    QVERIFY(disconnected.size() == 1 || disconnected.wait());
    QCOMPARE(client.closeCode(), 1002);
    QCOMPARE(received.size(), 0);
}

void TestClientWebSocketRules::failsOnTextThatIsNotUtf8With1007()
{
    ClientWebSocket client;
    QSignalSpy received(&client, &ClientWebSocket::textMessageReceived);
    QVERIFY(upgrade(client));
    m_server->write(RawWebSocketServer::frame(Fin | Text, "ok \xED\xA0\x80 surrogate"));
    QVERIFY(m_server->waitForEvents(1));
    QCOMPARE(m_server->events().at(0).closeCode, 1007);
    QTRY_COMPARE(client.state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(client.closeCode(), 1007);
    QCOMPARE(received.size(), 0);
}

void TestClientWebSocketRules::failsOnAMessageTooBigWith1009()
{
    ClientWebSocket client;
    client.setMaxMessageBytes(100);
    QSignalSpy received(&client, &ClientWebSocket::textMessageReceived);
    QVERIFY(upgrade(client));
    m_server->write(RawWebSocketServer::frame(Fin | Text, QByteArray(100, 'a'))); // at the limit
    m_server->write(RawWebSocketServer::frame(Text, QByteArray(60, 'b')));
    m_server->write(RawWebSocketServer::frame(Fin | Continuation, QByteArray(41, 'c')));
    QVERIFY(m_server->waitForEvents(1));
    QCOMPARE(m_server->events().at(0).closeCode, 1009);
    QCOMPARE(received.size(), 1);
    QTRY_COMPARE(client.closeCode(), 1009);
}

void TestClientWebSocketRules::echoesTheServersClose()
{
    ClientWebSocket client;
    QSignalSpy disconnected(&client, &ClientWebSocket::disconnected);
    QVERIFY(upgrade(client));
    QByteArray payload;
    payload.append(char(1013 >> 8)).append(char(1013 & 0xFF)).append("busy");
    m_server->write(RawWebSocketServer::frame(Fin | Close, payload));
    QVERIFY(m_server->waitForEvents(1));
    QCOMPARE(m_server->events().at(0).type, Type::Close);
    QCOMPARE(m_server->events().at(0).closeCode, 1013); // §5.5.1: the code echoed
    m_server->closeConnection();
    QVERIFY(disconnected.size() == 1 || disconnected.wait());
    QCOMPARE(client.closeCode(), 1013); // not 1002 as QWebSocket reports it
    QCOMPARE(client.closeReason(), u"busy"_s);
}

void TestClientWebSocketRules::givesUpWaitingForTheServersClose()
{
    ClientWebSocket client;
    client.setCloseTimeout(300);
    QSignalSpy disconnected(&client, &ClientWebSocket::disconnected);
    QVERIFY(upgrade(client));
    QElapsedTimer elapsed;
    elapsed.start();
    client.close(4000, u"bye"_s);
    QVERIFY(m_server->waitForEvents(1)); // the server reads our close and never answers
    QCOMPARE(m_server->events().at(0).closeCode, 4000);
    QVERIFY(disconnected.wait());
    QVERIFY2(elapsed.elapsed() >= 250, qPrintable(QString::number(elapsed.elapsed())));
    QCOMPARE(client.closeCode(), 4000);
    QVERIFY(m_server->waitForDisconnect());
}

void TestClientWebSocketRules::masksEveryFrameWithAFreshKey()
{
    ClientWebSocket client;
    QVERIFY(upgrade(client));
    for (int i = 0; i < 4; ++i) {
        QVERIFY(client.sendTextMessage(u"same text"_s));
        QVERIFY(m_server->waitForEvents(i + 1)); // one read per frame: their keys compared
    }
    QList<QByteArray> keys;
    for (const QByteArray &raw : m_server->rawFrames()) {
        QVERIFY(quint8(raw.at(1)) & 0x80); // the mask bit
        keys.append(raw.mid(2, 4));
        QVERIFY(!raw.contains("same text"));
    }
    QCOMPARE(keys.size(), 4);
    for (int i = 1; i < keys.size(); ++i)
        QVERIFY(!keys.first(i).contains(keys.at(i)));
    for (const auto &event : m_server->events())
        QCOMPARE(event.payload, QByteArray("same text"));
}

QTEST_GUILESS_MAIN(TestClientWebSocketRules)
#include "tst_clientwebsocketrules.moc"
