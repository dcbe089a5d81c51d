// SPDX-License-Identifier: Apache-2.0
#include "model/deliverypreferences.h"
#include "testdata.h"

#include <QTest>

using namespace herald;
using namespace herald::client;
using herald::client::test::notification;
using namespace Qt::StringLiterals;

namespace {
PreferenceRule rule(const QString &app, const QString &channel, PreferenceRule::Delivery delivery,
                    const QStringList &agents = {u"desktop"_s, u"email"_s, u"feed"_s})
{
    PreferenceRule r;
    r.application = app;
    r.channel = channel;
    r.delivery = delivery;
    if (delivery == PreferenceRule::Delivery::Digest)
        r.digest = u"daily@08:00"_s;
    r.agents = agents;
    return r;
}
} // namespace

class TestDeliveryPreferences : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theRuleDecides_data()
    {
        using D = PreferenceRule::Delivery;
        QTest::addColumn<PreferenceRule>("channelRule");
        QTest::addColumn<bool>("list");
        QTest::addColumn<bool>("popup");
        QTest::newRow("immediate to the desktop")
            << rule(u"web"_s, u"deploys"_s, D::Immediate) << true << true;
        QTest::newRow("immediate without the desktop")
            << rule(u"web"_s, u"deploys"_s, D::Immediate, {u"email"_s}) << true << false;
        QTest::newRow("digest: the digest pops up instead")
            << rule(u"web"_s, u"deploys"_s, D::Digest) << true << false;
        QTest::newRow("off") << rule(u"web"_s, u"deploys"_s, D::Off) << false << false;
    }
    void theRuleDecides()
    {
        QFETCH(PreferenceRule, channelRule);
        QFETCH(bool, list);
        QFETCH(bool, popup);
        DeliveryPreferences prefs;
        UserPreferences user;
        user.rules = {channelRule};
        prefs.setUser(user);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QCOMPARE(prefs.decide(notification(1, u"web"_s, u"deploys"_s), now),
                 (DeliveryDecision{list, popup}));
        // Other channels keep the default: immediate to every agent.
        QCOMPARE(prefs.decide(notification(2, u"web"_s, u"alerts"_s), now),
                 (DeliveryDecision{true, true}));
    }

    void theMostSpecificRuleWins()
    {
        using D = PreferenceRule::Delivery;
        DeliveryPreferences prefs;
        UserPreferences user;
        user.defaultRule.delivery = D::Off;
        PreferenceRule byCode = rule(u"web"_s, {}, D::Off);
        byCode.code = u"deploy.failed"_s;
        byCode.delivery = D::Immediate;
        user.rules = {rule(u"web"_s, {}, D::Immediate, {u"email"_s}),
                      rule(u"web"_s, u"alerts"_s, D::Immediate), byCode};
        prefs.setUser(user);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QCOMPARE(prefs.decide(notification(1, u"db"_s, u"ops"_s), now),
                 (DeliveryDecision{false, false}));
        QCOMPARE(prefs.decide(notification(2, u"web"_s, u"deploys"_s), now),
                 (DeliveryDecision{true, false}));
        QCOMPARE(prefs.decide(notification(3, u"web"_s, u"alerts"_s), now),
                 (DeliveryDecision{true, true}));
        Notification failed = notification(4, u"web"_s, u"deploys"_s);
        failed.code = u"deploy.failed"_s;
        QCOMPARE(prefs.decide(failed, now), (DeliveryDecision{true, true}));
    }

    void doNotDisturbKeepsEverythingInTheListOnly()
    {
        DeliveryPreferences prefs;
        const QDateTime now(QDate(2026, 11, 23), QTime(12, 0), Qt::UTC);
        prefs.setDoNotDisturb(now.addSecs(3600));
        QVERIFY(prefs.isDoNotDisturbActive(now));
        QCOMPARE(prefs.decide(notification(1, u"a"_s, u"c"_s), now),
                 (DeliveryDecision{true, false}));
        // Until a time: afterwards popups come back.
        QVERIFY(!prefs.isDoNotDisturbActive(now.addSecs(3601)));
        QCOMPARE(prefs.decide(notification(1, u"a"_s, u"c"_s), now.addSecs(3601)),
                 (DeliveryDecision{true, true}));
        // Off channels stay off.
        UserPreferences user;
        user.rules = {rule(u"a"_s, u"c"_s, PreferenceRule::Delivery::Off)};
        prefs.setUser(user);
        QCOMPARE(prefs.decide(notification(1, u"a"_s, u"c"_s), now),
                 (DeliveryDecision{false, false}));
    }

    void doNotDisturbUntilTurnedOff()
    {
        DeliveryPreferences prefs;
        prefs.setDoNotDisturb(DeliveryPreferences::Forever);
        QVERIFY(prefs.isDoNotDisturbActive(QDateTime::currentDateTimeUtc().addYears(50)));
        prefs.setDoNotDisturb({});
        QVERIFY(!prefs.isDoNotDisturbActive(QDateTime::currentDateTimeUtc()));
    }
};

QTEST_MAIN(TestDeliveryPreferences)
#include "tst_deliverypreferences.moc"
