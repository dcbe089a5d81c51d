// SPDX-License-Identifier: Apache-2.0
#include "session/resumecursor.h"

#include <QTest>

using namespace herald;

class TestResumeCursor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void noResumePointBeforeTheFirstNotification();
    void setLastIdReportsChanges();
    void advanceOnlyRaises();
    void admitDropsRecentDuplicates();
    void newCapacityForgetsRecentIdsButNotTheResumePoint();
    void sameCapacityKeepsRecentIds();
};

void TestResumeCursor::noResumePointBeforeTheFirstNotification()
{
    ResumeCursor cursor;
    QCOMPARE(cursor.lastId(), NotificationId(0));
    QCOMPARE(cursor.resumePoint(), std::nullopt);
    cursor.setLastId(-3);
    QCOMPARE(cursor.resumePoint(), std::nullopt);
}

void TestResumeCursor::setLastIdReportsChanges()
{
    ResumeCursor cursor;
    QVERIFY(cursor.setLastId(42));
    QVERIFY(!cursor.setLastId(42));
    QCOMPARE(cursor.resumePoint(), std::optional<NotificationId>(42));
    QVERIFY(cursor.setLastId(7)); // a persisted point may be lower
    QCOMPARE(cursor.lastId(), NotificationId(7));
}

void TestResumeCursor::advanceOnlyRaises()
{
    ResumeCursor cursor;
    QVERIFY(cursor.advanceTo(10));
    QVERIFY(!cursor.advanceTo(10));
    QVERIFY(!cursor.advanceTo(4));
    QCOMPARE(cursor.lastId(), NotificationId(10));
    QVERIFY(cursor.advanceTo(11));
    QCOMPARE(cursor.lastId(), NotificationId(11));
}

void TestResumeCursor::admitDropsRecentDuplicates()
{
    ResumeCursor cursor(2);
    QVERIFY(cursor.admit(1));
    QVERIFY(!cursor.admit(1));
    QVERIFY(cursor.admit(2));
    QVERIFY(cursor.admit(3)); // forgets 1
    QVERIFY(cursor.admit(1));
    QCOMPARE(cursor.lastId(), NotificationId(0)); // admitting does not move the resume point
}

void TestResumeCursor::newCapacityForgetsRecentIdsButNotTheResumePoint()
{
    ResumeCursor cursor(10);
    cursor.admit(5);
    cursor.advanceTo(5);
    cursor.setRecentIdsCapacity(20);
    QVERIFY(cursor.admit(5));
    QCOMPARE(cursor.lastId(), NotificationId(5));
}

void TestResumeCursor::sameCapacityKeepsRecentIds()
{
    ResumeCursor cursor(10);
    cursor.admit(5);
    cursor.setRecentIdsCapacity(10);
    QVERIFY(!cursor.admit(5));
}

QTEST_GUILESS_MAIN(TestResumeCursor)
#include "tst_resumecursor.moc"
