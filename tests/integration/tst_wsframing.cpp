// SPDX-License-Identifier: Apache-2.0
// The client WebSocket's RFC 6455 framing against implementations other than the daemon's:
// Python's `websockets` library and raw sockets (wsframing.py: fragmentation, pings, unmasked
// frames, bad UTF-8, oversize messages, bad close codes, both directions of the close
// handshake), and Qt's QWebSocket for a whole session. Every connection the abuse opened must
// be released in the end.
#include "apihelpers.h"
#include "httpclient.h"
#include "syncdprocess.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {
const QString Python = u"/usr/bin/python3"_s;

QString script()
{
    return qEnvironmentVariable("HERALD_SOURCE_DIR") + u"/tests/integration/wsframing.py"_s;
}
} // namespace

class TestWsFraming : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void independentClient_data();
    void independentClient();
    void qtClientRunsAWholeSession();
    void everyConnectionIsReleased();

private:
    qint64 openSessions();

    SyncdProcess m_syncd;
    HttpClient m_http;
};

void TestWsFraming::initTestCase()
{
    QVERIFY2(QFileInfo(script()).isReadable(), qPrintable(script()));
    QVERIFY2(m_syncd.start({u"--no-auth"_s}), qPrintable(m_syncd.errorString()));
    m_http.setBaseUrl(m_syncd.httpUrl());
    QVERIFY(createApplication(m_http, u"shop"_s, {u"orders"_s}));
    QVERIFY(createUser(m_http, u"alice"_s));
}

void TestWsFraming::cleanup()
{
    m_syncd.dumpLogIfFailed();
}

qint64 TestWsFraming::openSessions()
{
    const HttpResponse health = m_http.get(u"/healthz"_s);
    return health.status == 200 ? qint64(health.object().value("sessions"_L1).toDouble(-1)) : -1;
}

void TestWsFraming::independentClient_data()
{
    QTest::addColumn<QString>("name");
    QProcess list;
    list.start(Python, {script(), u"--list"_s});
    QVERIFY2(list.waitForFinished(30000) && list.exitCode() == 0, list.readAllStandardError());
    const QList<QByteArray> names = list.readAllStandardOutput().trimmed().split('\n');
    QVERIFY(names.size() >= 10);
    for (const QByteArray &name : names)
        QTest::newRow(name.constData()) << QString::fromLatin1(name);
}

void TestWsFraming::independentClient()
{
    QFETCH(QString, name);
    QProcess client;
    client.setProcessChannelMode(QProcess::MergedChannels);
    client.start(Python, {script(), QString::number(m_syncd.port()), name});
    QVERIFY2(client.waitForFinished(90000), "wsframing.py did not finish");
    const QByteArray output = client.readAll();
    QVERIFY2(client.exitStatus() == QProcess::NormalExit && client.exitCode() == 0,
             output.constData());
    QCOMPARE(m_http.get(u"/healthz"_s).status, 200);
}

void TestWsFraming::qtClientRunsAWholeSession()
{
    const qint64 first = publish(m_http, u"shop"_s, u"orders"_s, u"before one"_s);
    const qint64 second = publish(m_http, u"shop"_s, u"orders"_s, u"before two"_s);
    QVERIFY(first > 0 && second > 0);

    WsClient ws;
    QVERIFY2(ws.open(m_syncd.wsUrl()), ws.describe());
    QVERIFY2(ws.registerSession(WsClient::registerFrame(u"alice"_s, u"shop"_s, {u"orders"_s}, 100)),
             ws.describe());
    QCOMPARE(ws.types().first(), u"registered"_s);
    // The backlog, oldest first, ends with the two published just before.
    const QList<qint64> backlog = ws.notificationIds();
    QVERIFY2(backlog.size() >= 2 &&
                 backlog.mid(backlog.size() - 2) == QList<qint64>({first, second}),
             ws.describe());

    const qint64 live = publish(m_http, u"shop"_s, u"orders"_s, u"live: gr\u00fc\u00dfe"_s);
    QVERIFY2(ws.waitForNotificationId(live), ws.describe());
    ws.sendJson(QJsonObject{{"type"_L1, "ack"_L1}, {"ids"_L1, QJsonArray{first, second, live}}});
    const auto acked = ws.waitForType(u"acknowledged"_s);
    QVERIFY2(acked, ws.describe());
    QCOMPARE(acked->value("ids"_L1).toArray().size(), 3);

    // A WebSocket ping (QWebSocket's own) is answered with its payload.
    QSignalSpy pong(ws.socket(), &QWebSocket::pong);
    ws.socket()->ping("qt");
    QVERIFY(pong.wait(5000));
    QCOMPARE(pong.first().at(1).toByteArray(), QByteArray("qt"));

    ws.close();
    QVERIFY2(ws.isClosed(), ws.describe());
    QCOMPARE(ws.closeCode(), 1000);
}

void TestWsFraming::everyConnectionIsReleased()
{
    // Each refused, failed or closed connection above gave its session back.
    QTRY_COMPARE_WITH_TIMEOUT(openSessions(), qint64(0), 15000);
}

QTEST_GUILESS_MAIN(TestWsFraming)
#include "tst_wsframing.moc"
