// SPDX-License-Identifier: Apache-2.0
// The user's delivery preferences on the client through the real path: PreferencesController
// with its REST client and a SyncSession, against a real herald-syncd on 127.0.0.1 with a user
// token. Read at register, kept in the settings, another device's change as a frame, saves and
// their field errors, the stored copy offline, and Herald 0.2's per-device channel switches
// moved to the server once.
#include "apihelpers.h"
#include "app/preferencescontroller.h"
#include "httpclient.h"
#include "model/deliverypreferences.h"
#include "net/preferencesrest.h"
#include "session/syncsession.h"
#include "settings/clientsettings.h"
#include "syncdprocess.h"
#include "testdata.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <memory>

using namespace herald;
using namespace herald::client;
using namespace herald::test;
using namespace Qt::StringLiterals;

namespace {
constexpr int Timeout = 15000;

PreferenceRule channelRule(const QString &channel, PreferenceRule::Delivery delivery)
{
    PreferenceRule r;
    r.application = u"demo"_s;
    r.channel = channel;
    r.delivery = delivery;
    if (delivery == PreferenceRule::Delivery::Digest)
        r.digest = u"weekly@mon@09:00"_s;
    return r;
}

// One device: its settings file, a controller and a session.
struct Device
{
    Device(const QString &settingsFile, const QUrl &http, const QUrl &ws, const QString &token)
        : settings(settingsFile)
    {
        settings.setServerUrl(http);
        settings.setUser(u"alice"_s);
        settings.setSubscriptions({u"demo/alerts"_s, u"demo/ops"_s});
        controller = std::make_unique<PreferencesController>(&settings, new PreferencesRest(&nam));
        SyncSessionConfig config;
        config.servers = {ws};
        config.user = u"alice"_s;
        config.token = token;
        config.clientId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        config.subscriptions = settings.protocolSubscriptions();
        session = std::make_unique<SyncSession>(config);
    }
    void connect()
    {
        controller->setSession(session.get());
        session->start();
    }

    ClientSettings settings;
    QNetworkAccessManager nam;
    std::unique_ptr<PreferencesController> controller;
    std::unique_ptr<SyncSession> session;
};
} // namespace

class TestPreferencesControllerSyncd : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        const QString seeded = m_syncd.seed(u"demo"_s, {u"alerts"_s, u"ops"_s}, {u"alice"_s});
        QVERIFY2(seeded.isEmpty(), qPrintable(seeded));
        m_token = m_syncd.createToken(u"user"_s, {u"--user"_s, u"alice"_s});
        QVERIFY2(m_syncd.start(), qPrintable(m_syncd.errorString()));
        m_alice.setBaseUrl(m_syncd.httpUrl());
        m_alice.setToken(m_token);
    }
    void init() { QVERIFY(m_alice.put(u"/api/v1/preferences"_s, QJsonObject{}).status == 200); }
    void cleanup() { m_syncd.dumpLogIfFailed(); }

    void readsThemAtRegisterAndKeepsACopy()
    {
        Device device = newDevice();
        QCOMPARE(device.controller->state(), PreferencesController::State::Offline);
        QVERIFY(!device.controller->isKnown());
        device.connect();
        QTRY_COMPARE_WITH_TIMEOUT(device.controller->state(), PreferencesController::State::Online,
                                  Timeout);
        QCOMPARE(device.controller->preferences(), UserPreferences());
        QVERIFY(device.controller->isKnown());
        QVERIFY(device.settings.preferencesCopy());
        // No old switches: the migration is done at once, and never asked for again.
        QVERIFY(device.settings.isLegacyDeliveryMigrated());
    }

    void anotherDevicesChangeArrivesAsAFrame()
    {
        Device device = newDevice();
        device.connect();
        QTRY_COMPARE_WITH_TIMEOUT(device.controller->state(), PreferencesController::State::Online,
                                  Timeout);
        QSignalSpy changed(device.controller.get(), &PreferencesController::preferencesChanged);
        UserPreferences other;
        other.timeZone = u"Asia/Tokyo"_s;
        other.rules = {channelRule(u"ops"_s, PreferenceRule::Delivery::Off)};
        QCOMPARE(m_alice.put(u"/api/v1/preferences"_s, other.toJson()).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(device.controller->preferences(), other, Timeout);
        QCOMPARE(changed.last().at(1).value<PreferencesController::Source>(),
                 PreferencesController::Source::OtherDevice);
        QCOMPARE(UserPreferences::fromJson(device.settings.preferencesCopy()->preferences), other);
    }

    void savesWhatTheServerTakesAndNamesTheFieldItRefuses()
    {
        Device device = newDevice();
        device.connect();
        QTRY_COMPARE_WITH_TIMEOUT(device.controller->state(), PreferencesController::State::Online,
                                  Timeout);
        QSignalSpy finished(device.controller.get(), &PreferencesController::saveFinished);
        UserPreferences wanted;
        wanted.email = u"alice@example.org"_s;
        wanted.rules = {channelRule(u"alerts"_s, PreferenceRule::Delivery::Digest)};
        QVERIFY(device.controller->save(wanted));
        QVERIFY(!device.controller->save(wanted)); // one save at a time
        QVERIFY(finished.wait(Timeout));
        QCOMPARE(finished.last().at(0).toBool(), true);
        QCOMPARE(UserPreferences::fromJson(m_alice.get(u"/api/v1/preferences"_s).object()), wanted);

        UserPreferences bad = wanted;
        bad.rules.append(channelRule(u"ops"_s, PreferenceRule::Delivery::Digest));
        bad.rules.last().digest = u"daily@25:00"_s;
        QVERIFY(device.controller->save(bad));
        QVERIFY(finished.wait(Timeout));
        QCOMPARE(finished.last().at(0).toBool(), false);
        const auto error = finished.last().at(2).value<FieldError>();
        QCOMPARE(error.path, u"rules[1].digest"_s);
        QVERIFY2(error.message.contains(u"daily@HH:MM"_s), qPrintable(error.message));
        QCOMPARE(UserPreferences::fromJson(m_alice.get(u"/api/v1/preferences"_s).object()), wanted);
        QCOMPARE(device.controller->preferences(), wanted);
    }

    void offlineTheStoredCopyAppliesAndNothingIsSaved()
    {
        UserPreferences stored;
        stored.rules = {channelRule(u"ops"_s, PreferenceRule::Delivery::Off)};
        QCOMPARE(m_alice.put(u"/api/v1/preferences"_s, stored.toJson()).status, 200);
        const QString file = m_dir.filePath(u"offline.ini"_s);
        {
            Device online(file, m_syncd.httpUrl(), m_syncd.wsUrl(), m_token);
            online.connect();
            QTRY_COMPARE_WITH_TIMEOUT(online.controller->preferences(), stored, Timeout);
        }
        // The next start, with the server out of reach.
        Device offline(file, m_syncd.httpUrl(), QUrl(u"ws://127.0.0.1:1/api/v1/ws"_s), m_token);
        offline.connect();
        QCOMPARE(offline.controller->preferences(), stored);
        QVERIFY(offline.controller->isKnown());
        QVERIFY(offline.controller->confirmed().isValid());
        QTest::qWait(300);
        QCOMPARE(offline.controller->state(), PreferencesController::State::Offline);
        QVERIFY(!offline.controller->save(UserPreferences()));
        DeliveryPreferences decide;
        decide.setUser(offline.controller->preferences());
        QCOMPARE(decide.decide(herald::client::test::notification(1, u"demo"_s, u"ops"_s), {}),
                 (DeliveryDecision{false, false}));
    }

    void movesTheOldChannelSwitchesToTheServerOnce()
    {
        // alice set a digest for demo/alerts on the server already (on another device).
        UserPreferences server;
        server.rules = {channelRule(u"alerts"_s, PreferenceRule::Delivery::Digest)};
        QCOMPARE(m_alice.put(u"/api/v1/preferences"_s, server.toJson()).status, 200);
        const QString file = m_dir.filePath(u"upgraded.ini"_s);
        {
            QSettings old(file, QSettings::IniFormat); // as Herald 0.2 left it
            old.setValue(u"Delivery/demo:ops"_s, u"off"_s);
            old.setValue(u"Delivery/demo:alerts"_s, u"list"_s);
            old.setValue(u"Delivery/demo:deploys"_s, u"popup"_s);
        }
        {
            Device device(file, m_syncd.httpUrl(), m_syncd.wsUrl(), m_token);
            // Until the server has them, the old switches apply here.
            QCOMPARE(device.controller->preferences().ruleFor(u"demo"_s, u"ops"_s).delivery,
                     PreferenceRule::Delivery::Off);
            QSignalSpy migrated(device.controller.get(), &PreferencesController::legacyMigrated);
            device.connect();
            QVERIFY(migrated.wait(Timeout));
            QCOMPARE(migrated.first().at(0).toInt(), 1); // demo/alerts had a rule already
            const auto stored =
                UserPreferences::fromJson(m_alice.get(u"/api/v1/preferences"_s).object());
            QVERIFY(stored);
            QCOMPARE(stored->rules.size(), 2);
            QCOMPARE(stored->rules[0], server.rules[0]); // the server's own rule won
            QCOMPARE(stored->rules[1], channelRule(u"ops"_s, PreferenceRule::Delivery::Off));
            QCOMPARE(device.controller->preferences(), *stored);
            QVERIFY(device.settings.legacyDelivery().isEmpty());
            QVERIFY(device.settings.isLegacyDeliveryMigrated());
        }
        // Never again: alice clears the rules on the server; an old switch that comes back into
        // the file (an old client run once more) is not moved again.
        QCOMPARE(m_alice.put(u"/api/v1/preferences"_s, QJsonObject{}).status, 200);
        {
            QSettings old(file, QSettings::IniFormat);
            old.setValue(u"Delivery/demo:ops"_s, u"off"_s);
        }
        Device again(file, m_syncd.httpUrl(), m_syncd.wsUrl(), m_token);
        QSignalSpy migrated(again.controller.get(), &PreferencesController::legacyMigrated);
        again.connect();
        QTRY_COMPARE_WITH_TIMEOUT(again.controller->state(), PreferencesController::State::Online,
                                  Timeout);
        QTest::qWait(300);
        QCOMPARE(migrated.size(), 0);
        QCOMPARE(m_alice.get(u"/api/v1/preferences"_s).object()[u"rules"_s].toArray().size(), 0);
    }

private:
    Device newDevice()
    {
        return Device(m_dir.filePath(u"device-%1.ini"_s.arg(++m_devices)), m_syncd.httpUrl(),
                      m_syncd.wsUrl(), m_token);
    }

    SyncdProcess m_syncd;
    HttpClient m_alice;
    QString m_token;
    QTemporaryDir m_dir;
    int m_devices = 0;
};

QTEST_MAIN(TestPreferencesControllerSyncd)
#include "tst_preferencescontroller_syncd.moc"
