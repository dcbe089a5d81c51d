// SPDX-License-Identifier: Apache-2.0
#include "model/timestamps.h"

#include <QTest>

using namespace herald;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(std::optional<QDateTime>)

class TestTimestamps : public QObject
{
    Q_OBJECT

private slots:
    void formats_data();
    void formats();
    void parses_data();
    void parses();
    void roundTrips();
    void formatsEveryDayAsQtDoes();
    void nowIsUtcMilliseconds();
};

void TestTimestamps::formats_data()
{
    QTest::addColumn<QDateTime>("time");
    QTest::addColumn<QString>("expected");
    QTest::newRow("utc") << QDateTime(QDate(2026, 11, 22), QTime(12, 0, 0, 123), Qt::UTC)
                         << u"2026-11-22T12:00:00.123Z"_s;
    QTest::newRow("whole second keeps .000")
        << QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5), Qt::UTC) << u"2026-01-02T03:04:05.000Z"_s;
    QTest::newRow("offset converted to utc")
        << QDateTime(QDate(2026, 11, 22), QTime(1, 30, 0, 5), Qt::OffsetFromUTC, 2 * 3600)
        << u"2026-11-21T23:30:00.005Z"_s;
    QTest::newRow("negative offset")
        << QDateTime(QDate(2026, 12, 31), QTime(20, 0), Qt::OffsetFromUTC, -5 * 3600)
        << u"2027-01-01T01:00:00.000Z"_s;
    QTest::newRow("before 1970") << QDateTime(QDate(1969, 12, 31), QTime(23, 59, 59, 999), Qt::UTC)
                                 << u"1969-12-31T23:59:59.999Z"_s;
    QTest::newRow("leap day") << QDateTime(QDate(2000, 2, 29), QTime(0, 0), Qt::UTC)
                              << u"2000-02-29T00:00:00.000Z"_s;
    QTest::newRow("first year") << QDateTime(QDate(1, 1, 1), QTime(0, 0), Qt::UTC)
                                << u"0001-01-01T00:00:00.000Z"_s;
    QTest::newRow("last year") << QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59, 999), Qt::UTC)
                               << u"9999-12-31T23:59:59.999Z"_s;
    QTest::newRow("year 10000, by Qt")
        << QDateTime(QDate(10000, 1, 1), QTime(0, 0), Qt::UTC) << u"10000-01-01T00:00:00.000Z"_s;
    const QDateTime beforeYear1 = QDateTime::fromMSecsSinceEpoch(-62'135'596'800'001, Qt::UTC);
    QTest::newRow("the last millisecond before year 1, by Qt")
        << beforeYear1 << beforeYear1.toString(u"yyyy-MM-ddTHH:mm:ss.zzz'Z'"_s);
    QTest::newRow("invalid") << QDateTime() << QString();
}

void TestTimestamps::formats()
{
    QFETCH(QDateTime, time);
    QFETCH(QString, expected);
    QCOMPARE(toRfc3339(time), expected);
    // The encoders' bytes: the same text without an allocation, for the years 1 to 9999.
    Rfc3339Text text;
    const bool written = writeRfc3339(time, text);
    QCOMPARE(written, expected.size() == 24);
    if (written)
        QCOMPARE(QString::fromLatin1(text), expected);
}

void TestTimestamps::parses_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("expectedMs"); // -1: rejected
    const qint64 base = QDateTime(QDate(2026, 11, 22), QTime(12, 0), Qt::UTC).toMSecsSinceEpoch();
    QTest::newRow("Z with ms") << u"2026-11-22T12:00:00.123Z"_s << base + 123;
    QTest::newRow("Z without ms") << u"2026-11-22T12:00:00Z"_s << base;
    QTest::newRow("offset") << u"2026-11-22T14:00:00.5+02:00"_s << base + 500;
    QTest::newRow("negative offset") << u"2026-11-22T07:00:00-05:00"_s << base;
    QTest::newRow("microseconds truncated to ms") << u"2026-11-22T12:00:00.123456Z"_s << base + 123;
    QTest::newRow("no zone") << u"2026-11-22T12:00:00"_s << qint64(-1);
    QTest::newRow("date only") << u"2026-11-22"_s << qint64(-1);
    QTest::newRow("impossible date") << u"2026-02-30T12:00:00Z"_s << qint64(-1);
    QTest::newRow("garbage") << u"tomorrow"_s << qint64(-1);
    QTest::newRow("empty") << QString() << qint64(-1);
}

void TestTimestamps::parses()
{
    QFETCH(QString, text);
    QFETCH(qint64, expectedMs);
    const std::optional<QDateTime> parsed = fromRfc3339(text);
    if (expectedMs < 0) {
        QVERIFY2(!parsed, qPrintable(parsed ? parsed->toString(Qt::ISODateWithMs) : QString()));
        return;
    }
    QVERIFY(parsed);
    QCOMPARE(parsed->toMSecsSinceEpoch(), expectedMs);
    QCOMPARE(parsed->offsetFromUtc(), 0);
}

// The hand-written formatter against Qt's, for every day from 1600 to 2400 (leap centuries
// both ways) at a time of day that changes from day to day, and around the epoch by the ms.
void TestTimestamps::formatsEveryDayAsQtDoes()
{
    const auto qtFormat = [](const QDateTime &t) {
        return t.toUTC().toString(u"yyyy-MM-ddTHH:mm:ss.zzz'Z'"_s);
    };
    const QDate first(1600, 1, 1);
    for (qint64 day = 0; day < first.daysTo(QDate(2400, 12, 31)); day += 1) {
        const QDateTime t(first.addDays(day),
                          QTime::fromMSecsSinceStartOfDay(int(day * 7919 % 86'400'000)), Qt::UTC);
        if (toRfc3339(t) != qtFormat(t))
            QFAIL(qPrintable(toRfc3339(t) + u" != "_s + qtFormat(t)));
    }
    for (qint64 ms = -3000; ms <= 3000; ++ms) {
        const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
        QCOMPARE(toRfc3339(t), qtFormat(t));
    }
}

void TestTimestamps::roundTrips()
{
    const QDateTime time = QDateTime(QDate(2031, 7, 8), QTime(9, 10, 11, 12), Qt::UTC);
    const auto back = fromRfc3339(toRfc3339(time));
    QVERIFY(back);
    QCOMPARE(*back, time);
    QCOMPARE(toRfc3339(*back), toRfc3339(time));
}

void TestTimestamps::nowIsUtcMilliseconds()
{
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const QDateTime now = utcNow();
    const qint64 after = QDateTime::currentMSecsSinceEpoch();
    QCOMPARE(now.offsetFromUtc(), 0);
    QVERIFY(now.toMSecsSinceEpoch() >= before && now.toMSecsSinceEpoch() <= after);
    QVERIFY(toRfc3339(now).endsWith(u'Z'));
    // Survives the wire unchanged: no sub-millisecond part is lost.
    QCOMPARE(fromRfc3339(toRfc3339(now)), std::optional<QDateTime>(now));
}

QTEST_APPLESS_MAIN(TestTimestamps)
#include "tst_timestamps.moc"
