// SPDX-License-Identifier: Apache-2.0
// Where a resumed backlog starts (ResumePoint, through NotificationService::backlog): after the
// id on a single node; on a cluster node exactly after the id's arrival position when the
// device's last session here was sent it live, and 10 s of ids before it otherwise.
#include "fakes.h"

#include "core/arrivallog.h"
#include "core/notificationservice.h"
#include "core/resumebook.h"
#include "metrics/metrics.h"
#include "model/idgenerator.h"

#include <QTest>

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

    BacklogQuery resume(NotificationId last)
    {
        RegisterMessage message;
        message.clientId = u"laptop"_s;
        message.subscriptions = {Subscription{u"ops"_s, {u"deploys"_s}}};
        message.fetchLast = 10;
        message.lastNotificationId = last;
        service.backlog(u"alice"_s, message, nullptr, [](auto) {});
        return repository.lastBacklog;
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

    void livePositionIsTheLogs()
    {
        Rig rig;
        QCOMPARE(rig.service.livePosition(), qint64(Arrived.size()));
    }
};

QTEST_GUILESS_MAIN(TestResumePoint)
#include "tst_resumepoint.moc"
