// SPDX-License-Identifier: Apache-2.0
// ResumeBook: each device's last live range on this node, taken once, bounded in count.
#include "core/resumebook.h"

#include <QtTest>

using namespace herald::syncd;
using namespace Qt::StringLiterals;

class TestResumeBook : public QObject
{
    Q_OBJECT

private slots:
    void aRangeIsTakenOnce()
    {
        ResumeBook book;
        QVERIFY(!book.take(u"alice"_s, u"laptop"_s));
        book.sessionEnded(u"alice"_s, u"laptop"_s, {3, 9, 42});
        QVERIFY(!book.take(u"alice"_s, u"phone"_s));
        QVERIFY(!book.take(u"bob"_s, u"laptop"_s)); // the same device name of another user
        const auto range = book.take(u"alice"_s, u"laptop"_s);
        QVERIFY(range);
        QCOMPARE(range->from, 3);
        QCOMPARE(range->upTo, 9);
        QCOMPARE(range->channels, size_t(42));
        QVERIFY(!book.take(u"alice"_s, u"laptop"_s));
    }

    void theNewestSessionOfADeviceCounts()
    {
        ResumeBook book;
        book.sessionEnded(u"alice"_s, u"laptop"_s, {3, 9, 1});
        book.sessionEnded(u"alice"_s, u"laptop"_s, {12, 20, 1});
        QCOMPARE(book.take(u"alice"_s, u"laptop"_s)->from, 12);
    }

    void anOpenSessionsRangeEndsWhereItsWorkerIsNow()
    {
        ResumeBook book;
        auto handedOn = std::make_shared<std::atomic<qint64>>(5);
        book.sessionLive(u"alice"_s, u"laptop"_s, 4, 42, handedOn);
        handedOn->store(11);
        const auto range = book.take(u"alice"_s, u"laptop"_s);
        QVERIFY(range);
        QCOMPARE(range->from, 4);
        QCOMPARE(range->upTo, 11);
        QCOMPARE(range->channels, size_t(42));
    }

    void anEarlierSessionEndingLaterDoesNotReplaceTheNewer()
    {
        ResumeBook book;
        auto handedOn = std::make_shared<std::atomic<qint64>>(30);
        // The first connection died silently; the device came back (from 20) before the
        // node noticed, and the first session ends afterwards.
        book.sessionLive(u"alice"_s, u"laptop"_s, 20, 1, handedOn);
        book.sessionEnded(u"alice"_s, u"laptop"_s, {3, 19, 1});
        QCOMPARE(book.take(u"alice"_s, u"laptop"_s)->from, 20);
        // Its own end replaces the open entry.
        book.sessionLive(u"alice"_s, u"laptop"_s, 40, 1, handedOn);
        book.sessionEnded(u"alice"_s, u"laptop"_s, {40, 44, 1});
        const auto ended = book.take(u"alice"_s, u"laptop"_s);
        QCOMPARE(ended->upTo, 44);
    }

    void keepsTheNewestDevices()
    {
        ResumeBook book(3);
        for (int i = 0; i < 5; ++i)
            book.sessionEnded(u"alice"_s, QString::number(i), {i, i + 1, 0});
        // Ending again makes a device new.
        book.sessionEnded(u"alice"_s, u"2"_s, {7, 8, 0});
        book.sessionEnded(u"alice"_s, u"5"_s, {5, 6, 0});
        QVERIFY(!book.take(u"alice"_s, u"0"_s));
        QVERIFY(!book.take(u"alice"_s, u"1"_s));
        QVERIFY(!book.take(u"alice"_s, u"3"_s));
        QCOMPARE(book.take(u"alice"_s, u"2"_s)->from, 7);
        QVERIFY(book.take(u"alice"_s, u"4"_s));
        QVERIFY(book.take(u"alice"_s, u"5"_s));
    }

    void manyEndsOfFewDevicesKeepTheNewest()
    {
        ResumeBook book(2);
        for (int i = 0; i < 10000; ++i)
            book.sessionEnded(u"alice"_s, QString::number(i % 2), {i, i + 1, 0});
        QCOMPARE(book.take(u"alice"_s, u"0"_s)->from, 9998);
        QCOMPARE(book.take(u"alice"_s, u"1"_s)->from, 9999);
    }

    void channelsKeyIgnoresOrder()
    {
        const QSet<QString> a{u"app/a"_s, u"app/b"_s, u"other/a"_s};
        QSet<QString> b;
        for (const QString &key : {u"other/a"_s, u"app/b"_s, u"app/a"_s})
            b.insert(key);
        QCOMPARE(ResumeBook::channelsKey(a), ResumeBook::channelsKey(b));
        QVERIFY(ResumeBook::channelsKey(a) != ResumeBook::channelsKey({u"app/a"_s, u"app/b"_s}));
    }
};

QTEST_GUILESS_MAIN(TestResumeBook)
#include "tst_resumebook.moc"
