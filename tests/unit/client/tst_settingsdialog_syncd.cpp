// SPDX-License-Identifier: Apache-2.0
// The settings dialog, offscreen, over a PreferencesController and a SyncSession connected to
// a real herald-syncd on 127.0.0.1: it shows what the server holds, saves the user's edits there,
// shows the server's field errors next to their field, follows another device's change (or
// says it came while the user was editing), and offline shows the stored copy and refuses to
// save.
#include "apihelpers.h"
#include "app/preferencescontroller.h"
#include "httpclient.h"
#include "net/preferencesrest.h"
#include "session/syncsession.h"
#include "settings/clientsettings.h"
#include "syncdprocess.h"
#include "ui/deliveryeditor.h"
#include "ui/settingsdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <memory>

using namespace herald;
using namespace herald::client;
using namespace herald::test;
using namespace Qt::StringLiterals;

// The dialog's icons are compiled into herald_client_core; a static library's resources are
// registered by name, outside any namespace.
static void initResources()
{
    Q_INIT_RESOURCE(client);
}

namespace {
constexpr int Timeout = 15000;

template <typename T> T *child(QWidget *dialog, const QString &name)
{
    auto *widget = dialog->findChild<T *>(name);
    if (!widget)
        qWarning() << "no" << name << "in the dialog";
    return widget;
}

QString labelText(QWidget *dialog, const QString &name)
{
    const auto *label = child<QLabel>(dialog, name);
    return label && label->isVisibleTo(dialog) ? label->text() : QString();
}

void choose(QComboBox *combo, const QVariant &data)
{
    const int index = combo->findData(data);
    QVERIFY2(index >= 0, qPrintable(data.toString()));
    combo->setCurrentIndex(index);
}
} // namespace

class TestSettingsDialogSyncd : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        initResources();
        const QString seeded = m_syncd.seed(u"demo"_s, {u"alerts"_s, u"ops"_s}, {u"alice"_s});
        QVERIFY2(seeded.isEmpty(), qPrintable(seeded));
        m_token = m_syncd.createToken(u"user"_s, {u"--user"_s, u"alice"_s});
        QVERIFY2(m_syncd.start(), qPrintable(m_syncd.errorString()));
        m_alice.setBaseUrl(m_syncd.httpUrl());
        m_alice.setToken(m_token);

        m_settings = std::make_unique<ClientSettings>(m_dir.filePath(u"herald.ini"_s));
        m_settings->setServerUrl(m_syncd.httpUrl());
        m_settings->setUser(u"alice"_s);
        m_settings->setSubscriptions({u"demo/alerts"_s, u"demo/ops"_s});
        m_controller =
            std::make_unique<PreferencesController>(m_settings.get(), new PreferencesRest(&m_nam));
        SyncSessionConfig config;
        config.servers = {m_syncd.wsUrl()};
        config.user = u"alice"_s;
        config.token = m_token;
        config.clientId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        config.subscriptions = m_settings->protocolSubscriptions();
        m_session = std::make_unique<SyncSession>(config);
        m_controller->setSession(m_session.get());
        m_session->start();
        QTRY_COMPARE_WITH_TIMEOUT(m_controller->state(), PreferencesController::State::Online,
                                  Timeout);
    }
    void init()
    {
        QCOMPARE(m_alice.put(u"/api/v1/preferences"_s, QJsonObject{}).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(m_controller->preferences(), UserPreferences(), Timeout);
        m_dialog = std::make_unique<SettingsDialog>(
            SettingsDialog::Values{
                u"alice on the test server"_s, {u"demo/alerts"_s, u"demo/ops"_s}, 5, false},
            m_controller.get());
        m_dialog->show();
    }
    void cleanup()
    {
        m_dialog.reset();
        m_syncd.dumpLogIfFailed();
    }

    void editsAreSavedOnTheServer()
    {
        QVERIFY(labelText(m_dialog.get(), u"state"_s).contains(u"same on all your devices"_s));
        QCOMPARE(child<QComboBox>(m_dialog.get(), u"timeZone"_s)->currentText(), u"UTC"_s);
        DeliveryEditor *editor = m_dialog->deliveryEditor();
        QVERIFY(editor->selectRow(u"demo"_s, u"ops"_s));
        choose(child<QComboBox>(m_dialog.get(), u"delivery"_s), u"off"_s);
        QVERIFY(editor->selectRow(u"demo"_s, u"alerts"_s));
        choose(child<QComboBox>(m_dialog.get(), u"delivery"_s), u"digest"_s);
        choose(child<QComboBox>(m_dialog.get(), u"period"_s), u"2"_s); // weekly
        choose(child<QComboBox>(m_dialog.get(), u"weekday"_s), int(Qt::Friday));
        child<QCheckBox>(m_dialog.get(), u"emailAgent"_s)->setChecked(false);
        QTest::keyClicks(child<QLineEdit>(m_dialog.get(), u"email"_s), u"alice@example.org"_s);
        child<QComboBox>(m_dialog.get(), u"timeZone"_s)->setCurrentText(u"Europe/Berlin"_s);
        QTest::mouseClick(child<QPushButton>(m_dialog.get(), u"save"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!m_dialog->isVisible(), Timeout);
        QCOMPARE(m_dialog->result(), int(QDialog::Accepted));

        const QJsonObject stored = m_alice.get(u"/api/v1/preferences"_s).object();
        QCOMPARE(stored[u"timezone"_s].toString(), u"Europe/Berlin"_s);
        QCOMPARE(stored[u"email"_s].toString(), u"alice@example.org"_s);
        const QJsonArray rules = stored[u"rules"_s].toArray();
        QCOMPARE(rules.size(), 2);
        QCOMPARE(rules[0].toObject(),
                 (QJsonObject{{u"application"_s, u"demo"_s},
                              {u"channel"_s, u"ops"_s},
                              {u"delivery"_s, u"off"_s},
                              {u"agents"_s, QJsonArray{u"desktop"_s, u"email"_s, u"feed"_s}}}));
        QCOMPARE(rules[1].toObject(),
                 (QJsonObject{{u"application"_s, u"demo"_s},
                              {u"channel"_s, u"alerts"_s},
                              {u"delivery"_s, u"digest"_s},
                              {u"digest"_s, u"weekly@fri@08:00"_s},
                              {u"agents"_s, QJsonArray{u"desktop"_s, u"feed"_s}}}));
    }

    void theServersFieldErrorsShowWhereTheyBelong()
    {
        UserPreferences desktopOnly;
        PreferenceRule ops;
        ops.application = u"demo"_s;
        ops.channel = u"ops"_s;
        ops.agents = {u"desktop"_s};
        desktopOnly.rules = {ops};
        QCOMPARE(m_alice.put(u"/api/v1/preferences"_s, desktopOnly.toJson()).status, 200);
        DeliveryEditor *editor = m_dialog->deliveryEditor();
        QTRY_COMPARE_WITH_TIMEOUT(editor->draft().base(), desktopOnly, Timeout);

        // A rule that reaches nobody: the server names rules[0].agents; its row says why.
        QVERIFY(editor->selectRow(u"demo"_s, u"ops"_s));
        child<QCheckBox>(m_dialog.get(), u"desktop"_s)->setChecked(false);
        QTest::mouseClick(child<QPushButton>(m_dialog.get(), u"save"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!labelText(m_dialog.get(), u"ruleError"_s).isEmpty(), Timeout);
        QCOMPARE(labelText(m_dialog.get(), u"ruleError"_s), u"a list of desktop, email and feed"_s);
        QCOMPARE(labelText(m_dialog.get(), u"errors"_s),
                 u"ops: a list of desktop, email and feed"_s);
        QVERIFY(m_dialog->isVisible());

        // The address, under its field; the row's error goes with the next save.
        child<QCheckBox>(m_dialog.get(), u"desktop"_s)->setChecked(true);
        QTest::keyClicks(child<QLineEdit>(m_dialog.get(), u"email"_s), u"not an address"_s);
        QTest::mouseClick(child<QPushButton>(m_dialog.get(), u"save"_s), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(labelText(m_dialog.get(), u"emailError"_s),
                                  u"a bare address (local@domain): no spaces, line breaks or "
                                  "non-ASCII characters"_s,
                                  Timeout);
        QVERIFY(labelText(m_dialog.get(), u"ruleError"_s).isEmpty());
        QVERIFY(m_dialog->isVisible());
        QCOMPARE(UserPreferences::fromJson(m_alice.get(u"/api/v1/preferences"_s).object()),
                 desktopOnly); // nothing refused was stored
    }

    void anotherDevicesChangeUpdatesTheOpenDialog()
    {
        UserPreferences other;
        other.timeZone = u"Asia/Tokyo"_s;
        QCOMPARE(m_alice.put(u"/api/v1/preferences"_s, other.toJson()).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(child<QComboBox>(m_dialog.get(), u"timeZone"_s)->currentText(),
                                  u"Asia/Tokyo"_s, Timeout);
        QVERIFY(labelText(m_dialog.get(), u"state"_s).contains(u"another device"_s));
        QVERIFY(!child<QWidget>(m_dialog.get(), u"conflict"_s)->isVisible());
    }

    void withUnsavedEditsTheDialogSaysSoAndKeepsThem()
    {
        auto *email = child<QLineEdit>(m_dialog.get(), u"email"_s);
        QTest::keyClicks(email, u"alice@example.org"_s);
        UserPreferences other;
        other.timeZone = u"Asia/Tokyo"_s;
        QCOMPARE(m_alice.put(u"/api/v1/preferences"_s, other.toJson()).status, 200);
        auto *conflict = child<QWidget>(m_dialog.get(), u"conflict"_s);
        QTRY_VERIFY_WITH_TIMEOUT(conflict->isVisible(), Timeout);
        QCOMPARE(email->text(), u"alice@example.org"_s);
        QCOMPARE(child<QComboBox>(m_dialog.get(), u"timeZone"_s)->currentText(), u"UTC"_s);
        QTest::mouseClick(child<QPushButton>(m_dialog.get(), u"discard"_s), Qt::LeftButton);
        QVERIFY(!conflict->isVisible());
        QCOMPARE(email->text(), QString());
        QCOMPARE(child<QComboBox>(m_dialog.get(), u"timeZone"_s)->currentText(), u"Asia/Tokyo"_s);
    }

    // Last: stops the daemon.
    void offlineShowsTheCopyAndRefusesToSave()
    {
        UserPreferences stored;
        stored.timeZone = u"Europe/Paris"_s;
        QCOMPARE(m_alice.put(u"/api/v1/preferences"_s, stored.toJson()).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(child<QComboBox>(m_dialog.get(), u"timeZone"_s)->currentText(),
                                  u"Europe/Paris"_s, Timeout);
        QCOMPARE(m_syncd.terminate(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(labelText(m_dialog.get(), u"state"_s).startsWith(u"Offline"_s),
                                 Timeout);
        QTest::keyClicks(child<QLineEdit>(m_dialog.get(), u"email"_s), u"alice@example.org"_s);
        QTest::mouseClick(child<QPushButton>(m_dialog.get(), u"save"_s), Qt::LeftButton);
        QVERIFY(m_dialog->isVisible());
        QVERIFY(labelText(m_dialog.get(), u"saveError"_s).contains(u"offline"_s));

        // A new dialog while offline shows the stored copy.
        SettingsDialog later(SettingsDialog::Values{}, m_controller.get());
        later.show();
        QCOMPARE(child<QComboBox>(&later, u"timeZone"_s)->currentText(), u"Europe/Paris"_s);
        QVERIFY(labelText(&later, u"state"_s).startsWith(u"Offline: this is the copy"_s));

        // Back online, the edit that stayed in the first dialog saves.
        QVERIFY(m_syncd.restart());
        m_alice.setBaseUrl(m_syncd.httpUrl());
        SyncSessionConfig config = m_session->config();
        config.servers = {m_syncd.wsUrl()};
        m_session->setConfig(config);
        m_session->start();
        QTRY_COMPARE_WITH_TIMEOUT(m_controller->state(), PreferencesController::State::Online,
                                  Timeout);
        QTest::mouseClick(child<QPushButton>(m_dialog.get(), u"save"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!m_dialog->isVisible(), Timeout);
        QCOMPARE(m_alice.get(u"/api/v1/preferences"_s).object()[u"email"_s].toString(),
                 u"alice@example.org"_s);
    }

private:
    SyncdProcess m_syncd;
    HttpClient m_alice;
    QString m_token;
    QTemporaryDir m_dir;
    QNetworkAccessManager m_nam;
    std::unique_ptr<ClientSettings> m_settings;
    std::unique_ptr<PreferencesController> m_controller;
    std::unique_ptr<SyncSession> m_session;
    std::unique_ptr<SettingsDialog> m_dialog;
};

QTEST_MAIN(TestSettingsDialogSyncd)
#include "tst_settingsdialog_syncd.moc"
