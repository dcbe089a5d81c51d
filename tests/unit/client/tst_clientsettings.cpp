// SPDX-License-Identifier: Apache-2.0
#include "settings/clientsettings.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace herald;
using namespace herald::client;
using namespace Qt::StringLiterals;

class TestClientSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void normalizesServerUrls_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("url");
        QTest::newRow("host:port") << u"127.0.0.1:8080"_s << u"http://127.0.0.1:8080"_s;
        QTest::newRow("http") << u"http://h:1/"_s << u"http://h:1"_s;
        QTest::newRow("ws") << u"ws://h:1/api/v1/ws"_s << u"http://h:1"_s;
        QTest::newRow("wss") << u"wss://h.example"_s << u"https://h.example"_s;
        QTest::newRow("prefix") << u"https://h.example/herald/"_s << u"https://h.example/herald"_s;
        QTest::newRow("ftp") << u"ftp://h"_s << QString();
        QTest::newRow("empty") << u"  "_s << QString();
    }
    void normalizesServerUrls()
    {
        QFETCH(QString, input);
        QFETCH(QString, url);
        QCOMPARE(ClientSettings::normalizedServerUrl(input).toString(), url);
    }

    void webSocketUrlFollowsScheme()
    {
        QCOMPARE(ClientSettings::webSocketUrl(QUrl(u"http://h:8080"_s)).toString(),
                 u"ws://h:8080/api/v1/ws"_s);
        QCOMPARE(ClientSettings::webSocketUrl(QUrl(u"https://h.example/herald"_s)).toString(),
                 u"wss://h.example/herald/api/v1/ws"_s);
    }

    void fallbackServersRoundTripAndSkipInvalidOnes()
    {
        QTemporaryDir dir;
        {
            ClientSettings settings(dir.filePath(u"herald.ini"_s));
            QCOMPARE(settings.fallbackServerUrls(), QList<QUrl>());
            settings.setFallbackServerUrls(
                {QUrl(u"http://b.example:8080"_s), QUrl(u"https://c.example"_s)});
            settings.sync();
        }
        ClientSettings again(dir.filePath(u"herald.ini"_s));
        QCOMPARE(again.fallbackServerUrls(),
                 (QList<QUrl>{QUrl(u"http://b.example:8080"_s), QUrl(u"https://c.example"_s)}));
    }

    void subscriptionsBecomeRegisterEntries()
    {
        QTemporaryDir dir;
        ClientSettings settings(dir.filePath(u"herald.ini"_s));
        settings.setSubscriptions(
            {u"web/deploys"_s, u"db/ops"_s, u"web/alerts"_s, u"web/alerts"_s, u"bad"_s});
        const QList<Subscription> subs = settings.protocolSubscriptions();
        QCOMPARE(subs.size(), 2);
        QCOMPARE(subs[0], (Subscription{u"db"_s, {u"ops"_s}}));
        QCOMPARE(subs[1], (Subscription{u"web"_s, {u"alerts"_s, u"deploys"_s}}));
    }

    void preferencesPersistAndTheTokenNever()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(u"herald.ini"_s);
        {
            ClientSettings settings(file);
            settings.setServerUrl(QUrl(u"http://127.0.0.1:8080"_s));
            settings.setUser(u"alice"_s);
            settings.setSubscriptions({u"demo/alerts"_s});
            DeliveryPreferences prefs;
            prefs.setDelivery(u"demo/alerts"_s, Delivery::ListOnly);
            prefs.setDelivery(u"demo/ops"_s, Delivery::Off);
            prefs.setDoNotDisturb(DeliveryPreferences::Forever);
            settings.setDeliveryPreferences(prefs);
            settings.setSummaryThreshold(7);
            settings.setLastSeenId(123456789012345);
            QVERIFY(!settings.clientId().isEmpty());
            settings.sync();
        }
        ClientSettings settings(file);
        QVERIFY(settings.isConfigured());
        const DeliveryPreferences prefs = settings.deliveryPreferences();
        QCOMPARE(prefs.delivery(u"demo"_s, u"alerts"_s), Delivery::ListOnly);
        QCOMPARE(prefs.delivery(u"demo"_s, u"ops"_s), Delivery::Off);
        QCOMPARE(prefs.delivery(u"demo"_s, u"other"_s), Delivery::Popup);
        QCOMPARE(prefs.doNotDisturbUntil(), DeliveryPreferences::Forever);
        QCOMPARE(settings.summaryThreshold(), 7);
        QCOMPARE(settings.lastSeenId(), 123456789012345);
        const QString id = settings.clientId();
        QCOMPARE(ClientSettings(file).clientId(), id);

        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(!text.contains("token"));
    }

    void doNotDisturbUntilATimeRoundTrips()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(u"herald.ini"_s);
        const QDateTime until = QDateTime::currentDateTimeUtc().addSecs(600);
        {
            ClientSettings settings(file);
            DeliveryPreferences prefs;
            prefs.setDoNotDisturb(until);
            settings.setDeliveryPreferences(prefs);
        }
        QCOMPARE(ClientSettings(file).deliveryPreferences().doNotDisturbUntil(),
                 until.addMSecs(-until.time().msec()).addMSecs(until.time().msec()));
    }
};

QTEST_MAIN(TestClientSettings)
#include "tst_clientsettings.moc"
