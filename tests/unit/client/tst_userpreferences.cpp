// SPDX-License-Identifier: Apache-2.0
#include "model/userpreferences.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace herald::client;
using namespace Qt::StringLiterals;

namespace {
QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(text).object();
}
} // namespace

class TestUserPreferences : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsWhatTheServerAnswersAndWritesItBack()
    {
        // GET /api/v1/preferences as herald-syncd answers it.
        const QJsonObject answer = json(R"({"timezone":"Europe/Berlin","email":"alice@example.org",
            "default":{"delivery":"digest","digest":"daily@08:00","agents":["desktop","email","feed"]},
            "rules":[{"application":"ci","channel":"prod","delivery":"immediate","agents":["desktop"]},
                     {"application":"ci","code":"x","delivery":"off","agents":["email"]}]})");
        const auto p = UserPreferences::fromJson(answer);
        QVERIFY(p);
        QCOMPARE(p->timeZone, u"Europe/Berlin"_s);
        QCOMPARE(p->email, u"alice@example.org"_s);
        QCOMPARE(p->defaultRule.delivery, PreferenceRule::Delivery::Digest);
        QCOMPARE(p->defaultRule.digest, u"daily@08:00"_s);
        QCOMPARE(p->rules.size(), 2);
        QCOMPARE(p->rules[0].agents, QStringList{u"desktop"_s});
        QCOMPARE(p->rules[1].code, u"x"_s);
        QCOMPARE(p->toJson(), answer);
        QCOMPARE(UserPreferences::fromJson(p->toJson()), p);
    }

    void theDefaultsAreTheServers()
    {
        const auto p = UserPreferences::fromJson(json(R"({"timezone":"UTC",
            "default":{"delivery":"immediate","agents":["desktop","email","feed"]},"rules":[]})"));
        QVERIFY(p);
        QCOMPARE(*p, UserPreferences());
        QVERIFY(!p->toJson().contains(u"digest"_s));
    }

    void refusesWhatIsNotPreferences()
    {
        QVERIFY(!UserPreferences::fromJson(json(R"({"default":{"delivery":"loud"}})")));
        QVERIFY(!UserPreferences::fromJson(json(R"({"rules":[{"delivery":"off"}]})")));
        QVERIFY(!UserPreferences::fromJson(json(R"({"rules":{}})")));
        QVERIFY(!UserPreferences::fromJson(json(R"({"timezone":3})")));
    }

    void theMostSpecificRuleWins()
    {
        UserPreferences p;
        PreferenceRule app;
        app.application = u"ci"_s;
        app.delivery = PreferenceRule::Delivery::Off;
        PreferenceRule channel = app;
        channel.channel = u"prod"_s;
        channel.delivery = PreferenceRule::Delivery::Digest;
        PreferenceRule code = app;
        code.code = u"deploy"_s;
        code.delivery = PreferenceRule::Delivery::Immediate;
        p.rules = {code, channel, app}; // the order does not matter
        QCOMPARE(p.ruleFor(u"other"_s, u"prod"_s).isDefault(), true);
        QCOMPARE(p.ruleFor(u"ci"_s, u"dev"_s), app);
        QCOMPARE(p.ruleFor(u"ci"_s, u"prod"_s), channel);
        QCOMPARE(p.ruleFor(u"ci"_s, u"prod"_s, u"deploy"_s), code);
        QCOMPARE(p.indexOf(u"ci"_s, u"prod"_s), 1);
        p.removeRule(u"ci"_s, u"prod"_s);
        QCOMPARE(p.indexOf(u"ci"_s, u"prod"_s), -1);
        channel.delivery = PreferenceRule::Delivery::Off;
        p.setRule(channel);
        p.setRule(channel);
        QCOMPARE(p.rules.size(), 3);
    }

    void digestSchedules_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::newRow("hourly") << u"hourly"_s << true;
        QTest::newRow("daily") << u"daily@08:00"_s << true;
        QTest::newRow("weekly") << u"weekly@sun@23:59"_s << true;
        QTest::newRow("hour 24") << u"daily@24:00"_s << false;
        QTest::newRow("no day") << u"weekly@08:00"_s << false;
        QTest::newRow("empty") << QString() << false;
    }
    void digestSchedules()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        const auto schedule = DigestSchedule::parse(text);
        QCOMPARE(schedule.has_value(), valid);
        if (valid)
            QCOMPARE(schedule->toString(), text);
    }

    void weeklyScheduleParts()
    {
        const auto s = DigestSchedule::parse(u"weekly@fri@17:30"_s);
        QVERIFY(s);
        QCOMPARE(s->period, DigestSchedule::Period::Weekly);
        QCOMPARE(s->weekday, int(Qt::Friday));
        QCOMPARE(s->at, QTime(17, 30));
        QCOMPARE(DigestSchedule::periodOf(u"daily@25:00"_s), DigestSchedule::Period::Daily);
        QVERIFY(!DigestSchedule::periodOf(u"monthly"_s));
    }

    void fieldErrorsNameTheirField_data()
    {
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("rule");
        QTest::newRow("digest of a rule")
            << u"rules[2].digest: hourly, daily@HH:MM or weekly@DAY@HH:MM (DAY: mon to sun), "
               "not 'x'"_s
            << u"rules[2].digest"_s
            << u"hourly, daily@HH:MM or weekly@DAY@HH:MM (DAY: mon to sun), not 'x'"_s << 2;
        QTest::newRow("an agent") << u"rules[0].agents[1]: desktop, email or feed"_s
                                  << u"rules[0].agents[1]"_s << u"desktop, email or feed"_s << 0;
        QTest::newRow("time zone")
            << u"timezone: an IANA time zone such as Europe/Berlin"_s << u"timezone"_s
            << u"an IANA time zone such as Europe/Berlin"_s << -1;
        QTest::newRow("the default")
            << u"default.delivery: immediate, digest or off"_s << u"default.delivery"_s
            << u"immediate, digest or off"_s << -1;
        QTest::newRow("no field") << u"store unavailable"_s << QString() << u"store unavailable"_s
                                  << -1;
    }
    void fieldErrorsNameTheirField()
    {
        QFETCH(QString, message);
        QFETCH(QString, path);
        QFETCH(QString, text);
        QFETCH(int, rule);
        const FieldError error = FieldError::fromMessage(message);
        QCOMPARE(error.path, path);
        QCOMPARE(error.message, text);
        QCOMPARE(error.ruleIndex(), rule);
    }
};

QTEST_APPLESS_MAIN(TestUserPreferences)
#include "tst_userpreferences.moc"
