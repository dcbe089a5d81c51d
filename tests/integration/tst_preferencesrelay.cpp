// SPDX-License-Identifier: Apache-2.0
// Delivery preferences across nodes on separate databases, through the peer relay: a PUT on
// one node reaches the other node's store, its sessions (the `preferences` frame) and what it
// pushes (`off` applied there), the newest change wins whichever node made it, and a node that
// was down when they changed catches up when it comes back. A digest sent by one node reaches
// the user's sessions on the other.
#include "apihelpers.h"
#include "httpclient.h"
#include "syncdprocess.h"
#include "wait.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {
const QString App = u"ci"_s;

QJsonObject channelOff(const QString &channel)
{
    return QJsonObject{{"rules"_L1, QJsonArray{QJsonObject{{"application"_L1, App},
                                                           {"channel"_L1, channel},
                                                           {"delivery"_L1, "off"_L1}}}}};
}
} // namespace

class TestPreferencesRelay : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        const QStringList cluster{u"--no-auth"_s, u"--cluster"_s, u"prefs"_s, u"--cluster-secret"_s,
                                  u"preferences-relay-secret"_s};
        QVERIFY2(m_second.start(cluster + QStringList{u"--node-id"_s, u"2"_s}),
                 qPrintable(m_second.errorString()));
        m_cluster = cluster;
        QVERIFY2(startFirst(), qPrintable(m_first.errorString()));
        for (SyncdProcess *node : {&m_first, &m_second}) {
            HttpClient http(node->httpUrl());
            QVERIFY(createApplication(http, App, {u"prod"_s, u"noise"_s}));
        }
    }
    void cleanup()
    {
        if (QTest::currentTestFailed()) {
            m_first.dumpLog();
            m_second.dumpLog();
        }
    }

    void aPutOnOneNodeGovernsTheOther()
    {
        WsClient there;
        QVERIFY(there.connectAs(m_second.wsUrl(), u"alice"_s, App, {u"prod"_s, u"noise"_s}));
        HttpClient here(m_first.httpUrl());
        const HttpResponse put =
            here.put(u"/api/v1/preferences?user=alice"_s, channelOff(u"noise"_s));
        QVERIFY2(put.status == 200, put.describe());
        const auto frame = there.waitForType(u"preferences"_s, 15000);
        QVERIFY2(frame, there.describe());
        QCOMPARE((*frame)["data"_L1].toObject(), put.object());
        HttpClient second(m_second.httpUrl());
        QCOMPARE(second.get(u"/api/v1/preferences?user=alice"_s).object(), put.object());
        const qint64 noise = publish(second, App, u"noise"_s, u"quiet"_s);
        const qint64 prod = publish(second, App, u"prod"_s, u"shown"_s);
        QVERIFY(noise > 0 && prod > 0);
        QVERIFY2(there.waitForNotificationId(prod), there.describe());
        QCOMPARE(there.notificationIds(), QList<qint64>{prod});
    }

    void theNewestChangeWinsAndALateNodeCatchesUp()
    {
        HttpClient second(m_second.httpUrl());
        QCOMPARE(second.put(u"/api/v1/preferences?user=bob"_s, channelOff(u"prod"_s)).status, 200);
        m_first.kill(); // down hard: what it missed comes from the second's relay log
        // Changed twice while the first node is away: the later one is what both end with.
        QTest::qWait(20);
        QCOMPARE(second.put(u"/api/v1/preferences?user=bob"_s, channelOff(u"noise"_s)).status, 200);
        QVERIFY2(startFirst(), qPrintable(m_first.errorString()));
        HttpClient first(m_first.httpUrl());
        const QJsonObject expected = second.get(u"/api/v1/preferences?user=bob"_s).object();
        QVERIFY2(
            waitUntil(
                [&] { return first.get(u"/api/v1/preferences?user=bob"_s).object() == expected; },
                15000, 100),
            first.get(u"/api/v1/preferences?user=bob"_s).body.constData());
        // A change on the first node now is newer than both: it wins on the second too.
        const HttpResponse latest =
            first.put(u"/api/v1/preferences?user=bob"_s, QJsonObject{{"rules"_L1, QJsonArray{}}});
        QCOMPARE(latest.status, 200);
        QVERIFY(waitUntil(
            [&] {
                return second.get(u"/api/v1/preferences?user=bob"_s).object() == latest.object();
            },
            15000, 100));
    }

    void aDigestReachesTheUsersSessionsOnEveryNode()
    {
        HttpClient first(m_first.httpUrl());
        const QJsonObject nightly{
            {"rules"_L1, QJsonArray{QJsonObject{{"application"_L1, App},
                                                {"channel"_L1, "noise"_L1},
                                                {"delivery"_L1, "digest"_L1},
                                                {"digest"_L1, "hourly"_L1},
                                                {"agents"_L1, QJsonArray{u"desktop"_s}}}}}};
        QCOMPARE(first.put(u"/api/v1/preferences?user=carol"_s, nightly).status, 200);
        WsClient here;
        WsClient there;
        QVERIFY(here.connectAs(m_first.wsUrl(), u"carol"_s, App, {u"noise"_s}));
        QVERIFY(there.connectAs(m_second.wsUrl(), u"carol"_s, App, {u"noise"_s}));
        QTest::qWait(300); // follows recorded
        const qint64 id = publish(first, App, u"noise"_s, u"collected"_s);
        QVERIFY(id > 0);
        const HttpResponse run = first.post(
            u"/api/v1/digests/run"_s, QJsonObject{{"user"_L1, "carol"_L1}, {"force"_L1, true}});
        QVERIFY2(run.status == 200, run.describe());
        QCOMPARE(run.object()["digests"_L1].toArray().size(), 1);
        const auto local = here.waitForType(u"digest"_s);
        QVERIFY2(local, here.describe());
        const auto relayed = there.waitForType(u"digest"_s, 15000);
        QVERIFY2(relayed, there.describe());
        QCOMPARE((*relayed)["data"_L1].toObject(), (*local)["data"_L1].toObject());
        QCOMPARE((*relayed)["data"_L1]["items"_L1][0]["id"_L1].toInteger(), id);
        QTest::qWait(300);
        QCOMPARE(there.framesOfType(u"digest"_s).size(), 1); // once
    }

private:
    bool startFirst()
    {
        return m_first.start(m_cluster + QStringList{u"--node-id"_s, u"1"_s, u"--peer"_s,
                                                     u"ws://127.0.0.1:%1"_s.arg(m_second.port())});
    }

    QStringList m_cluster;
    SyncdProcess m_second;
    SyncdProcess m_first;
};

QTEST_GUILESS_MAIN(TestPreferencesRelay)
#include "tst_preferencesrelay.moc"
