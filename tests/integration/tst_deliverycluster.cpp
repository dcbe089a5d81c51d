// SPDX-License-Identifier: Apache-2.0
// The delivery policy across three herald-syncd nodes on one PostgreSQL database: a
// preference set through node 1 governs what node 3 pushes to its sessions (within the
// nodes' one-second look for changes), a follow recorded by node 2 decides node 1's digest
// items within a second, and a digest whose node is killed when it falls due
// is sent exactly once, by one of the two live nodes after the takeover grace: one digest
// recorded, every item in it, one frame across the sessions of both live nodes.
#include "apihelpers.h"
#include "httpclient.h"
#include "storepeek.h"
#include "syncdprocess.h"
#include "wait.h"
#include "wsclient.h"

#include <QDateTime>
#include <QJsonArray>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {
const QString App = u"ci"_s;
constexpr int TakeoverAfterMs = 3000;

QJsonObject rule(const QString &channel, const QString &delivery, const QJsonObject &more = {})
{
    QJsonObject r = more;
    r["application"_L1] = App;
    r["channel"_L1] = channel;
    r["delivery"_L1] = delivery;
    return r;
}
} // namespace

class TestDeliveryCluster : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // Only these daemons run on PostgreSQL (the test's own throwaway cluster).
        qputenv("HERALD_TEST_BACKEND", "postgresql");
        for (auto &node : m_nodes)
            node = std::make_unique<SyncdProcess>();
        qunsetenv("HERALD_TEST_BACKEND");
        for (int i = 0; i < 3; ++i) {
            m_nodes[i]->setEnvironmentVariable(u"HERALD_ENDPOINTS_TAKEOVER_AFTER_MS"_s,
                                               QString::number(TakeoverAfterMs));
            QStringList args{u"--no-auth"_s, u"--node-id"_s, QString::number(i + 1)};
            if (i > 0)
                args << u"--database"_s << m_nodes[0]->databasePath();
            QVERIFY2(m_nodes[i]->start(args), qPrintable(m_nodes[i]->errorString()));
        }
        HttpClient first(m_nodes[0]->httpUrl());
        QVERIFY(createApplication(first, App, {u"prod"_s, u"noise"_s, u"nightly"_s}));
        QVERIFY(createUser(first, u"alice"_s));
    }
    void cleanup()
    {
        if (QTest::currentTestFailed()) {
            for (auto &node : m_nodes)
                node->dumpLog();
        }
    }

    void aPreferenceSetOnNodeOneGovernsNodeThree()
    {
        WsClient onThree;
        QVERIFY(onThree.connectAs(m_nodes[2]->wsUrl(), u"alice"_s, App, {u"prod"_s, u"noise"_s}));
        HttpClient first(m_nodes[0]->httpUrl());
        const HttpResponse put =
            first.put(u"/api/v1/preferences?user=alice"_s,
                      QJsonObject{{"rules"_L1, QJsonArray{rule(u"noise"_s, u"off"_s)}}});
        QVERIFY2(put.status == 200, put.describe());
        // Node 3 picks the change up from the database and tells its session.
        const auto frame = onThree.waitForType(u"preferences"_s, 5000);
        QVERIFY2(frame, onThree.describe());
        QCOMPARE((*frame)["data"_L1].toObject(), put.object());
        HttpClient third(m_nodes[2]->httpUrl());
        const qint64 noise = publish(third, App, u"noise"_s, u"quiet please"_s);
        const qint64 prod = publish(third, App, u"prod"_s, u"shown"_s);
        QVERIFY(noise > 0 && prod > 0);
        QVERIFY2(onThree.waitForNotificationId(prod), onThree.describe());
        QCOMPARE(onThree.notificationIds(), QList<qint64>{prod});
    }

    void aFollowRecordedOnAnotherNodeCountsThereWithinASecond()
    {
        HttpClient first(m_nodes[0]->httpUrl());
        QVERIFY(createUser(first, u"bob"_s));
        const HttpResponse put = first.put(
            u"/api/v1/preferences?user=bob"_s,
            QJsonObject{{"rules"_L1,
                         QJsonArray{rule(u"prod"_s, u"digest"_s, {{"digest"_L1, "hourly"_L1}})}}});
        QVERIFY2(put.status == 200, put.describe());
        WsClient onTwo; // bob's only session, on node 2
        QVERIFY(onTwo.connectAs(m_nodes[1]->wsUrl(), u"bob"_s, App, {u"prod"_s}));
        // Recorded by node 2 within 0.1 s, seen by node 1 at its next poll (every second); the
        // margin is for a loaded machine.
        QTest::qWait(2500);
        StorePeek store(m_nodes[0]->database());
        QVERIFY2(store.isOpen(), qPrintable(store.errorString()));
        const auto itemsOfBob = [&] {
            return store.scalar(u"SELECT COUNT(*) FROM digest_items WHERE user_name = 'bob'"_s)
                .toInt();
        };
        QVERIFY(publish(first, App, u"noise"_s, u"not followed"_s, {{"persistent"_L1, false}}) > 0);
        QCOMPARE(itemsOfBob(), 0);
        QVERIFY(publish(first, App, u"prod"_s, u"followed on node 2"_s,
                        {{"persistent"_L1, false}}) > 0);
        QCOMPARE(itemsOfBob(), 1); // node 1 knew of the follow node 2 recorded
    }

    void aDigestOfAKilledNodeIsSentOnceByALiveOne()
    {
        HttpClient first(m_nodes[0]->httpUrl());
        const HttpResponse put = first.put(
            u"/api/v1/preferences?user=alice"_s,
            QJsonObject{{"rules"_L1, QJsonArray{rule(u"nightly"_s, u"digest"_s,
                                                     {{"digest"_L1, "daily@08:00"_L1},
                                                      {"agents"_L1, QJsonArray{u"desktop"_s}}})}}});
        QVERIFY2(put.status == 200, put.describe());
        WsClient onOne;
        WsClient onTwo;
        WsClient onThree;
        QVERIFY(onOne.connectAs(m_nodes[0]->wsUrl(), u"alice"_s, App, {u"nightly"_s}));
        QVERIFY(onTwo.connectAs(m_nodes[1]->wsUrl(), u"alice"_s, App, {u"nightly"_s}));
        QVERIFY(onThree.connectAs(m_nodes[2]->wsUrl(), u"alice"_s, App, {u"nightly"_s}));
        QTest::qWait(300); // follows recorded
        QList<qint64> ids;
        for (int i = 0; i < 5; ++i)
            ids.append(publish(first, App, u"nightly"_s, u"build %1"_s.arg(i)));
        QVERIFY(!ids.contains(0));
        StorePeek store(m_nodes[0]->database()); // the one every node was started on
        QVERIFY2(store.isOpen(), qPrintable(store.errorString()));
        QCOMPARE(store.scalar(u"SELECT node FROM digest_runs WHERE user_name = 'alice'"_s).toInt(),
                 1); // node 1 queued the items: its digest

        // Node 1 dies just as the digest falls due.
        m_nodes[0]->kill();
        const qint64 due = QDateTime::currentMSecsSinceEpoch() - 1000;
        QVERIFY2(store.exec(u"UPDATE digest_runs SET due_ms = ?, send_after_ms = ? "
                            "WHERE user_name = 'alice'"_s,
                            {due, due}),
                 qPrintable(store.errorString()));
        QVERIFY2(
            waitUntil([&] { return store.scalar(u"SELECT COUNT(*) FROM digests"_s).toInt() == 1; },
                      20000, 100),
            qPrintable(store.errorString()));
        QTest::qWait(TakeoverAfterMs); // long enough for a second sender to show itself
        QCOMPARE(store.scalar(u"SELECT COUNT(*) FROM digests"_s).toInt(), 1);
        QCOMPARE(store.scalar(u"SELECT item_count FROM digests"_s).toInt(), 5);
        QCOMPARE(
            store.scalar(u"SELECT COUNT(*) FROM digest_items WHERE user_name = 'alice'"_s).toInt(),
            0);
        const int sender = store.scalar(u"SELECT node FROM digests"_s).toInt();
        QVERIFY2(sender == 2 || sender == 3, qPrintable(QString::number(sender)));
        // The sender's own session got it; the other live node's did not.
        const int frames =
            int(onTwo.framesOfType(u"digest"_s).size() + onThree.framesOfType(u"digest"_s).size());
        QCOMPARE(frames, 1);
        WsClient &got = sender == 2 ? onTwo : onThree;
        QList<qint64> delivered;
        for (const QJsonValue &item :
             got.framesOfType(u"digest"_s).first()["data"_L1]["items"_L1].toArray())
            delivered.append(item["id"_L1].toInteger());
        QCOMPARE(delivered, ids);
    }

private:
    std::unique_ptr<SyncdProcess> m_nodes[3];
};

QTEST_GUILESS_MAIN(TestDeliveryCluster)
#include "tst_deliverycluster.moc"
