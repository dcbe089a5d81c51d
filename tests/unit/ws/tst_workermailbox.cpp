// SPDX-License-Identifier: Apache-2.0
// WorkerMailbox: letters run on the receiver's thread in posting order, in as few batches as
// possible; deferred letters wait for wakeDeferred() and then share one batch with whatever
// else was posted meanwhile. Messages for the subscribers (Outgoing) are letters too, handed
// to the delivery handler in the same order.
#include "ws/workermailbox.h"

#include <QMutex>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace herald::syncd;

namespace {
// A receiver on its own thread that records what ran and in how many batches.
struct Receiver
{
    Receiver()
    {
        thread.start();
        object.moveToThread(&thread);
        // A message records minus its arrival position, so that both kinds share one list.
        mailbox.setHandlers(
            [this] { ++batches; }, [] {},
            [this](const OutgoingPtr &outgoing) { note(-int(outgoing->arrival())); });
    }
    ~Receiver()
    {
        thread.quit();
        thread.wait();
    }
    WorkerMailbox::Work record(int n)
    {
        return [this, n] { note(n); };
    }
    static OutgoingPtr message(int n)
    {
        return std::make_shared<const Outgoing>(herald::PongMessage{},
                                                QStringLiteral("app/channel"), QStringList(), n);
    }
    void note(int n)
    {
        QMutexLocker lock(&mutex);
        ran.append(n);
        onReceiverThread = onReceiverThread && QThread::currentThread() == &thread;
    }
    QList<int> ranSoFar()
    {
        QMutexLocker lock(&mutex);
        return ran;
    }

    QThread thread;
    QObject object;
    WorkerMailbox mailbox{&object};
    QMutex mutex;
    QList<int> ran;
    bool onReceiverThread = true;
    std::atomic<int> batches{0};
};
} // namespace

class TestWorkerMailbox : public QObject
{
    Q_OBJECT

private slots:
    void postedLettersRunOnTheReceiversThreadInOrder()
    {
        Receiver receiver;
        for (int n = 1; n <= 100; ++n)
            receiver.mailbox.post(receiver.record(n));
        QTRY_COMPARE(receiver.ranSoFar().size(), 100);
        QList<int> expected;
        for (int n = 1; n <= 100; ++n)
            expected.append(n);
        QCOMPARE(receiver.ranSoFar(), expected);
        QVERIFY(receiver.onReceiverThread);
    }

    void deferredLettersWaitForTheWakeAndShareOneBatch()
    {
        Receiver receiver;
        for (int n = 1; n <= 10; ++n)
            receiver.mailbox.postDeferred(receiver.record(n));
        QTest::qWait(50);
        QVERIFY(receiver.ranSoFar().isEmpty()); // nobody woke the receiver
        QCOMPARE(receiver.batches.load(), 0);
        receiver.mailbox.wakeDeferred();
        QTRY_COMPARE(receiver.ranSoFar().size(), 10);
        QCOMPARE(receiver.batches.load(), 1);
        receiver.mailbox.wakeDeferred(); // nothing waits: no empty batch
        QTest::qWait(20);
        QCOMPARE(receiver.batches.load(), 1);
    }

    void messagesAndWorkKeepTheirOrderBatchAfterBatch()
    {
        // Three rounds: the boxes a batch was read from are reused by the next ones.
        Receiver receiver;
        QList<int> expected;
        for (int round = 0; round < 3; ++round) {
            for (int n = 1; n <= 50; ++n) {
                const int value = round * 100 + n;
                if (n % 3 == 0)
                    receiver.mailbox.postDeferred(Receiver::message(value));
                else
                    receiver.mailbox.postDeferred(receiver.record(value));
                expected.append(n % 3 == 0 ? -value : value);
            }
            receiver.mailbox.wakeDeferred();
            QTRY_COMPARE(receiver.ranSoFar(), expected);
            QCOMPARE(receiver.batches.load(), round + 1);
        }
        QVERIFY(receiver.onReceiverThread);
    }

    void anImmediatePostCarriesTheDeferredLettersBeforeIt()
    {
        Receiver receiver;
        receiver.mailbox.postDeferred(receiver.record(1));
        receiver.mailbox.postDeferred(receiver.record(2));
        receiver.mailbox.post(receiver.record(3)); // e.g. from another thread
        QTRY_COMPARE(receiver.ranSoFar(), (QList<int>{1, 2, 3}));
        QCOMPARE(receiver.batches.load(), 1);
        receiver.mailbox.wakeDeferred(); // already carried: nothing more runs
        QTest::qWait(20);
        QCOMPARE(receiver.batches.load(), 1);
        receiver.mailbox.postDeferred(receiver.record(4));
        receiver.mailbox.wakeDeferred();
        QTRY_COMPARE(receiver.ranSoFar(), (QList<int>{1, 2, 3, 4}));
        QCOMPARE(receiver.batches.load(), 2);
    }
};

QTEST_GUILESS_MAIN(TestWorkerMailbox)
#include "tst_workermailbox.moc"
