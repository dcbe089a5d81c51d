// SPDX-License-Identifier: Apache-2.0
#include "util/recentids.h"

#include <QTest>

using namespace herald;

class TestRecentIds : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void insertReportsNewIds();
    void containsOnlyInsertedIds();
    void evictsOldestBeyondCapacity();
    void reinsertingDoesNotRefreshAge();
    void evictionKeepsCyclingOverManyRounds();
    void capacityIsAtLeastOne();
    void defaultCapacityIsTenThousand();
    void clearForgetsEverything();
};

void TestRecentIds::insertReportsNewIds()
{
    RecentIds ids(4);
    QVERIFY(ids.insert(1));
    QVERIFY(ids.insert(2));
    QVERIFY(!ids.insert(1));
    QCOMPARE(ids.size(), 2);
}

void TestRecentIds::containsOnlyInsertedIds()
{
    RecentIds ids(4);
    ids.insert(10);
    ids.insert(qint64(1) << 52);
    QVERIFY(ids.contains(10));
    QVERIFY(ids.contains(qint64(1) << 52));
    QVERIFY(!ids.contains(11));
    QVERIFY(!ids.contains(0));
}

void TestRecentIds::evictsOldestBeyondCapacity()
{
    RecentIds ids(3);
    for (NotificationId id : {1, 2, 3, 4})
        QVERIFY(ids.insert(id));
    QCOMPARE(ids.size(), 3);
    QVERIFY(!ids.contains(1));
    QVERIFY(ids.contains(2) && ids.contains(3) && ids.contains(4));
    QVERIFY(ids.insert(1)); // forgotten, so new again; evicts 2
    QVERIFY(!ids.contains(2));
    QVERIFY(ids.contains(3) && ids.contains(4) && ids.contains(1));
}

void TestRecentIds::reinsertingDoesNotRefreshAge()
{
    RecentIds ids(2);
    ids.insert(1);
    ids.insert(2);
    QVERIFY(!ids.insert(1)); // still the oldest
    ids.insert(3);
    QVERIFY(!ids.contains(1));
    QVERIFY(ids.contains(2) && ids.contains(3));
}

void TestRecentIds::evictionKeepsCyclingOverManyRounds()
{
    const int capacity = 100;
    RecentIds ids(capacity);
    for (NotificationId id = 1; id <= 1050; ++id)
        QVERIFY(ids.insert(id));
    QCOMPARE(ids.size(), capacity);
    for (NotificationId id = 1; id <= 950; ++id)
        QVERIFY2(!ids.contains(id), qPrintable(QString::number(id)));
    for (NotificationId id = 951; id <= 1050; ++id)
        QVERIFY2(ids.contains(id), qPrintable(QString::number(id)));
}

void TestRecentIds::capacityIsAtLeastOne()
{
    RecentIds ids(0);
    QCOMPARE(ids.capacity(), 1);
    ids.insert(5);
    ids.insert(6);
    QCOMPARE(ids.size(), 1);
    QVERIFY(ids.contains(6));
    QVERIFY(!ids.contains(5));
}

void TestRecentIds::defaultCapacityIsTenThousand()
{
    RecentIds ids;
    QCOMPARE(ids.capacity(), 10'000);
    for (NotificationId id = 1; id <= 10'001; ++id)
        ids.insert(id);
    QCOMPARE(ids.size(), 10'000);
    QVERIFY(!ids.contains(1));
    QVERIFY(ids.contains(2));
}

void TestRecentIds::clearForgetsEverything()
{
    RecentIds ids(3);
    ids.insert(1);
    ids.insert(2);
    ids.clear();
    QCOMPARE(ids.size(), 0);
    QVERIFY(!ids.contains(1));
    QVERIFY(ids.insert(1));
    for (NotificationId id : {2, 3, 4})
        ids.insert(id);
    QCOMPARE(ids.size(), 3);
    QVERIFY(!ids.contains(1));
}

QTEST_GUILESS_MAIN(TestRecentIds)
#include "tst_recentids.moc"
