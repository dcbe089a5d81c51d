// SPDX-License-Identifier: Apache-2.0
// Durability: what got a 201 (persistent notifications) or a 200 (acks) is committed, whether
// the daemon stops with SIGTERM or dies with SIGKILL. SIGKILL keeps the kernel's page cache, so
// these tests cannot see a missing fsync: tst_syncbeforeanswer orders the syncs against the
// answers.
#include "apihelpers.h"
#include "httpclient.h"
#include "syncdprocess.h"
#include "wait.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {
const QString App = u"shop"_s;
} // namespace

class TestDurability : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void notificationsAndReceiptsSurviveSigterm();
    void sigtermClosesSessionsWithGoingAway();
    void sigtermUnderPublishLoadExitsCleanly();
    void sigkillRightAfter201LosesNothing();
    void sigkillRightAfterAck200LosesNothing();

private:
    bool restart();

    SyncdProcess m_syncd;
    HttpClient m_http;
};

void TestDurability::initTestCase()
{
    QVERIFY2(m_syncd.start({u"--no-auth"_s}), qPrintable(m_syncd.errorString()));
    m_http.setBaseUrl(m_syncd.httpUrl());
    QVERIFY(createApplication(m_http, App, {u"term"_s, u"crash"_s, u"bye"_s}));
    QVERIFY(createUser(m_http, u"alice"_s));
}

void TestDurability::cleanup()
{
    m_syncd.dumpLogIfFailed();
    // A test that failed half-way may leave the daemon down; the next one needs it.
    if (!m_syncd.isRunning())
        restart();
}

bool TestDurability::restart()
{
    if (!m_syncd.restart()) {
        qWarning("restart failed: %s", qPrintable(m_syncd.errorString()));
        return false;
    }
    m_http.setBaseUrl(m_syncd.httpUrl());
    return true;
}

void TestDurability::notificationsAndReceiptsSurviveSigterm()
{
    QList<qint64> ids;
    for (int i = 0; i < 5; ++i)
        ids.append(publish(m_http, App, u"term"_s, u"deploy step %1"_s.arg(i)));
    QVERIFY(!ids.contains(0));
    const HttpResponse ack = m_http.post(
        u"/api/v1/acks"_s, QJsonObject{{"ids"_L1, QJsonArray{double(ids.at(1)), double(ids.at(3))}},
                                       {"user"_L1, "alice"_L1}});
    QVERIFY2(ack.status == 200, ack.describe());

    QCOMPARE(m_syncd.terminate(), 0);
    QVERIFY(restart());

    const Listing listing = listAll(m_http, u"user=alice&application=shop&channel=term"_s);
    QVERIFY2(listing.ok, listing.error);
    QList<qint64> newestFirst = ids;
    std::reverse(newestFirst.begin(), newestFirst.end());
    QCOMPARE(listing.ids(), newestFirst);
    for (int i = 0; i < ids.size(); ++i) {
        const bool acked = i == 1 || i == 3;
        QCOMPARE(listing.find(ids.at(i))->value("acknowledged"_L1), QJsonValue(acked));
        QCOMPARE(listing.find(ids.at(i))->value("message"_L1).toString(),
                 u"deploy step %1"_s.arg(i));
    }
    // Ids keep increasing with creation time across a restart.
    const qint64 after = publish(m_http, App, u"term"_s, u"after restart"_s);
    QVERIFY2(after > ids.constLast(), qPrintable(u"%1 <= %2"_s.arg(after).arg(ids.constLast())));
}

void TestDurability::sigtermClosesSessionsWithGoingAway()
{
    WsClient ws;
    QVERIFY2(ws.connectAs(m_syncd.wsUrl(), u"alice"_s, App, {u"bye"_s}), ws.describe());
    QCOMPARE(m_syncd.terminate(), 0);
    QVERIFY2(ws.waitForClosed(), ws.describe());
    QCOMPARE(ws.closeCode(), 1001);
    QVERIFY(restart());
}

void TestDurability::sigtermUnderPublishLoadExitsCleanly()
{
    // Publishes keep arriving while the daemon shuts down: answers of work committed during
    // the shutdown, and transient publishes that skip the store, must not reach the WebSocket
    // workers, which are gone by then (a crash in Hub::publish before the fix).
    for (int round = 0; round < 4; ++round) {
        WsClient ws;
        QVERIFY2(ws.connectAs(m_syncd.wsUrl(), u"alice"_s, App, {u"bye"_s}), ws.describe());
        int exitCode = -2;
        QTimer::singleShot(150, this, [&] { exitCode = m_syncd.terminate(); });
        publishConcurrently(m_http, 3000, 8, [](int i) {
            QJsonObject body = notificationBody(App, u"bye"_s, u"load %1"_s.arg(i));
            body.insert("persistent"_L1, i % 4 == 0);
            return body;
        });
        QVERIFY(waitUntil([&] { return exitCode != -2; }, 30000));
        QVERIFY2(
            exitCode == 0,
            qPrintable(u"round %1: exit %2 (%3)"_s.arg(round).arg(exitCode).arg(
                m_syncd.lastExitStatus() == QProcess::CrashExit ? u"crashed"_s : u"no crash"_s)));
        QVERIFY(restart());
    }
}

void TestDurability::sigkillRightAfter201LosesNothing()
{
    constexpr int Total = 200;
    constexpr int InFlight = 8;
    const PublishRun run = publishConcurrently(
        m_http, Total, InFlight,
        [](int i) { return notificationBody(App, u"crash"_s, u"order %1 received"_s.arg(i)); },
        // No pause between the last 201 and the crash: the data must already be safe.
        [this] { m_syncd.kill(); });
    QVERIFY2(run.complete && run.failures.isEmpty(), run.failures.value(0));
    qInfo("%d publishes (%d in flight) took %lld ms before SIGKILL", Total, InFlight,
          run.elapsedMs);
    const QList<qint64> ids = run.ids;
    QVERIFY(!m_syncd.isRunning());
    QCOMPARE(ids.size(), Total);
    QCOMPARE(QSet<qint64>(ids.begin(), ids.end()).size(), Total);

    QVERIFY(restart());
    const Listing listing = listAll(m_http, u"user=alice&application=shop&channel=crash"_s);
    QVERIFY2(listing.ok, listing.error);
    const QList<qint64> listed = listing.ids();
    const QSet<qint64> listedSet(listed.begin(), listed.end());
    QList<qint64> missing;
    for (const qint64 id : ids) {
        if (!listedSet.contains(id))
            missing.append(id);
    }
    QVERIFY2(missing.isEmpty(),
             qPrintable(u"%1 of %2 acknowledged publishes lost, e.g. %3"_s.arg(missing.size())
                            .arg(Total)
                            .arg(missing.value(0))));
    QCOMPARE(listed.size(), Total);
    // The listing is newest first.
    QVERIFY(std::is_sorted(listed.rbegin(), listed.rend()));
}

void TestDurability::sigkillRightAfterAck200LosesNothing()
{
    QList<qint64> ids;
    for (int i = 0; i < 6; ++i)
        ids.append(publish(m_http, App, u"crash"_s, u"invoice %1"_s.arg(i)));
    QVERIFY(!ids.contains(0));
    const QList<qint64> acked = {ids.at(0), ids.at(2), ids.at(5)};
    for (const qint64 id : acked) {
        const HttpResponse ack =
            m_http.post(u"/api/v1/acks"_s,
                        QJsonObject{{"ids"_L1, QJsonArray{double(id)}}, {"user"_L1, "alice"_L1}});
        QVERIFY2(ack.status == 200, ack.describe());
    }
    // No pause after the last 200: its receipt must already be committed.
    m_syncd.kill();
    QVERIFY(restart());

    const Listing listing = listAll(m_http, u"user=alice&application=shop&channel=crash"_s);
    QVERIFY2(listing.ok, listing.error);
    for (const qint64 id : std::as_const(ids)) {
        const std::optional<QJsonObject> item = listing.find(id);
        QVERIFY2(item, qPrintable(u"notification %1 missing after SIGKILL"_s.arg(id)));
        QCOMPARE(item->value("acknowledged"_L1), QJsonValue(acked.contains(id)));
    }
}

QTEST_GUILESS_MAIN(TestDurability)
#include "tst_durability.moc"
