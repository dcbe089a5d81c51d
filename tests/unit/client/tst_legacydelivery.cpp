// SPDX-License-Identifier: Apache-2.0
// Herald 0.2's per-device channel switches become server rules: the mapping, and the merge into
// what the server holds.
#include "model/legacydelivery.h"

#include <QJsonArray>
#include <QTest>

using namespace herald::client;
using namespace Qt::StringLiterals;

namespace {
PreferenceRule channelRule(const QString &app, const QString &channel,
                           PreferenceRule::Delivery delivery)
{
    PreferenceRule r;
    r.application = app;
    r.channel = channel;
    r.delivery = delivery;
    return r;
}
} // namespace

class TestLegacyDelivery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void mapsEachSwitchToTheClosestRule()
    {
        const QMap<QString, QString> switches{{u"demo/ops"_s, u"off"_s},
                                              {u"demo/alerts"_s, u"list"_s},
                                              {u"demo/deploys"_s, u"popup"_s}};
        const QList<PreferenceRule> rules = LegacyDelivery::rules(switches);
        QCOMPARE(rules.size(), 2); // popup is the default: no rule
        // QMap order: demo/alerts before demo/ops.
        QCOMPARE(rules[0].application, u"demo"_s);
        QCOMPARE(rules[0].channel, u"alerts"_s);
        QCOMPARE(rules[0].delivery, PreferenceRule::Delivery::Immediate);
        QCOMPARE(rules[0].agents, QStringList{u"feed"_s}); // no popup, no mail, still listed
        QVERIFY(!rules[0].popsUp());
        QCOMPARE(rules[1], channelRule(u"demo"_s, u"ops"_s, PreferenceRule::Delivery::Off));
        // As the server takes them.
        UserPreferences p;
        p.rules = rules;
        QCOMPARE(p.toJson()[u"rules"_s].toArray().at(1).toObject(),
                 (QJsonObject{{u"application"_s, u"demo"_s},
                              {u"channel"_s, u"ops"_s},
                              {u"delivery"_s, u"off"_s},
                              {u"agents"_s, QJsonArray{u"desktop"_s, u"email"_s, u"feed"_s}}}));
    }

    void skipsWhatTheServerWouldRefuse()
    {
        const QMap<QString, QString> switches{{u"demo/with space"_s, u"off"_s},
                                              {u"nochannel"_s, u"off"_s},
                                              {u"demo/ops"_s, u"loud"_s},
                                              {u"demo/ok"_s, u"off"_s}};
        const QList<PreferenceRule> rules = LegacyDelivery::rules(switches);
        QCOMPARE(rules.size(), 1);
        QCOMPARE(rules[0].channel, u"ok"_s);
    }

    void theServersOwnRulesWin()
    {
        UserPreferences server;
        server.timeZone = u"Europe/Berlin"_s;
        PreferenceRule digest = channelRule(u"demo"_s, u"ops"_s, PreferenceRule::Delivery::Digest);
        digest.digest = u"hourly"_s;
        server.rules = {digest};
        const QList<PreferenceRule> migrated{
            channelRule(u"demo"_s, u"ops"_s, PreferenceRule::Delivery::Off),
            channelRule(u"demo"_s, u"alerts"_s, PreferenceRule::Delivery::Off)};
        const UserPreferences merged = LegacyDelivery::merged(server, migrated);
        QCOMPARE(merged.timeZone, u"Europe/Berlin"_s);
        QCOMPARE(merged.rules.size(), 2);
        QCOMPARE(merged.rules[0], digest); // set on purpose on the server: kept
        QCOMPARE(merged.rules[1], migrated[1]);
        // Twice (another device migrated the same switches): nothing more.
        QCOMPARE(LegacyDelivery::merged(merged, migrated), merged);
    }

    void staysWithinTheServersRuleLimit()
    {
        UserPreferences server;
        for (int i = 0; i < UserPreferences::MaxRules - 1; ++i)
            server.rules.append(
                channelRule(u"app"_s, u"c%1"_s.arg(i), PreferenceRule::Delivery::Off));
        const UserPreferences merged = LegacyDelivery::merged(
            server, {channelRule(u"demo"_s, u"a"_s, PreferenceRule::Delivery::Off),
                     channelRule(u"demo"_s, u"b"_s, PreferenceRule::Delivery::Off)});
        QCOMPARE(merged.rules.size(), UserPreferences::MaxRules);
        QCOMPARE(merged.rules.last().channel, u"a"_s);
    }
};

QTEST_APPLESS_MAIN(TestLegacyDelivery)
#include "tst_legacydelivery.moc"
