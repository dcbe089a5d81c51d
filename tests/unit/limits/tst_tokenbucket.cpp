// SPDX-License-Identifier: Apache-2.0
#include "limits/tokenbucket.h"

#include <QTest>

using namespace herald::syncd;

class TestTokenBucket : public QObject
{
    Q_OBJECT

private slots:
    void startsFullAndRefusesPastTheBurst()
    {
        const BucketRate rate{10, 3};
        TokenBucket bucket(rate, 1000);
        for (int i = 0; i < 3; ++i)
            QVERIFY(bucket.take(rate, 1000));
        QVERIFY(!bucket.take(rate, 1000));
        QVERIFY(!bucket.hasToken(rate, 1000));
    }

    void refillsAtItsRateAndSaysWhen()
    {
        const BucketRate rate{10, 2}; // a token every 100 ms
        TokenBucket bucket(rate, 0);
        QVERIFY(bucket.take(rate, 0));
        QVERIFY(bucket.take(rate, 0));
        QCOMPARE(bucket.msUntilToken(rate, 0), 100);
        QCOMPARE(bucket.msUntilToken(rate, 40), 60);
        QVERIFY(!bucket.take(rate, 99));
        QVERIFY(bucket.take(rate, 100));
        QVERIFY(!bucket.take(rate, 150));
        QCOMPARE(bucket.msUntilToken(rate, 150), 50);
    }

    void refillStopsAtTheBurst()
    {
        const BucketRate rate{1000, 5};
        TokenBucket bucket(rate, 0);
        QVERIFY(bucket.take(rate, 0));
        QVERIFY(!bucket.isFull(rate, 0));
        QVERIFY(bucket.isFull(rate, 1'000'000));
        for (int i = 0; i < 5; ++i)
            QVERIFY(bucket.take(rate, 1'000'000));
        QVERIFY(!bucket.take(rate, 1'000'000));
    }

    void slowRatesWaitSeconds()
    {
        // The failed-auth limiter: 20 per minute, one back every 3 s.
        const BucketRate rate{20 / 60.0, 20};
        TokenBucket bucket(rate, 0);
        for (int i = 0; i < 20; ++i)
            QVERIFY(bucket.take(rate, 0));
        QVERIFY(!bucket.take(rate, 0));
        QCOMPARE(bucket.msUntilToken(rate, 0), 3000);
        QVERIFY(!bucket.take(rate, 2999));
        QVERIFY(bucket.take(rate, 3000));
    }

    void timeGoingBackwardsChangesNothing()
    {
        const BucketRate rate{1, 1};
        TokenBucket bucket(rate, 5000);
        QVERIFY(bucket.take(rate, 5000));
        QVERIFY(!bucket.take(rate, 4000));
        QVERIFY(bucket.take(rate, 6000));
    }
};

QTEST_GUILESS_MAIN(TestTokenBucket)
#include "tst_tokenbucket.moc"
