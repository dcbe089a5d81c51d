// SPDX-License-Identifier: Apache-2.0
#include "util/backoff.h"

#include <QSet>
#include <QTest>

#include <cmath>
#include <limits>

using namespace herald;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

class TestBackoff : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void delaysFollowTheDoublingCap_data();
    void delaysFollowTheDoublingCap();
    void jitterStaysWithinZeroAndCap();
    void resetReturnsToMinimum();
    void floorRaisesDelayAndCap();
    void floorIsClampedToMaximum();
    void randomSourceOutOfRangeIsClamped();
    void badBoundsAreClamped();
    void zeroMinimumStillGrows();
    void longOutageStaysAtMaximum();
};

// Delays handed out one after another with a fixed random value.
void TestBackoff::delaysFollowTheDoublingCap_data()
{
    QTest::addColumn<double>("random");
    QTest::addColumn<QList<qint64>>("expected");
    QTest::newRow("top of range") << 1.0 << QList<qint64>{100, 200, 400, 800, 1000, 1000};
    QTest::newRow("middle") << 0.5 << QList<qint64>{50, 100, 200, 400, 500, 500};
    QTest::newRow("bottom") << 0.0 << QList<qint64>{0, 0, 0, 0, 0, 0};
}

void TestBackoff::delaysFollowTheDoublingCap()
{
    QFETCH(double, random);
    QFETCH(QList<qint64>, expected);
    Backoff backoff(100ms, 1000ms, [random] { return random; });
    QList<qint64> delays;
    for (int i = 0; i < expected.size(); ++i)
        delays.append(backoff.nextDelay().count());
    QCOMPARE(delays, expected);
    QCOMPARE(backoff.currentCap(), 1000ms);
}

void TestBackoff::jitterStaysWithinZeroAndCap()
{
    Backoff backoff(100ms, 5000ms); // the real random source
    QSet<qint64> seen;
    for (int i = 0; i < 2000; ++i) {
        if (i % 20 == 0)
            backoff.reset();
        const milliseconds cap = backoff.currentCap();
        const milliseconds delay = backoff.nextDelay();
        QVERIFY2(delay >= 0ms && delay <= cap, qPrintable(QString::number(delay.count())));
        QVERIFY(cap <= 5000ms);
        seen.insert(delay.count());
    }
    // Jitter must actually spread the delays, not hand out the cap every time.
    QVERIFY2(seen.size() > 100, qPrintable(QString::number(seen.size())));
}

void TestBackoff::resetReturnsToMinimum()
{
    Backoff backoff(100ms, 1000ms, [] { return 1.0; });
    for (int i = 0; i < 5; ++i)
        backoff.nextDelay();
    QCOMPARE(backoff.currentCap(), 1000ms);
    backoff.reset();
    QCOMPARE(backoff.currentCap(), 100ms);
    QCOMPARE(backoff.nextDelay(), 100ms);
    QCOMPARE(backoff.nextDelay(), 200ms);
}

void TestBackoff::floorRaisesDelayAndCap()
{
    double random = 0.0;
    Backoff backoff(100ms, 10'000ms, [&random] { return random; });
    QCOMPARE(backoff.nextDelay(), 0ms);
    QCOMPARE(backoff.nextDelay(5000ms), 5000ms); // random 0 still waits the floor
    QCOMPARE(backoff.currentCap(), 10'000ms);    // grows from the floor, not from 200
    backoff.reset();
    random = 1.0;
    QCOMPARE(backoff.nextDelay(5000ms), 5000ms); // cap 100 < floor: the floor is the cap
    random = 0.5;
    QCOMPARE(backoff.nextDelay(2000ms), 6000ms); // floor + half of (10000 - 2000)
}

void TestBackoff::floorIsClampedToMaximum()
{
    Backoff backoff(100ms, 1000ms, [] { return 1.0; });
    QCOMPARE(backoff.nextDelay(60'000ms), 1000ms);
    QCOMPARE(backoff.nextDelay(-5ms), 1000ms);
}

void TestBackoff::randomSourceOutOfRangeIsClamped()
{
    double random = 7.0;
    Backoff backoff(100ms, 1000ms, [&random] { return random; });
    QCOMPARE(backoff.nextDelay(), 100ms);
    random = -3.0;
    QCOMPARE(backoff.nextDelay(), 0ms);
    random = std::numeric_limits<double>::quiet_NaN();
    QCOMPARE(backoff.nextDelay(), 0ms);
}

void TestBackoff::badBoundsAreClamped()
{
    Backoff backoff(800ms, 200ms, [] { return 1.0; });
    QCOMPARE(backoff.minimum(), 800ms);
    QCOMPARE(backoff.maximum(), 800ms);
    QCOMPARE(backoff.nextDelay(), 800ms);
    QCOMPARE(backoff.nextDelay(), 800ms);

    Backoff negative(-10ms, -5ms, [] { return 1.0; });
    QCOMPARE(negative.nextDelay(), 0ms);
}

void TestBackoff::zeroMinimumStillGrows()
{
    Backoff backoff(0ms, 100ms, [] { return 1.0; });
    QCOMPARE(backoff.nextDelay(), 0ms);
    QCOMPARE(backoff.nextDelay(), 1ms);
    QCOMPARE(backoff.nextDelay(), 2ms);
    QCOMPARE(backoff.nextDelay(), 4ms);
}

void TestBackoff::longOutageStaysAtMaximum()
{
    const milliseconds max = std::chrono::hours(24 * 365);
    Backoff backoff(1ms, max, [] { return 1.0; });
    for (int i = 0; i < 200; ++i)
        QVERIFY(backoff.nextDelay() <= max);
    QCOMPARE(backoff.nextDelay(), max); // no overflow after many doublings
}

QTEST_GUILESS_MAIN(TestBackoff)
#include "tst_backoff.moc"
