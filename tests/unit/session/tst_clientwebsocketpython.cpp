// SPDX-License-Identifier: Apache-2.0
// ClientWebSocket against the python `websockets` library (websocketsserver.py): an RFC 6455
// server written by neither Qt nor Herald. Text both ways, a fragmented message, a ping, the
// close started by either end, and a refused upgrade.
#include "session/clientwebsocket.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTest>

using namespace herald;
using namespace Qt::StringLiterals;

class TestClientWebSocketPython : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void exchangesText();
    void receivesAFragmentedMessage();
    void answersThePing();
    void reportsTheServersClose();
    void closesFirst();
    void reportsARefusedUpgrade();

private:
    QUrl url(const QString &path = u"/"_s) const;
    // Opens `client` with the token the server wants, on a path that names the test in the
    // server's "closed" lines; true once connected.
    bool open(ClientWebSocket &client);
    // Waits for the server to print a line starting with `prefix`, and returns it.
    QString waitForLine(const QString &prefix);

    QProcess m_python;
    QString m_output;
    int m_port = 0;
};

void TestClientWebSocketPython::initTestCase()
{
    const QString script = QFINDTESTDATA("websocketsserver.py");
    QVERIFY(!script.isEmpty());
    m_python.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_python.start(u"/usr/bin/python3"_s, {script});
    QVERIFY(m_python.waitForStarted());
    const QString port = waitForLine(u"port "_s);
    QVERIFY2(!port.isEmpty(), "websocketsserver.py did not start (is python3-websockets there?)");
    m_port = port.mid(5).toInt();
}

void TestClientWebSocketPython::cleanupTestCase()
{
    m_python.kill();
    m_python.waitForFinished();
}

QUrl TestClientWebSocketPython::url(const QString &path) const
{
    return QUrl(u"ws://127.0.0.1:%1%2"_s.arg(m_port).arg(path));
}

bool TestClientWebSocketPython::open(ClientWebSocket &client)
{
    QSignalSpy connected(&client, &ClientWebSocket::connected);
    client.open(url(u"/"_s + QString::fromLatin1(QTest::currentTestFunction())),
                {{"Authorization", "Bearer py-token"}});
    return connected.wait(5000);
}

QString TestClientWebSocketPython::waitForLine(const QString &prefix)
{
    QString found;
    // Empty when no such line came within the time: the caller's comparison then fails.
    (void)QTest::qWaitFor(
        [&] {
            m_output += QString::fromUtf8(m_python.readAllStandardOutput());
            const QStringList lines = m_output.split(u'\n');
            for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
                if (lines.at(i).startsWith(prefix)) {
                    found = lines.at(i);
                    m_output = lines.mid(i + 1).join(u'\n');
                    return true;
                }
            }
            return false;
        },
        10000);
    return found;
}

void TestClientWebSocketPython::exchangesText()
{
    ClientWebSocket client;
    QSignalSpy received(&client, &ClientWebSocket::textMessageReceived);
    QVERIFY(open(client));
    const QString big = QString(70'000, u'é');
    QVERIFY(client.sendTextMessage(u"hello, python 🐍"_s));
    QVERIFY(client.sendTextMessage(big));
    QTRY_COMPARE(received.size(), 2);
    QCOMPARE(received.at(0).at(0).toString(), u"hello, python 🐍"_s);
    QCOMPARE(received.at(1).at(0).toString(), big);
}

void TestClientWebSocketPython::receivesAFragmentedMessage()
{
    ClientWebSocket client;
    QSignalSpy received(&client, &ClientWebSocket::textMessageReceived);
    QVERIFY(open(client));
    client.sendTextMessage(u"fragments"_s);
    QVERIFY(received.wait());
    QCOMPARE(received.at(0).at(0).toString(), u"fragmented ✓"_s);
}

void TestClientWebSocketPython::answersThePing()
{
    ClientWebSocket client;
    QSignalSpy received(&client, &ClientWebSocket::textMessageReceived);
    QVERIFY(open(client));
    client.sendTextMessage(u"ping"_s);
    QVERIFY(received.wait());
    QCOMPARE(received.at(0).at(0).toString(), u"pong: are you there"_s);
}

void TestClientWebSocketPython::reportsTheServersClose()
{
    ClientWebSocket client;
    QSignalSpy disconnected(&client, &ClientWebSocket::disconnected);
    QVERIFY(open(client));
    client.sendTextMessage(u"close"_s);
    QVERIFY(disconnected.wait());
    QCOMPARE(client.closeCode(), 4002);
    QCOMPARE(client.closeReason(), u"python says bye"_s);
    // The server saw its close answered with its code (§5.5.1), without a reason: the close
    // handshake completed.
    QCOMPARE(waitForLine(u"closed /reportsTheServersClose "_s),
             u"closed /reportsTheServersClose 4002 "_s);
}

void TestClientWebSocketPython::closesFirst()
{
    ClientWebSocket client;
    QSignalSpy disconnected(&client, &ClientWebSocket::disconnected);
    QVERIFY(open(client));
    client.close(1000, u"client done"_s);
    QVERIFY(disconnected.wait());
    QCOMPARE(client.closeCode(), 1000);
    QCOMPARE(waitForLine(u"closed /closesFirst "_s), u"closed /closesFirst 1000 client done"_s);
}

void TestClientWebSocketPython::reportsARefusedUpgrade()
{
    ClientWebSocket client;
    QSignalSpy error(&client, &ClientWebSocket::error);
    client.open(url(u"/refuse"_s));
    QVERIFY(error.wait());
    QCOMPARE(client.errorString(), u"the server answered 403 Forbidden"_s);
    QCOMPARE(client.httpStatus(), 403);

    ClientWebSocket noToken;
    QSignalSpy refused(&noToken, &ClientWebSocket::error);
    noToken.open(url());
    QVERIFY(refused.wait());
    QCOMPARE(noToken.httpStatus(), 401);
}

QTEST_GUILESS_MAIN(TestClientWebSocketPython)
#include "tst_clientwebsocketpython.moc"
