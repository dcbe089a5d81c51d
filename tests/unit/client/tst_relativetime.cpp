// SPDX-License-Identifier: Apache-2.0
#include "ui/relativetime.h"

#include <QLocale>
#include <QTest>

using namespace herald::client;
using namespace Qt::StringLiterals;

class TestRelativeTime : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

    void saysHowLongAgo_data()
    {
        QTest::addColumn<QDateTime>("when");
        QTest::addColumn<QString>("expected");
        const QDateTime now = noon();
        QTest::newRow("seconds") << now.addSecs(-20) << u"just now"_s;
        QTest::newRow("a clock ahead") << now.addSecs(90) << u"just now"_s;
        QTest::newRow("one minute") << now.addSecs(-60) << u"1 min ago"_s;
        QTest::newRow("minutes") << now.addSecs(-5 * 60 - 10) << u"5 min ago"_s;
        QTest::newRow("hours today") << now.addSecs(-3 * 3600) << u"3 h ago"_s;
        QTest::newRow("yesterday evening") << now.addSecs(-15 * 3600) << u"yesterday"_s;
        QTest::newRow("this week") << now.addDays(-3) << u"Friday"_s;
        QTest::newRow("beyond a week")
            << now.addDays(-9) << QLocale().toString(now.addDays(-9).date(), QLocale::ShortFormat);
    }

    void saysHowLongAgo()
    {
        QFETCH(QDateTime, when);
        QFETCH(QString, expected);
        QCOMPARE(RelativeTime::format(when, noon()), expected);
    }

    void saysNothingForNoTime() { QVERIFY(RelativeTime::format({}, noon()).isEmpty()); }

private:
    // A Monday noon in local time: "yesterday" and weekdays do not depend on the test's hour.
    static QDateTime noon() { return QDateTime(QDate(2026, 3, 16), QTime(12, 0)); }
};

QTEST_GUILESS_MAIN(TestRelativeTime)
#include "tst_relativetime.moc"
