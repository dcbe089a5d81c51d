// SPDX-License-Identifier: Apache-2.0
#include "model/idgenerator.h"

#include <QSet>
#include <QTest>

#include <thread>
#include <vector>

using namespace herald;

namespace {

constexpr qint64 TwoToThe53 = qint64(1) << 53;

qint64 msAt(int year, int month, int day)
{
    return QDateTime(QDate(year, month, day), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
}

} // namespace

class TestIdGenerator : public QObject
{
    Q_OBJECT

private slots:
    void increasesWithTime();
    void increasesWhenClockStalls();
    void increasesWhenClockGoesBack();
    void catchesUpAfterBorrowing();
    void isUniqueAcrossNodes();
    void isUniqueAcrossThreads();
    void staysPositiveAndBelow2To53_data();
    void staysPositiveAndBelow2To53();
    void roundTripsNodeAndTime_data();
    void roundTripsNodeAndTime();
    void firstIdAtBoundsIdsOfThatTime();
    void masksNodeToSixBits();
};

void TestIdGenerator::increasesWithTime()
{
    IdGenerator generator(1);
    const qint64 start = msAt(2026, 11, 22);
    NotificationId last = 0;
    for (qint64 ms = start; ms < start + 100; ms += 7) {
        const NotificationId id = generator.next(ms);
        QVERIFY2(id > last, qPrintable(QString::number(id)));
        last = id;
    }
    // Whether the real clock is before or after 2026-11-22, ids keep increasing.
    QVERIFY(generator.next() > last);
}

void TestIdGenerator::increasesWhenClockStalls()
{
    IdGenerator generator(5);
    const qint64 now = msAt(2026, 1, 1);
    NotificationId last = 0;
    // Far more than the 64 sequence numbers of one millisecond.
    for (int i = 0; i < 1000; ++i) {
        const NotificationId id = generator.next(now);
        QVERIFY2(id > last,
                 qPrintable(QStringLiteral("id %1 after %2 at step %3").arg(id).arg(last).arg(i)));
        QCOMPARE(IdGenerator::nodeOf(id), 5);
        last = id;
    }
    // 1000 ids need 16 milliseconds' worth of sequence numbers.
    QCOMPARE(IdGenerator::timeOf(last).toMSecsSinceEpoch(), now + 1000 / 64);
}

void TestIdGenerator::increasesWhenClockGoesBack()
{
    IdGenerator generator(2);
    const qint64 now = msAt(2026, 6, 1);
    const NotificationId before = generator.next(now);
    const NotificationId afterStep = generator.next(now - 60 * 60 * 1000);
    QVERIFY(afterStep > before);
    const NotificationId again = generator.next(now - 1);
    QVERIFY(again > afterStep);
}

void TestIdGenerator::catchesUpAfterBorrowing()
{
    IdGenerator generator(3);
    const qint64 now = msAt(2026, 6, 1);
    NotificationId last = 0;
    for (int i = 0; i < 200; ++i) // borrows three milliseconds ahead
        last = generator.next(now);
    for (qint64 ms = now + 1; ms < now + 10; ++ms) {
        const NotificationId id = generator.next(ms);
        QVERIFY(id > last);
        last = id;
    }
    // Once the clock passes the borrowed time, ids follow the clock again.
    QCOMPARE(IdGenerator::timeOf(generator.next(now + 1000)).toMSecsSinceEpoch(), now + 1000);
}

void TestIdGenerator::isUniqueAcrossNodes()
{
    std::vector<std::unique_ptr<IdGenerator>> generators;
    for (int node = 0; node <= IdGenerator::MaxNode; ++node)
        generators.push_back(std::make_unique<IdGenerator>(node));
    QSet<NotificationId> seen;
    const qint64 now = msAt(2026, 3, 3);
    // Every node makes 100 ids in the same two milliseconds.
    for (int round = 0; round < 100; ++round) {
        for (auto &generator : generators) {
            const NotificationId id = generator->next(now + round / 50);
            QVERIFY2(!seen.contains(id), qPrintable(QString::number(id)));
            seen.insert(id);
            QCOMPARE(IdGenerator::nodeOf(id), generator->node());
        }
    }
    QCOMPARE(seen.size(), 64 * 100);
}

void TestIdGenerator::isUniqueAcrossThreads()
{
    IdGenerator generator(9);
    constexpr int Threads = 4;
    constexpr int PerThread = 5000;
    std::vector<std::vector<NotificationId>> made(Threads);
    std::vector<std::thread> threads;
    for (int t = 0; t < Threads; ++t) {
        threads.emplace_back([&generator, &made, t] {
            NotificationId last = 0;
            for (int i = 0; i < PerThread; ++i) {
                const NotificationId id = generator.next();
                made[t].push_back(id > last ? id : 0); // 0 marks a decrease within a thread
                last = id;
            }
        });
    }
    for (auto &thread : threads)
        thread.join();
    QSet<NotificationId> all;
    for (const auto &ids : made) {
        for (NotificationId id : ids) {
            QVERIFY(id > 0);
            all.insert(id);
        }
    }
    QCOMPARE(all.size(), Threads * PerThread);
}

void TestIdGenerator::staysPositiveAndBelow2To53_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<int>("node");
    QTest::newRow("now") << QDateTime::currentMSecsSinceEpoch() << 63;
    QTest::newRow("epoch") << IdGenerator::Epoch << 0;
    QTest::newRow("before epoch") << IdGenerator::Epoch - 1000000 << 0;
    QTest::newRow("clock at 1970") << qint64(0) << 0;
    QTest::newRow("2026") << msAt(2026, 1, 1) << 63;
    QTest::newRow("2094-01-01") << msAt(2094, 1, 1) << 63;
    // 2^41 ms after the epoch is 2094-09-07T15:47:35.551Z, the last representable time.
    QTest::newRow("last millisecond") << IdGenerator::Epoch + (qint64(1) << 41) - 1 << 63;
}

void TestIdGenerator::staysPositiveAndBelow2To53()
{
    QFETCH(qint64, ms);
    QFETCH(int, node);
    IdGenerator generator(node);
    for (int i = 0; i < 64; ++i) {
        const NotificationId id = generator.next(ms);
        QVERIFY2(id > 0, qPrintable(QString::number(id)));
        QVERIFY2(id < TwoToThe53, qPrintable(QString::number(id)));
    }
    const NotificationId now = IdGenerator(IdGenerator::MaxNode).next();
    QVERIFY(now > 0 && now < TwoToThe53);
}

void TestIdGenerator::roundTripsNodeAndTime_data()
{
    QTest::addColumn<int>("node");
    QTest::addColumn<qint64>("ms");
    QTest::newRow("node 0, epoch + 1 ms") << 0 << IdGenerator::Epoch + 1;
    QTest::newRow("node 63, 2026") << 63 << msAt(2026, 11, 22) + 123;
    QTest::newRow("node 17, 2090") << 17 << msAt(2090, 12, 31) + 999;
}

void TestIdGenerator::roundTripsNodeAndTime()
{
    QFETCH(int, node);
    QFETCH(qint64, ms);
    IdGenerator generator(node);
    QCOMPARE(generator.node(), node);
    const NotificationId id = generator.next(ms);
    QCOMPARE(IdGenerator::nodeOf(id), node);
    const QDateTime time = IdGenerator::timeOf(id);
    QCOMPARE(time.toMSecsSinceEpoch(), ms);
    QCOMPARE(time.offsetFromUtc(), 0);
}

void TestIdGenerator::firstIdAtBoundsIdsOfThatTime()
{
    const qint64 ms = msAt(2026, 5, 5) + 500;
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
    const NotificationId first = IdGenerator::firstIdAt(time);
    const NotificationId firstNext = IdGenerator::firstIdAt(time.addMSecs(1));
    for (int node = 0; node <= IdGenerator::MaxNode; node += 21) {
        IdGenerator generator(node);
        const NotificationId id = generator.next(ms);
        QVERIFY(id >= first);
        QVERIFY(id < firstNext);
    }
    QCOMPARE(IdGenerator::timeOf(first), time);
    QCOMPARE(IdGenerator::firstIdAt(QDateTime::fromMSecsSinceEpoch(0, Qt::UTC)), 0);
}

void TestIdGenerator::masksNodeToSixBits()
{
    IdGenerator generator(64 + 5);
    QCOMPARE(generator.node(), 5);
    QCOMPARE(IdGenerator::nodeOf(generator.next(msAt(2026, 1, 1))), 5);
}

QTEST_APPLESS_MAIN(TestIdGenerator)
#include "tst_idgenerator.moc"
