// SPDX-License-Identifier: Apache-2.0
#include "model/deliverypreferences.h"
#include "testdata.h"

#include <QTest>

using namespace herald;
using namespace herald::client;
using herald::client::test::notification;
using namespace Qt::StringLiterals;

class TestDeliveryPreferences : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void perChannelChoice_data()
    {
        QTest::addColumn<QString>("delivery");
        QTest::addColumn<bool>("list");
        QTest::addColumn<bool>("popup");
        QTest::newRow("popup") << u"popup"_s << true << true;
        QTest::newRow("list only") << u"list"_s << true << false;
        QTest::newRow("off") << u"off"_s << false << false;
    }
    void perChannelChoice()
    {
        QFETCH(QString, delivery);
        QFETCH(bool, list);
        QFETCH(bool, popup);
        DeliveryPreferences prefs;
        prefs.setDelivery(u"web/deploys"_s, *deliveryFromName(delivery));
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QCOMPARE(prefs.decide(notification(1, u"web"_s, u"deploys"_s), now),
                 (DeliveryDecision{list, popup}));
        // Other channels keep the default.
        QCOMPARE(prefs.decide(notification(2, u"web"_s, u"alerts"_s), now),
                 (DeliveryDecision{true, true}));
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
        prefs.setDelivery(u"a/c"_s, Delivery::Off);
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

    void namesRoundTrip()
    {
        for (Delivery d : {Delivery::Popup, Delivery::ListOnly, Delivery::Off})
            QCOMPARE(deliveryFromName(deliveryName(d)), d);
        QVERIFY(!deliveryFromName(u"loud"_s));
    }
};

QTEST_MAIN(TestDeliveryPreferences)
#include "tst_deliverypreferences.moc"
