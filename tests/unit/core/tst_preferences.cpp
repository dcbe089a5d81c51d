// SPDX-License-Identifier: Apache-2.0
// A user's delivery preferences as the core reads them (PROTOCOL.md, Delivery policy): a PUT
// body read back as it was written, field-named errors, the most specific rule winning, and
// digest schedules in the user's time zone across DST changes.
#include "core/preferences.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;

namespace {

Result<Preferences> read(const QByteArray &json)
{
    return Preferences::fromJson(QJsonDocument::fromJson(json).object());
}

Notification of(const QString &app, const QString &channel, const QString &code)
{
    Notification n;
    n.application = app;
    n.channel = channel;
    n.code = code;
    return n;
}

QDateTime utc(const QString &text)
{
    QDateTime t = QDateTime::fromString(text, Qt::ISODate);
    t.setTimeSpec(Qt::UTC);
    return t;
}

QDateTime next(const QString &schedule, const QString &after, const char *zone)
{
    return DigestSchedule::parse(schedule)->nextAfter(utc(after), QTimeZone(zone));
}

} // namespace

class TestPreferences : public QObject
{
    Q_OBJECT

private slots:
    void defaultsAreImmediateToEveryAgentInUtc()
    {
        const Preferences p;
        QCOMPARE(p.timeZone(), u"UTC"_s);
        QCOMPARE(p.defaultRule().mode, DeliveryRule::Mode::Immediate);
        QCOMPARE(p.defaultRule().agents, Preferences::Agents);
        QCOMPARE(&p.ruleFor(of(u"a"_s, u"c"_s, u"x"_s)), &p.defaultRule());
    }

    void aBodyReadsBackAsItWasWritten()
    {
        auto p = read(R"({"timezone":"Europe/Berlin","email":"alice@example.org",
            "default":{"delivery":"digest","digest":"daily@08:00","agents":["email"]},
            "rules":[{"application":"ci","delivery":"off"},
                     {"application":"ci","channel":"prod","code":"failed","delivery":"immediate",
                      "agents":["desktop","feed"]},
                     {"application":"ci","code":"x","delivery":"digest","digest":"weekly@mon@07:30"}]})");
        QVERIFY2(p, p ? "" : qPrintable(p.error().message));
        const QJsonObject json = p->toJson();
        QCOMPARE(json[u"timezone"].toString(), u"Europe/Berlin"_s);
        QCOMPARE(json[u"default"][u"digest"].toString(), u"daily@08:00"_s);
        QCOMPARE(json[u"rules"][2][u"digest"].toString(), u"weekly@mon@07:30"_s);
        QCOMPARE(json[u"rules"][0][u"agents"].toArray().size(), 3); // left out: every agent
        auto again = Preferences::fromJson(json);
        QVERIFY(again);
        QCOMPARE(again->toJson(), json);
    }

    void errorsNameTheField_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("field");
        QTest::newRow("zone") << QByteArray(R"({"timezone":"Mars/Olympus"})") << u"timezone"_s;
        QTest::newRow("email") << QByteArray(R"({"email":"not an address"})") << u"email"_s;
        QTest::newRow("unknown") << QByteArray(R"({"colour":"red"})") << u"colour"_s;
        QTest::newRow("mode") << QByteArray(R"({"default":{"delivery":"later"}})")
                              << u"default.delivery"_s;
        QTest::newRow("digest missing")
            << QByteArray(R"({"rules":[{"application":"a","delivery":"digest"}]})")
            << u"rules[0].digest"_s;
        QTest::newRow("digest without digest delivery")
            << QByteArray(R"({"rules":[{"application":"a","delivery":"off","digest":"hourly"}]})")
            << u"rules[0].digest"_s;
        QTest::newRow("schedule")
            << QByteArray(R"({"default":{"delivery":"digest","digest":"daily@25:00"}})")
            << u"default.digest"_s;
        QTest::newRow("weekday")
            << QByteArray(R"({"default":{"delivery":"digest","digest":"weekly@fun@08:00"}})")
            << u"default.digest"_s;
        QTest::newRow("agent")
            << QByteArray(
                   R"({"rules":[{"application":"a","delivery":"off"},{"application":"b","delivery":"off","agents":["desktop","pager"]}]})")
            << u"rules[1].agents[1]"_s;
        QTest::newRow("no application")
            << QByteArray(R"({"rules":[{"channel":"c","delivery":"off"}]})")
            << u"rules[0].application"_s;
        QTest::newRow("bad channel")
            << QByteArray(R"({"rules":[{"application":"a","channel":"a b","delivery":"off"}]})")
            << u"rules[0].channel"_s;
        QTest::newRow("same rule twice")
            << QByteArray(
                   R"({"rules":[{"application":"a","delivery":"off"},{"application":"a","delivery":"immediate"}]})")
            << u"rules[1].application"_s;
    }

    void errorsNameTheField()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, field);
        auto p = read(json);
        QVERIFY(!p);
        QCOMPARE(p.error().code, ErrorCode::BadRequest);
        QVERIFY2(p.error().message.startsWith(field + u": "_s), qPrintable(p.error().message));
    }

    void theMostSpecificRuleWins()
    {
        auto p = read(R"({"default":{"delivery":"immediate"},"rules":[
            {"application":"ci","delivery":"off"},
            {"application":"ci","channel":"prod","delivery":"digest","digest":"hourly"},
            {"application":"ci","code":"failed","delivery":"immediate","agents":["email"]},
            {"application":"ci","channel":"prod","code":"failed","delivery":"immediate","agents":["desktop"]}]})");
        QVERIFY(p);
        const auto agentsFor = [&](const Notification &n) { return p->ruleFor(n).agents; };
        QCOMPARE(p->ruleFor(of(u"ci"_s, u"test"_s, u"ok"_s)).mode, DeliveryRule::Mode::Off);
        QCOMPARE(p->ruleFor(of(u"ci"_s, u"prod"_s, u"ok"_s)).mode, DeliveryRule::Mode::Digest);
        QCOMPARE(agentsFor(of(u"ci"_s, u"test"_s, u"failed"_s)), QStringList{u"email"_s});
        QCOMPARE(agentsFor(of(u"ci"_s, u"prod"_s, u"failed"_s)), QStringList{u"desktop"_s});
        QCOMPARE(&p->ruleFor(of(u"other"_s, u"prod"_s, u"failed"_s)), &p->defaultRule());
    }

    void schedulesComeInTheUsersZone()
    {
        // Berlin is UTC+1 in winter: 08:00 there is 07:00 UTC.
        QCOMPARE(next(u"daily@08:00"_s, u"2026-12-03T06:59:00"_s, "Europe/Berlin"),
                 utc(u"2026-12-03T07:00:00"_s));
        QCOMPARE(next(u"daily@08:00"_s, u"2026-12-03T07:00:00"_s, "Europe/Berlin"),
                 utc(u"2026-12-04T07:00:00"_s)); // strictly after
        // 2026-12-03 is a Thursday: the next Monday is the 7th.
        QCOMPARE(next(u"weekly@mon@07:30"_s, u"2026-12-03T12:00:00"_s, "Europe/Berlin"),
                 utc(u"2026-12-07T06:30:00"_s));
        QCOMPARE(next(u"hourly"_s, u"2026-12-03T12:00:00"_s, "Europe/Berlin"),
                 utc(u"2026-12-03T13:00:00"_s));
        QCOMPARE(next(u"hourly"_s, u"2026-12-03T12:34:56"_s, "Europe/Berlin"),
                 utc(u"2026-12-03T13:00:00"_s));
    }

    void schedulesSurviveDstChanges()
    {
        // Summer time in Berlin from 2027-03-28: 08:00 is 06:00 UTC from then on.
        QCOMPARE(next(u"daily@08:00"_s, u"2027-03-27T08:00:00"_s, "Europe/Berlin"),
                 utc(u"2027-03-28T06:00:00"_s));
        // 02:30 does not exist on 2027-03-28 (clocks go 02:00 -> 03:00): due at 03:00 local.
        QCOMPARE(next(u"daily@02:30"_s, u"2027-03-27T12:00:00"_s, "Europe/Berlin"),
                 utc(u"2027-03-28T01:00:00"_s));
        // 02:30 happens twice on 2027-10-31 (03:00 -> 02:00): due once, then the next day.
        const QDateTime first = next(u"daily@02:30"_s, u"2027-10-30T12:00:00"_s, "Europe/Berlin");
        QCOMPARE(first.toTimeZone(QTimeZone("Europe/Berlin")).time(), QTime(2, 30));
        QCOMPARE(first.date(), QDate(2027, 10, 31));
        const QDateTime second =
            next(u"daily@02:30"_s, first.toString(Qt::ISODate).chopped(1), "Europe/Berlin");
        QCOMPARE(second.date(), QDate(2027, 11, 1));
        QCOMPARE(second, utc(u"2027-11-01T01:30:00"_s));
    }
};

QTEST_GUILESS_MAIN(TestPreferences)
#include "tst_preferences.moc"
