// SPDX-License-Identifier: Apache-2.0
// ArrivalLog: positions in the order notifications were handed on, and what arrived after a
// given one, per origin node.
#include "core/arrivallog.h"
#include "model/idgenerator.h"

#include <QtTest>

using namespace herald;
using namespace herald::syncd;

namespace {

// An id of `node` made at `ms` after the id epoch, with sequence `seq`.
NotificationId idOf(int node, qint64 ms, int seq = 0)
{
    return ((ms << IdGenerator::NodeBits | node) << IdGenerator::SequenceBits) | seq;
}

Notification persistent(NotificationId id)
{
    Notification n;
    n.id = id;
    n.persistent = true;
    return n;
}

} // namespace

class TestArrivalLog : public QObject
{
    Q_OBJECT

private slots:
    void persistentOnesTakePositionsTransientOnesDoNot()
    {
        ArrivalLog log;
        QCOMPARE(log.position(), 0);
        auto stamper = log.stamper();
        QCOMPARE(stamper.stamp(persistent(idOf(1, 10))), 1);
        Notification transient = persistent(idOf(1, 11));
        transient.persistent = false;
        QCOMPARE(stamper.stamp(transient), 1); // the position it came after
        QCOMPARE(stamper.stamp(persistent(idOf(2, 5))), 2);
    }

    void afterGivesEachOriginsOldestLaterId()
    {
        ArrivalLog log;
        {
            auto stamper = log.stamper();
            // Node 1's own, then node 2's relayed late with older ids, then more of both.
            for (NotificationId id :
                 {idOf(1, 100), idOf(1, 101), idOf(2, 50), idOf(1, 102), idOf(2, 51), idOf(3, 99)})
                (void)stamper.stamp(persistent(id));
        }
        QCOMPARE(log.position(), 6);

        const auto afterSecond = log.after(idOf(1, 101));
        QVERIFY(afterSecond);
        QCOMPARE(afterSecond->position, 2);
        const QMap<int, NotificationId> expected{
            {1, idOf(1, 102)}, {2, idOf(2, 50)}, {3, idOf(3, 99)}};
        QCOMPARE(afterSecond->firstIdByOrigin, expected);
        // Every origin's newest, whether it came before or after the id.
        const QMap<int, NotificationId> newest{
            {1, idOf(1, 102)}, {2, idOf(2, 51)}, {3, idOf(3, 99)}};
        QCOMPARE(afterSecond->newestIdByOrigin, newest);

        // The newest: nothing after it.
        const auto afterLast = log.after(idOf(3, 99));
        QVERIFY(afterLast);
        QCOMPARE(afterLast->position, 6);
        QVERIFY(afterLast->firstIdByOrigin.isEmpty());

        // An id that never arrived here says nothing.
        QVERIFY(!log.after(idOf(1, 99)));
    }

    void anOriginOutOfOrderStillGivesItsSmallestLaterId()
    {
        ArrivalLog log;
        {
            auto stamper = log.stamper();
            for (NotificationId id : {idOf(1, 10), idOf(2, 30), idOf(2, 20)})
                (void)stamper.stamp(persistent(id));
        }
        const auto after = log.after(idOf(1, 10));
        QVERIFY(after);
        QCOMPARE(after->firstIdByOrigin.value(2), idOf(2, 20));
    }

    void keepsOnlyTheNewestPositions()
    {
        ArrivalLog log(4);
        {
            auto stamper = log.stamper();
            for (int ms = 1; ms <= 10; ++ms)
                (void)stamper.stamp(persistent(idOf(1, ms)));
        }
        QCOMPARE(log.position(), 10);
        QVERIFY(!log.after(idOf(1, 6))); // position 6 was overwritten
        for (int ms = 7; ms <= 10; ++ms) {
            const auto after = log.after(idOf(1, ms));
            QVERIFY(after);
            QCOMPARE(after->position, ms);
            if (ms < 10)
                QCOMPARE(after->firstIdByOrigin.value(1), idOf(1, ms + 1));
        }
        // An origin's newest outlives the positions that were overwritten.
        (void)log.stamper().stamp(persistent(idOf(2, 1)));
        for (int ms = 11; ms <= 15; ++ms)
            (void)log.stamper().stamp(persistent(idOf(1, ms)));
        QCOMPARE(log.after(idOf(1, 12))->newestIdByOrigin.value(2), idOf(2, 1));
    }

    void aFullLogThatHasNotWrappedKeepsItsOldest()
    {
        ArrivalLog log(4);
        {
            auto stamper = log.stamper();
            for (int ms = 1; ms <= 4; ++ms)
                (void)stamper.stamp(persistent(idOf(ms % 2 + 1, ms)));
        }
        const auto after = log.after(idOf(2, 1));
        QVERIFY(after);
        QCOMPARE(after->position, 1);
        const QMap<int, NotificationId> expected{{1, idOf(1, 2)}, {2, idOf(2, 3)}};
        QCOMPARE(after->firstIdByOrigin, expected);
    }

    void stampsFromSeveralThreadsGetDistinctPositions()
    {
        ArrivalLog log;
        constexpr int PerThread = 5000;
        auto stampMany = [&log](int node) {
            for (int i = 0; i < PerThread; ++i) {
                auto stamper = log.stamper();
                (void)stamper.stamp(persistent(idOf(node, i + 1)));
            }
        };
        std::unique_ptr<QThread> a(QThread::create(stampMany, 1));
        std::unique_ptr<QThread> b(QThread::create(stampMany, 2));
        a->start();
        b->start();
        QVERIFY(a->wait(30000));
        QVERIFY(b->wait(30000));
        QCOMPARE(log.position(), 2 * PerThread);
        // Each origin's ids came in order, so after its first one comes its second.
        QCOMPARE(log.after(idOf(1, 1))->firstIdByOrigin.value(1), idOf(1, 2));
    }
};

QTEST_GUILESS_MAIN(TestArrivalLog)
#include "tst_arrivallog.moc"
