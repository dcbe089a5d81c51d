// SPDX-License-Identifier: Apache-2.0
#include "settings/clientsettings.h"

#include "model/deliverypreferences.h"

#include <QFile>
#include <QSettings>
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
        const QJsonObject copy{{u"timezone"_s, u"Europe/Berlin"_s}};
        const QDateTime confirmed(QDate(2026, 12, 3), QTime(9, 30), Qt::UTC);
        {
            ClientSettings settings(file);
            settings.setServerUrl(QUrl(u"http://127.0.0.1:8080"_s));
            settings.setUser(u"alice"_s);
            settings.setSubscriptions({u"demo/alerts"_s});
            settings.setDoNotDisturbUntil(DeliveryPreferences::Forever);
            settings.setPreferencesCopy(copy, confirmed);
            settings.setSummaryThreshold(7);
            settings.setLastSeenId(123456789012345);
            QVERIFY(!settings.clientId().isEmpty());
            settings.sync();
        }
        ClientSettings settings(file);
        QVERIFY(settings.isConfigured());
        QCOMPARE(settings.doNotDisturbUntil(), DeliveryPreferences::Forever);
        QCOMPARE(settings.preferencesCopy()->preferences, copy);
        QCOMPARE(settings.preferencesCopy()->confirmed, confirmed);
        QCOMPARE(settings.summaryThreshold(), 7);
        QCOMPARE(settings.lastSeenId(), 123456789012345);
        const QString id = settings.clientId();
        QCOMPARE(ClientSettings(file).clientId(), id);

        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(!text.contains("token"));
    }

    void thePreferencesCopyIsForItsOwnUserAndServer()
    {
        QTemporaryDir dir;
        ClientSettings settings(dir.filePath(u"herald.ini"_s));
        settings.setServerUrl(QUrl(u"http://a.example:8080"_s));
        settings.setUser(u"alice"_s);
        settings.setPreferencesCopy({{u"timezone"_s, u"UTC"_s}}, QDateTime::currentDateTimeUtc());
        QVERIFY(settings.preferencesCopy());
        settings.setUser(u"bob"_s);
        QVERIFY(!settings.preferencesCopy()); // another user's preferences are not bob's
        settings.setUser(u"alice"_s);
        settings.setServerUrl(QUrl(u"http://b.example:8080"_s));
        QVERIFY(!settings.preferencesCopy());
    }

    void theOldChannelSwitchesAreReadUntilMigrated()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(u"herald.ini"_s);
        {
            // As Herald 0.2 wrote them.
            QSettings old(file, QSettings::IniFormat);
            old.setValue(u"Delivery/demo:alerts"_s, u"list"_s);
            old.setValue(u"Delivery/demo:ops"_s, u"off"_s);
            old.setValue(u"DoNotDisturb/until"_s, u"forever"_s);
        }
        ClientSettings settings(file);
        QVERIFY(!settings.isLegacyDeliveryMigrated());
        const QMap<QString, QString> expected{{u"demo/alerts"_s, u"list"_s},
                                              {u"demo/ops"_s, u"off"_s}};
        QCOMPARE(settings.legacyDelivery(), expected);
        settings.finishLegacyDeliveryMigration();
        settings.sync();
        ClientSettings again(file);
        QVERIFY(again.isLegacyDeliveryMigrated());
        QVERIFY(again.legacyDelivery().isEmpty());
        QCOMPARE(again.doNotDisturbUntil(), DeliveryPreferences::Forever); // this device's
    }

    void doNotDisturbUntilATimeRoundTrips()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(u"herald.ini"_s);
        const QDateTime until = QDateTime::currentDateTimeUtc().addSecs(600);
        ClientSettings(file).setDoNotDisturbUntil(until);
        QCOMPARE(ClientSettings(file).doNotDisturbUntil(), until);
        ClientSettings(file).setDoNotDisturbUntil({});
        QVERIFY(!ClientSettings(file).doNotDisturbUntil().isValid());
    }
};

QTEST_MAIN(TestClientSettings)
#include "tst_clientsettings.moc"
