// SPDX-License-Identifier: Apache-2.0
#include "limits/addresskey.h"
#include "limits/keyedbuckets.h"

#include <QTest>

using namespace herald::syncd;

class TestKeyedBuckets : public QObject
{
    Q_OBJECT

private slots:
    void eachKeyHasItsOwnBudget()
    {
        KeyedBuckets<qint64> buckets(BucketRate{1, 2});
        QVERIFY(buckets.take(1, 0).allowed);
        QVERIFY(buckets.take(1, 0).allowed);
        const auto refused = buckets.take(1, 0);
        QVERIFY(!refused.allowed);
        QCOMPARE(refused.retryAfterMs, 1000);
        QVERIFY(buckets.take(2, 0).allowed); // another key is untouched
        QVERIFY(buckets.take(1, 1000).allowed);
    }

    void peekSpendsNothing()
    {
        KeyedBuckets<qint64> buckets(BucketRate{1, 1});
        QVERIFY(buckets.peek(7, 0).allowed);
        QCOMPARE(buckets.size(), 0); // an unknown key is not stored by a look
        QVERIFY(buckets.take(7, 0).allowed);
        QVERIFY(!buckets.peek(7, 0).allowed);
        QCOMPARE(buckets.peek(7, 250).retryAfterMs, 750);
    }

    void unlimitedAllowsEverythingAndStoresNothing()
    {
        KeyedBuckets<qint64> buckets(BucketRate{});
        QVERIFY(!buckets.limited());
        for (int i = 0; i < 1000; ++i)
            QVERIFY(buckets.take(1, 0).allowed);
        QCOMPARE(buckets.size(), 0);
    }

    void fullBucketsAreForgotten()
    {
        KeyedBuckets<qint64> buckets(BucketRate{100, 10});
        for (qint64 key = 0; key < 50; ++key)
            QVERIFY(buckets.take(key, 0).allowed);
        QCOMPARE(buckets.size(), 50);
        QVERIFY(buckets.take(1000, 50).allowed); // before the sweep interval
        QCOMPARE(buckets.size(), 51);
        // By then every bucket has refilled: the sweep inside take() drops them all.
        QVERIFY(buckets.take(2000, KeyedBuckets<qint64>::SweepMs + 100).allowed);
        QCOMPARE(buckets.size(), 1);
    }

    void keysPastTheBoundGoUnlimited()
    {
        KeyedBuckets<qint64> buckets(BucketRate{1, 1}, 3);
        for (qint64 key = 0; key < 3; ++key)
            QVERIFY(buckets.take(key, 1).allowed);
        QVERIFY(buckets.take(99, 1).allowed);
        QVERIFY(buckets.take(99, 1).allowed); // not tracked: never refused
        QCOMPARE(buckets.size(), 3);
        QVERIFY(!buckets.take(0, 1).allowed); // the tracked ones still are
    }

    void addressKeysCountIpv6ByNetwork()
    {
        KeyedBuckets<AddressKey> buckets(BucketRate{1, 1});
        const auto key = [](const char *address) {
            return AddressKey::of(QHostAddress(QString::fromLatin1(address)));
        };
        QVERIFY(buckets.take(key("2001:db8:1:2::1"), 0).allowed);
        QVERIFY(!buckets.take(key("2001:db8:1:2:ffff::9"), 0).allowed); // same /64
        QVERIFY(buckets.take(key("2001:db8:1:3::1"), 0).allowed);
        QVERIFY(buckets.take(key("192.0.2.1"), 0).allowed);
        QVERIFY(!buckets.take(key("::ffff:192.0.2.1"), 0).allowed); // mapped: the same client
        QVERIFY(buckets.take(key("192.0.2.2"), 0).allowed);
        QVERIFY(key("::ffff:192.0.2.1") != key("::"));
    }
};

QTEST_GUILESS_MAIN(TestKeyedBuckets)
#include "tst_keyedbuckets.moc"
