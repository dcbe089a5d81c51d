// SPDX-License-Identifier: Apache-2.0
// EndOfTurn: asked any number of times in one turn of the event loop, it runs once, after the
// turn; asked again, it runs again; destroyed first, it does not run.
#include "net/endofturn.h"

#include <QTest>

#include <memory>

using namespace herald::syncd;

class TestEndOfTurn : public QObject
{
    Q_OBJECT

private slots:
    void runsOnceAfterTheTurnHoweverOftenAsked()
    {
        int runs = 0;
        EndOfTurn endOfTurn([&] { ++runs; });
        QVERIFY(endOfTurn.onItsThread());
        endOfTurn.request();
        endOfTurn.request();
        endOfTurn.request();
        QCOMPARE(runs, 0); // not during the turn that asked
        QTRY_COMPARE(runs, 1);
        QTest::qWait(20);
        QCOMPARE(runs, 1);
        endOfTurn.request(); // a later turn asks again
        QTRY_COMPARE(runs, 2);
    }

    void aRunStillQueuedGoesWithIt()
    {
        int runs = 0;
        auto endOfTurn = std::make_unique<EndOfTurn>([&] { ++runs; });
        endOfTurn->request();
        endOfTurn.reset();
        QTest::qWait(20);
        QCOMPARE(runs, 0);
    }

    void isOnTheThreadItWasMadeOn()
    {
        EndOfTurn endOfTurn([] {});
        bool elsewhere = true;
        std::unique_ptr<QThread> thread(
            QThread::create([&] { elsewhere = endOfTurn.onItsThread(); }));
        thread->start();
        thread->wait();
        QVERIFY(!elsewhere);
    }
};

QTEST_GUILESS_MAIN(TestEndOfTurn)
#include "tst_endofturn.moc"
