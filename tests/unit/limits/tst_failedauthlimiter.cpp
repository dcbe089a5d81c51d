// SPDX-License-Identifier: Apache-2.0
#include "limits/failedauthlimiter.h"

#include <QTest>
#include <QThread>

#include <memory>
#include <vector>

using namespace herald::syncd;

namespace {
AddressKey key(const char *address)
{
    return AddressKey::of(QHostAddress(QString::fromLatin1(address)));
}
} // namespace

class TestFailedAuthLimiter : public QObject
{
    Q_OBJECT

private slots:
    void eachAddressHasItsBudget()
    {
        FailedAuthLimiter limiter(3, 60000);
        for (int i = 0; i < 3; ++i) {
            QVERIFY(limiter.check(key("192.0.2.1")).allowed);
            limiter.failed(key("192.0.2.1"));
        }
        const auto blocked = limiter.check(key("192.0.2.1"));
        QVERIFY(!blocked.allowed);
        // One failure comes back every 20 s.
        QVERIFY(blocked.retryAfterMs > 15000 && blocked.retryAfterMs <= 20000);
        QVERIFY(limiter.check(key("192.0.2.2")).allowed);
    }

    void zeroFailuresMeansNoLimit()
    {
        FailedAuthLimiter limiter(0, 60000);
        for (int i = 0; i < 1000; ++i)
            limiter.failed(key("192.0.2.1"));
        QVERIFY(limiter.check(key("192.0.2.1")).allowed);
    }

    // The front thread and every WebSocket worker spend one budget: failures from four
    // threads at once are all counted, none lost to a race.
    void failuresFromManyThreadsAllCount()
    {
        constexpr int Threads = 4;
        constexpr int PerThread = 2500;
        FailedAuthLimiter limiter(Threads * PerThread, 3600 * 1000);
        std::vector<std::unique_ptr<QThread>> threads;
        for (int t = 0; t < Threads; ++t) {
            threads.emplace_back(QThread::create([&limiter] {
                for (int i = 0; i < PerThread; ++i)
                    limiter.failed(key("192.0.2.1"));
            }));
            threads.back()->start();
        }
        for (const auto &thread : threads)
            QVERIFY(thread->wait(10000));
        QVERIFY(!limiter.check(key("192.0.2.1")).allowed);
    }
};

QTEST_GUILESS_MAIN(TestFailedAuthLimiter)
#include "tst_failedauthlimiter.moc"
