// SPDX-License-Identifier: Apache-2.0
// WorkerMailbox: letters run on the receiver's thread in posting order, in as few batches as
// possible; deferred letters wait for wakeDeferred() and then share one batch with whatever
// else was posted meanwhile.
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
        mailbox.setBatchHooks([this] { ++batches; }, [] {});
    }
    ~Receiver()
    {
        thread.quit();
        thread.wait();
    }
    WorkerMailbox::Letter record(int n)
    {
        return [this, n] {
            QMutexLocker lock(&mutex);
            ran.append(n);
            onReceiverThread = onReceiverThread && QThread::currentThread() == &thread;
        };
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
