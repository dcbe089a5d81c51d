// SPDX-License-Identifier: Apache-2.0
// Where a resumed backlog starts (ResumePoint, through NotificationService::backlog): after the
// id on a single node; on a cluster node exactly after the id's arrival position when the
// device's last session here was sent it live; where another node says the device stopped
// (RemoteResume: the ask, the answer, the wait); and 10 s of ids before it otherwise. And this
// node's answer to another node's ask.
#include "fakes.h"

#include "core/arrivallog.h"
#include "core/notificationservice.h"
#include "core/resumebook.h"
#include "metrics/metrics.h"
#include "model/idgenerator.h"

#include <QElapsedTimer>
#include <QTest>

#include <memory>

using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::testing;
using namespace Qt::StringLiterals;

namespace {

NotificationId idOf(int node, qint64 ms)
{
    return (ms << IdGenerator::NodeBits | node) << IdGenerator::SequenceBits;
}

const qint64 Margin = qint64(ResumePoint::RelayLagMarginMs)
                      << (IdGenerator::NodeBits + IdGenerator::SequenceBits);

// Node 1's own, node 2's relayed late with older ids, node 3's: positions 1..6.
const QList<NotificationId> Arrived{idOf(1, 100'000), idOf(1, 100'001), idOf(2, 50'000),
                                    idOf(1, 100'002), idOf(2, 50'001),  idOf(3, 99'000)};

struct Rig : CoreRig
{
    Rig()
    {
        peers.clustered = true;
        auto stamper = arrivals.stamper();
        for (NotificationId id : Arrived) {
            Notification n;
            n.id = id;
            n.persistent = true;
            (void)stamper.stamp(n);
        }
    }

    // The laptop's last session here followed ops/deploys and was sent positions (from, upTo].
    void laptopSessionEnded(qint64 from, qint64 upTo, const QString &channel = u"deploys"_s)
    {
        service.sessionEnded(u"alice"_s, u"laptop"_s, {channelKey(u"ops"_s, channel)}, from, upTo);
    }

    // The laptop registers again to ops/deploys, resuming from `last`.
    BacklogQuery resume(NotificationId last, QObject *context = nullptr)
    {
        RegisterMessage message;
        message.clientId = u"laptop"_s;
        message.subscriptions = {Subscription{u"ops"_s, {u"deploys"_s}}};
        message.fetchLast = 10;
        message.lastNotificationId = last;
        service.backlog(u"alice"_s, message, context, [](auto) {});
        return repository.lastBacklog;
    }

    // The same, waiting for the other nodes; repository.backlogs counts the backlogs read.
    void resumeAsking(NotificationId last, QObject *context)
    {
        peers.linked = true;
        repository.lastBacklog = {};
        (void)resume(last, context);
    }

    std::optional<QMap<int, NotificationId>> askedByPeer(NotificationId last,
                                                         const QString &channel = u"deploys"_s)
    {
        return service.resumeWitness().witness(
            {77, 2, u"alice"_s, u"laptop"_s, last, {channelKey(u"ops"_s, channel)}});
    }
};

} // namespace

class TestResumePoint : public QObject
{
    Q_OBJECT

private slots:
    void aSingleNodeResumesAfterTheId()
    {
        Rig rig;
        rig.peers.clustered = false;
        rig.laptopSessionEnded(0, 6);
        const BacklogQuery query = rig.resume(Arrived[1]);
        QCOMPARE(query.afterId, std::optional<NotificationId>(Arrived[1]));
        QVERIFY(!query.fromIdByOrigin);
        QCOMPARE(rig.metrics.resumesExact.load(), 0u);
        QCOMPARE(rig.metrics.resumesWithMargin.load(), 0u);
    }

    void theSessionThatWasSentTheIdResumesExactly()
    {
        Rig rig;
        rig.laptopSessionEnded(0, 6);
        const BacklogQuery query = rig.resume(Arrived[1]); // position 2
        const QMap<int, NotificationId> expected{{1, Arrived[3]}, {2, Arrived[2]}, {3, Arrived[5]}};
        QCOMPARE(query.fromIdByOrigin, std::optional(expected));
        // The index range starts at the oldest of them.
        QCOMPARE(query.afterId, std::optional<NotificationId>(Arrived[2] - 1));
        QCOMPARE(query.limit, rig.config.limits.maxResume);
        QCOMPARE(rig.metrics.resumesExact.load(), 1u);

        // The range was used up: the next register of the laptop starts the safe way.
        const BacklogQuery again = rig.resume(Arrived[1]);
        QVERIFY(!again.fromIdByOrigin);
        QCOMPARE(again.afterId, std::optional<NotificationId>(Arrived[1] - Margin));
        QCOMPARE(rig.metrics.resumesWithMargin.load(), 1u);
    }

    void nothingArrivedAfterTheNewest()
    {
        Rig rig;
        rig.laptopSessionEnded(2, 6);
        const BacklogQuery query = rig.resume(Arrived[5]);
        QCOMPARE(query.fromIdByOrigin, std::optional(QMap<int, NotificationId>{}));
    }

    void otherwiseFromTenSecondsBefore_data()
    {
        QTest::addColumn<qint64>("from");
        QTest::addColumn<qint64>("upTo");
        QTest::addColumn<QString>("channel");
        QTest::addColumn<bool>("sessionEnded");
        // Position 2 was read in the backlog (in id order, not arrival order).
        QTest::newRow("id from its backlog") << qint64(2) << qint64(6) << u"deploys"_s << true;
        // Position 2 arrived after the session stopped: its client got it elsewhere.
        QTest::newRow("id after it stopped") << qint64(0) << qint64(1) << u"deploys"_s << true;
        QTest::newRow("other channels now") << qint64(0) << qint64(6) << u"builds"_s << true;
        QTest::newRow("no session here") << qint64(0) << qint64(6) << u"deploys"_s << false;
    }
    void otherwiseFromTenSecondsBefore()
    {
        QFETCH(qint64, from);
        QFETCH(qint64, upTo);
        QFETCH(QString, channel);
        QFETCH(bool, sessionEnded);
        Rig rig;
        if (sessionEnded)
            rig.laptopSessionEnded(from, upTo, channel);
        const BacklogQuery query = rig.resume(Arrived[1]);
        QVERIFY(!query.fromIdByOrigin);
        QCOMPARE(query.afterId, std::optional<NotificationId>(Arrived[1] - Margin));
        QCOMPARE(rig.metrics.resumesExact.load(), 0u);
        QCOMPARE(rig.metrics.resumesWithMargin.load(), 1u);
    }

    void anIdNoLongerInTheLogResumesWithTheMargin()
    {
        Rig rig;
        rig.laptopSessionEnded(0, 6);
        const NotificationId unknown = idOf(1, 99'999);
        const BacklogQuery query = rig.resume(unknown);
        QVERIFY(!query.fromIdByOrigin);
        QCOMPARE(query.afterId, std::optional<NotificationId>(unknown - Margin));
    }

    void anotherNodesAnswerStartsEachOriginWhereItSays()
    {
        Rig rig;
        QObject session;
        const int &read = rig.repository.backlogs;
        rig.resumeAsking(Arrived[1], &session);
        QCOMPARE(rig.peers.asks.size(), 1);
        const ResumeAsk ask = rig.peers.asks.first();
        QCOMPARE(ask.asker, 5);
        QCOMPARE(ask.user, u"alice"_s);
        QCOMPARE(ask.clientId, u"laptop"_s);
        QCOMPARE(ask.lastId, Arrived[1]);
        QCOMPARE(ask.channelKeys, QStringList{channelKey(u"ops"_s, u"deploys"_s)});
        QVERIFY(ask.id > 0 && ask.id < (qint64(1) << 53));
        QCOMPARE(read, 0); // waits for the answer

        // An answer to another node's ask, or to another ask, is not this one's.
        const QMap<int, NotificationId> from{{1, Arrived[3]}, {2, Arrived[2]}};
        rig.service.resumeWitness().answered({ask.id, 4, 2, from});
        rig.service.resumeWitness().answered({ask.id + 1, 5, 2, from});
        QTest::qWait(20);
        QCOMPARE(read, 0);

        rig.service.resumeWitness().answered({ask.id, 5, 2, from});
        QTRY_COMPARE(read, 1);
        QCOMPARE(rig.repository.lastBacklog.fromIdByOrigin, std::optional(from));
        // Origins the answer does not name: the device has none of theirs.
        QCOMPARE(rig.repository.lastBacklog.otherOriginsFrom, std::optional<NotificationId>(0));
        QCOMPARE(rig.repository.lastBacklog.limit, rig.config.limits.maxResume);
        QCOMPARE(rig.metrics.resumesFromPeer.load(), 1u);
        QCOMPARE(rig.metrics.resumesWithMargin.load(), 0u);

        // A second answer (another node that could tell too) reads nothing again.
        rig.service.resumeWitness().answered({ask.id, 5, 3, from});
        QTest::qWait(RemoteResume::AnswerWaitMs + 100);
        QCOMPARE(read, 1);
    }

    void noAnswerInTimeStartsFromTheMargin()
    {
        Rig rig;
        QObject session;
        const int &read = rig.repository.backlogs;
        QElapsedTimer waited;
        waited.start();
        rig.resumeAsking(Arrived[1], &session);
        QTRY_COMPARE(read, 1);
        QVERIFY(waited.elapsed() >= RemoteResume::AnswerWaitMs);
        QVERIFY(!rig.repository.lastBacklog.fromIdByOrigin);
        QCOMPARE(rig.repository.lastBacklog.afterId,
                 std::optional<NotificationId>(Arrived[1] - Margin));
        QCOMPARE(rig.metrics.resumesWithMargin.load(), 1u);
        // Too late: nothing more.
        rig.service.resumeWitness().answered({rig.peers.asks.first().id, 5, 2, {}});
        QTest::qWait(50);
        QCOMPARE(read, 1);
        QCOMPARE(rig.metrics.resumesFromPeer.load(), 0u);
    }

    void withoutALiveLinkNobodyIsWaitedFor()
    {
        Rig rig;
        rig.peers.linked = false;
        QObject session;
        const BacklogQuery query = rig.resume(Arrived[1], &session);
        QCOMPARE(rig.peers.asks.size(), 1); // asked, and told at once that nobody hears
        QCOMPARE(query.afterId, std::optional<NotificationId>(Arrived[1] - Margin));
        QCOMPARE(rig.metrics.resumesWithMargin.load(), 1u);
        // Without a context nothing could take an answer: not asked.
        rig.peers.linked = true;
        (void)rig.resume(Arrived[1]);
        QCOMPARE(rig.peers.asks.size(), 1);
        QCOMPARE(rig.metrics.resumesWithMargin.load(), 2u);
    }

    void aSessionGoneBeforeTheAnswerReadsNothing()
    {
        Rig rig;
        const int &read = rig.repository.backlogs;
        auto session = std::make_unique<QObject>();
        rig.resumeAsking(Arrived[1], session.get());
        session.reset();
        rig.service.resumeWitness().answered({rig.peers.asks.first().id, 5, 2, {}});
        QTest::qWait(RemoteResume::AnswerWaitMs + 100);
        QCOMPARE(read, 0);
        // Its wait is forgotten with the next ask.
        QObject next;
        rig.resumeAsking(Arrived[1], &next);
        QCOMPARE(static_cast<RemoteResume &>(rig.service.resumeWitness()).waiting(), 1);
    }

    void tellsAnotherNodeWhereTheDeviceStopped()
    {
        Rig rig;
        rig.laptopSessionEnded(0, 6);
        // Position 4: node 2's and node 3's came after it; node 1's newest, before it.
        const auto from = rig.askedByPeer(Arrived[3]);
        const QMap<int, NotificationId> expected{
            {1, Arrived[3] + 1}, {2, Arrived[4]}, {3, Arrived[5]}};
        QCOMPARE(from, std::optional(expected));
        // Its newest session is elsewhere now: asked again, this node cannot tell.
        QVERIFY(!rig.askedByPeer(Arrived[3]));
        QCOMPARE(rig.metrics.resumesExact.load(), 0u);
    }

    void cannotTellAnotherNode_data()
    {
        QTest::addColumn<qint64>("from");
        QTest::addColumn<qint64>("upTo");
        QTest::addColumn<QString>("channel");
        QTest::addColumn<NotificationId>("last");
        QTest::newRow("id from its backlog")
            << qint64(2) << qint64(6) << u"deploys"_s << Arrived[1];
        QTest::newRow("id after it stopped")
            << qint64(0) << qint64(1) << u"deploys"_s << Arrived[1];
        QTest::newRow("other channels now") << qint64(0) << qint64(6) << u"builds"_s << Arrived[1];
        QTest::newRow("id not kept") << qint64(0) << qint64(6) << u"deploys"_s << idOf(1, 99'999);
    }
    void cannotTellAnotherNode()
    {
        QFETCH(qint64, from);
        QFETCH(qint64, upTo);
        QFETCH(QString, channel);
        QFETCH(NotificationId, last);
        Rig rig;
        rig.laptopSessionEnded(from, upTo, channel);
        QVERIFY(!rig.askedByPeer(last, u"deploys"_s));
    }

    void livePositionIsTheLogs()
    {
        Rig rig;
        QCOMPARE(rig.service.livePosition(), qint64(Arrived.size()));
    }
};

QTEST_GUILESS_MAIN(TestResumePoint)
#include "tst_resumepoint.moc"
