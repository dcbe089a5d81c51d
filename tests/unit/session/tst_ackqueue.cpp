// SPDX-License-Identifier: Apache-2.0
#include "session/ackqueue.h"

#include <QTest>

using namespace herald;

using Frames = QList<QList<NotificationId>>;

class TestAckQueue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rejectsInvalidIds_data();
    void rejectsInvalidIds();
    void framesGoOutInIdOrderWithoutDuplicates();
    void framesHoldAtMostTheLimit();
    void takenIdsWaitForConfirmation();
    void confirmationForgetsPendingAndUnconfirmed();
    void requeueMakesUnconfirmedPendingAgain();
    void unconfirmedAreBounded();
};

void TestAckQueue::rejectsInvalidIds_data()
{
    QTest::addColumn<qint64>("id");
    QTest::newRow("zero") << qint64(0);
    QTest::newRow("negative") << qint64(-5);
    QTest::newRow("2^53") << (qint64(1) << 53);
}

void TestAckQueue::rejectsInvalidIds()
{
    QFETCH(qint64, id);
    AckQueue queue;
    QVERIFY(!queue.add(id));
    QCOMPARE(queue.pendingCount(), 0u);
    QVERIFY(queue.add((qint64(1) << 53) - 1));
    QCOMPARE(queue.pendingCount(), 1u);
}

void TestAckQueue::framesGoOutInIdOrderWithoutDuplicates()
{
    AckQueue queue;
    for (NotificationId id : {5, 3, 9, 3, 1})
        queue.add(id);
    QCOMPARE(queue.takeFrames(100), (Frames{{1, 3, 5, 9}}));
    QCOMPARE(queue.takeFrames(100), Frames());
}

void TestAckQueue::framesHoldAtMostTheLimit()
{
    AckQueue queue;
    for (NotificationId id = 1; id <= 5; ++id)
        queue.add(id);
    QCOMPARE(queue.takeFrames(2), (Frames{{1, 2}, {3, 4}, {5}}));
    queue.add(7);
    QCOMPARE(queue.takeFrames(0), (Frames{{7}})); // at least one id per frame
}

void TestAckQueue::takenIdsWaitForConfirmation()
{
    AckQueue queue;
    queue.add(1);
    queue.add(2);
    queue.takeFrames(10);
    QCOMPARE(queue.pendingCount(), 0u);
    QCOMPARE(queue.unconfirmedCount(), 2u);
}

void TestAckQueue::confirmationForgetsPendingAndUnconfirmed()
{
    AckQueue queue;
    queue.add(1);
    queue.takeFrames(10);
    queue.add(2); // pending; another device acknowledged it first
    queue.confirmed({1, 2});
    QCOMPARE(queue.pendingCount(), 0u);
    QCOMPARE(queue.unconfirmedCount(), 0u);
    queue.requeueUnconfirmed();
    QCOMPARE(queue.takeFrames(10), Frames());
}

void TestAckQueue::requeueMakesUnconfirmedPendingAgain()
{
    AckQueue queue;
    queue.add(4);
    queue.add(2);
    queue.takeFrames(10);
    queue.add(3);
    queue.requeueUnconfirmed();
    QCOMPARE(queue.unconfirmedCount(), 0u);
    QCOMPARE(queue.takeFrames(10), (Frames{{2, 3, 4}}));
}

void TestAckQueue::unconfirmedAreBounded()
{
    AckQueue queue;
    const NotificationId total = NotificationId(AckQueue::MaxUnconfirmed) + 5;
    for (NotificationId id = 1; id <= total; ++id)
        queue.add(id);
    QCOMPARE(queue.takeFrames(1000).size(), int((total + 999) / 1000));
    QCOMPARE(queue.unconfirmedCount(), AckQueue::MaxUnconfirmed);
    queue.requeueUnconfirmed();
    const Frames frames = queue.takeFrames(int(total));
    QCOMPARE(frames.size(), 1);
    QCOMPARE(frames.first().first(), NotificationId(6)); // the lowest were forgotten
    QCOMPARE(frames.first().last(), total);
}

QTEST_GUILESS_MAIN(TestAckQueue)
#include "tst_ackqueue.moc"
