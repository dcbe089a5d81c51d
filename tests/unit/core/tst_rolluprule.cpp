// SPDX-License-Identifier: Apache-2.0
// RollupRule: what a rule body may say, the errors that name the field, the defaults, and the
// value notifications must share to fold.
#include "core/rolluprule.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;

namespace {
QJsonObject body(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}
} // namespace

class TestRollupRule : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aFullRuleRoundTrips()
    {
        const auto rule = RollupRule::fromJson(
            u"deploys"_s, body(R"({"application":"ci","channel":"api","code":"deploy",
                                  "matchOn":"tags.env","maxSize":5,"maxDuration":"15m"})"));
        QVERIFY2(rule, qPrintable(rule ? QString() : rule.error().message));
        QCOMPARE(rule->maxSize, 5);
        QCOMPARE(rule->maxDurationMs, qint64(15 * 60'000));
        QCOMPARE(rule->toJson(),
                 body(R"({"name":"deploys","application":"ci","channel":"api","code":"deploy",
                          "matchOn":"tags.env","maxSize":5,"maxDuration":"15m"})"));
    }

    void defaultsAreTenAndOneHour()
    {
        const auto rule = RollupRule::fromJson(u"r"_s, body(R"({"application":"ci"})"));
        QVERIFY(rule);
        QCOMPARE(rule->maxSize, 10);
        QCOMPARE(rule->maxDurationMs, qint64(3'600'000));
        QCOMPARE(rule->toJson().value(u"maxDuration"_s).toString(), u"1h"_s);
    }

    void badBodiesNameTheField_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("field");
        QTest::newRow("no application") << u"r"_s << u"{}"_s << u"application"_s;
        QTest::newRow("application not a string")
            << u"r"_s << u"{\"application\":3}"_s << u"application"_s;
        QTest::newRow("bad application name")
            << u"r"_s << u"{\"application\":\"a b\"}"_s << u"application"_s;
        QTest::newRow("bad channel")
            << u"r"_s << u"{\"application\":\"ci\",\"channel\":\"a/b\"}"_s << u"channel"_s;
        QTest::newRow("maxSize 1")
            << u"r"_s << u"{\"application\":\"ci\",\"maxSize\":1}"_s << u"maxSize"_s;
        QTest::newRow("maxSize 1001")
            << u"r"_s << u"{\"application\":\"ci\",\"maxSize\":1001}"_s << u"maxSize"_s;
        QTest::newRow("maxSize text")
            << u"r"_s << u"{\"application\":\"ci\",\"maxSize\":\"5\"}"_s << u"maxSize"_s;
        QTest::newRow("maxDuration unit")
            << u"r"_s << u"{\"application\":\"ci\",\"maxDuration\":\"5x\"}"_s << u"maxDuration"_s;
        QTest::newRow("maxDuration zero")
            << u"r"_s << u"{\"application\":\"ci\",\"maxDuration\":\"0s\"}"_s << u"maxDuration"_s;
        QTest::newRow("maxDuration 8d")
            << u"r"_s << u"{\"application\":\"ci\",\"maxDuration\":\"8d\"}"_s << u"maxDuration"_s;
        QTest::newRow("matchOn field")
            << u"r"_s << u"{\"application\":\"ci\",\"matchOn\":\"message\"}"_s << u"matchOn"_s;
        QTest::newRow("matchOn empty tag")
            << u"r"_s << u"{\"application\":\"ci\",\"matchOn\":\"tags.\"}"_s << u"matchOn"_s;
        QTest::newRow("rule name") << u"a rule"_s << u"{\"application\":\"ci\"}"_s << u"name"_s;
    }

    void badBodiesNameTheField()
    {
        QFETCH(QString, name);
        QFETCH(QString, json);
        QFETCH(QString, field);
        const auto rule = RollupRule::fromJson(name, body(json.toUtf8().constData()));
        QVERIFY(!rule);
        QCOMPARE(rule.error().code, ErrorCode::BadRequest);
        QVERIFY2(rule.error().message.startsWith(field), qPrintable(rule.error().message));
    }

    void sevenDaysIsTheLongestDuration()
    {
        const auto rule =
            RollupRule::fromJson(u"r"_s, body(R"({"application":"ci","maxDuration":"7d"})"));
        QVERIFY(rule);
        QCOMPARE(rule->maxDurationMs, qint64(7) * 86'400'000);
    }

    void matchesByApplicationChannelAndCode()
    {
        RollupRule rule;
        rule.application = u"ci"_s;
        rule.code = u"deploy"_s;
        Notification n;
        n.application = u"ci"_s;
        n.channel = u"any"_s;
        n.code = u"deploy"_s;
        QVERIFY(rule.matches(n));
        n.code = u"fail"_s;
        QVERIFY(!rule.matches(n));
        n.code = u"deploy"_s;
        rule.channel = u"api"_s;
        QVERIFY(!rule.matches(n));
    }

    void groupValueReadsTheNamedTagOrField()
    {
        Notification n;
        n.tags.insert(u"env"_s, u"prod"_s);
        n.level = u"error"_s;
        n.priority = Priority::High;
        RollupRule rule;
        QCOMPARE(rule.groupValue(n), QString());
        rule.matchOn = u"tags.env"_s;
        QCOMPARE(rule.groupValue(n), u"prod"_s);
        rule.matchOn = u"tags.other"_s;
        QCOMPARE(rule.groupValue(n), QString());
        rule.matchOn = u"level"_s;
        QCOMPARE(rule.groupValue(n), u"error"_s);
        rule.matchOn = u"priority"_s;
        QCOMPARE(rule.groupValue(n), u"high"_s);
    }
};

QTEST_APPLESS_MAIN(TestRollupRule)
#include "tst_rolluprule.moc"
