// SPDX-License-Identifier: Apache-2.0
#include "application.h"

#include "app/accountcontroller.h"
#include "app/applog.h"
#include "app/deliverycontroller.h"
#include "app/inboxcontroller.h"
#include "app/preferencescontroller.h"
#include "credentials/keychainprocessstore.h"
#include "model/notificationlistmodel.h"
#include "net/catalogfetcher.h"
#include "net/inboxrest.h"
#include "net/networkwatcher.h"
#include "net/preferencesrest.h"
#include "net/serverprobe.h"
#include "notify/notifier.h"
#include "notify/notifierfactory.h"
#include "session/syncsession.h"
#include "settings/clientsettings.h"
#include "tray/trayicon.h"
#include "ui/listwindow.h"
#include "ui/settingsdialog.h"
#include "ui/setupdialog.h"

#include <QApplication>
#include <QDesktopServices>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaEnum>
#include <QNetworkAccessManager>
#include <QSystemTrayIcon>

using namespace Qt::StringLiterals;

namespace herald::client {

Application::Application(CommandLine commandLine, std::unique_ptr<ClientSettings> settings,
                         QObject *parent)
    : QObject(parent), m_commandLine(std::move(commandLine)), m_settings(std::move(settings)),
      m_autostart(QApplication::applicationFilePath()), m_nam(new QNetworkAccessManager(this)),
      m_probe(new ServerProbe(m_nam, this)), m_catalog(new CatalogFetcher(m_nam, this)),
      m_model(new NotificationListModel(this)), m_tray(new TrayIcon(m_model, this)),
      m_network(new NetworkWatcher(this)),
      m_account(new AccountController(m_settings.get(), KeychainProcessStore::createForPlatform(),
                                      m_network, this)),
      m_preferences(new PreferencesController(m_settings.get(), new PreferencesRest(m_nam), this))
{
    const auto environment = NotifierFactory::probe(m_settings->notifierBackend());
    const auto backend = NotifierFactory::choose(environment);
    m_notifier = NotifierFactory::create(backend, m_tray->systemTrayIcon(), this);
    qCInfo(lcApp) << "popups through" << m_notifier->backendName();

    m_dndTimer.setSingleShot(true);
    connect(&m_dndTimer, &QTimer::timeout, this, [this] { setDoNotDisturb({}); });

    connect(m_tray, &TrayIcon::showListRequested, this, [this] { showList(); });
    connect(m_tray, &TrayIcon::settingsRequested, this, &Application::openSettings);
    connect(m_tray, &TrayIcon::quitRequested, qApp, &QApplication::quit);
    connect(m_tray, &TrayIcon::markAllReadRequested, this, [this] {
        if (m_delivery)
            m_delivery->markAllRead();
    });
    connect(m_tray, &TrayIcon::notificationChosen, this, &Application::onNotificationChosen);
    connect(m_tray, &TrayIcon::doNotDisturbRequested, this, &Application::setDoNotDisturb);
    connect(m_notifier, &Notifier::openUrlRequested, this, &Application::openUrl);
    connect(m_notifier, &Notifier::activated, this, &Application::onPopupActivated);
    connect(m_preferences, &PreferencesController::preferencesChanged, this,
            [this](const UserPreferences &preferences) {
                if (m_delivery)
                    m_delivery->setUserPreferences(preferences);
            });
    connect(m_model, &NotificationListModel::unreadCountChanged, this,
            &Application::updateTrayState);

    connect(m_account, &AccountController::connectionChanged, this, &Application::updateTrayState);
    connect(m_account, &AccountController::setupNeeded, this, &Application::openSetup);
    connect(m_account, &AccountController::tokenNotStored, this, [this](const QString &reason) {
        m_tray->systemTrayIcon()->showMessage(
            tr("No keychain"),
            tr("The token could not be stored in the system keychain (%1). Herald keeps it "
               "only while it runs and will ask for it at the next start.")
                .arg(reason),
            QSystemTrayIcon::Warning);
    });
    connect(m_account, &AccountController::sessionReplaced, this, &Application::onSessionReplaced);
    onSessionReplaced(m_account->session());
    m_network->watchSystem();
}

Application::~Application()
{
    delete m_list;
    delete m_setup;
    delete m_settingsDialog;
    if (m_settings)
        m_settings->sync();
}

void Application::start()
{
    m_tray->show();
    setDoNotDisturb(m_settings->doNotDisturbUntil());
    updateTrayState();
    m_account->start(m_commandLine);
    // Launched to be seen (the menu entry runs --show) or on a desktop without a tray (GNOME
    // without AppIndicator): the list is then the one window a person can reach.
    if (m_commandLine.action == CommandLine::Action::Show ||
        !QSystemTrayIcon::isSystemTrayAvailable())
        showList();
    if (m_commandLine.action == CommandLine::Action::Settings)
        openSettings();
}

QByteArray Application::handleCommand(const QString &command)
{
    if (command == u"show"_s) {
        showList();
        return "ok";
    }
    if (command == u"quit"_s) {
        QTimer::singleShot(0, qApp, &QApplication::quit);
        return "ok";
    }
    if (command == u"settings"_s) {
        openSettings();
        return "ok";
    }
    if (command == u"status"_s)
        return statusJson();
    return "error: unknown command";
}

void Application::onSessionReplaced(SyncSession *session)
{
    // What the list, the popups and the settings showed belongs to the old session.
    delete m_settingsDialog;
    delete m_delivery;
    delete m_inbox;
    m_model->clear();
    m_tray->setUnseen(-1);
    m_delivery =
        new DeliveryController(session, m_model, m_notifier, m_settings->lastSeenId(), this);
    m_inbox = new InboxController(session, m_model, new InboxRest(m_nam), this);
    connect(m_inbox, &InboxController::unseenCountChanged, m_tray, &TrayIcon::setUnseen);
    connect(m_inbox, &InboxController::rulesChanged, m_delivery,
            &DeliveryController::setRollupRules);
    DeliveryPreferences preferences;
    preferences.setDoNotDisturb(m_settings->doNotDisturbUntil());
    m_delivery->setPreferences(preferences);
    m_preferences->setSession(session);
    m_delivery->setUserPreferences(m_preferences->preferences());
    m_delivery->setSummaryThreshold(m_settings->summaryThreshold());
    connect(m_delivery, &DeliveryController::lastSeenIdChanged, this,
            [this](NotificationId id) { m_settings->setLastSeenId(id); });
    connect(session, &SyncSession::backlogDone, this, [this] {
        qCInfo(lcApp) << "live; unread" << m_model->unreadCount() << "listed"
                      << m_model->totalCount();
    });
}

void Application::openSetup(const QString &message, bool tokenOnly)
{
    if (!m_setup) {
        m_setup = new SetupDialog(m_probe, m_catalog);
        m_setup->setAttribute(Qt::WA_DeleteOnClose);
        SetupDialog::Values values;
        values.server = m_settings->serverUrl();
        values.user = m_settings->user();
        values.subscriptions = m_settings->subscriptions();
        m_setup->setValues(values);
        connect(m_setup, &QDialog::accepted, this, [this] {
            const SetupDialog::Values v = m_setup->values();
            m_account->setUp(v.server, v.user, v.subscriptions, v.token);
        });
    }
    m_setup->setMessage(message);
    if (tokenOnly)
        m_setup->focusToken();
    m_setup->show();
    m_setup->raise();
    m_setup->activateWindow();
}

void Application::openSettings()
{
    if (m_settingsDialog) {
        m_settingsDialog->raise();
        m_settingsDialog->activateWindow();
        return;
    }
    SettingsDialog::Values values;
    values.connection = m_account->connectionText();
    values.channels = m_settings->subscriptions();
    values.summaryThreshold = m_settings->summaryThreshold();
    values.autostart = m_autostart.isEnabled();
    m_settingsDialog = new SettingsDialog(values, m_preferences);
    m_settingsDialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_settingsDialog, &SettingsDialog::changeServerRequested, this,
            [this] { openSetup({}, false); });
    connect(m_settingsDialog, &QDialog::accepted, this, [this] {
        const SettingsDialog::Values v = m_settingsDialog->values();
        m_settings->setSummaryThreshold(v.summaryThreshold);
        m_settings->sync();
        m_delivery->setSummaryThreshold(v.summaryThreshold);
        if (v.autostart != m_autostart.isEnabled() && !m_autostart.setEnabled(v.autostart))
            qCWarning(lcApp) << "could not change start on login";
    });
    // The rows: the subscriptions and the rules at once, the server's catalog when it answers.
    SyncSession *session = m_account->session();
    if (session->isRegistered()) {
        auto *catalog = new CatalogFetcher(m_nam, m_settingsDialog);
        QPointer<SettingsDialog> dialog = m_settingsDialog;
        connect(catalog, &CatalogFetcher::finished, m_settingsDialog,
                [dialog](const CatalogFetcher::Result &result) {
                    if (dialog && result.outcome == CatalogFetcher::Outcome::Ok)
                        dialog->setCatalog(result.channels);
                });
        catalog->fetch(m_settings->serverUrl(), session->config().token);
    }
    m_settingsDialog->show();
    m_settingsDialog->raise();
    m_settingsDialog->activateWindow();
}

void Application::showList(NotificationId select)
{
    if (!m_list) {
        m_list = new ListWindow(m_model);
        connect(m_list, &ListWindow::markReadRequested, this,
                [this](const QList<NotificationId> &ids) { m_delivery->markRead(ids); });
        connect(m_list, &ListWindow::markAllReadRequested, this,
                [this] { m_delivery->markAllRead(); });
        connect(m_list, &ListWindow::openUrlRequested, this, &Application::openUrl);
        connect(m_list, &ListWindow::deleteRequested, this,
                [this](const QList<NotificationId> &ids) { m_inbox->remove(ids); });
        connect(m_list, &ListWindow::deleteAllRequested, this, [this] { m_inbox->removeAll(); });
        m_list->setConnectionText(m_account->connectionText());
    }
    m_list->present();
    // Reading the first page tells the server the user has seen the inbox, on every device.
    m_inbox->openList();
    if (select > 0)
        m_list->select(select);
}

void Application::onPopupActivated(const QList<NotificationId> &ids)
{
    if (ids.size() < 2) {
        showList(ids.value(0));
        return;
    }
    showList();
    m_list->showOnly(ids);
}

void Application::openUrl(const QUrl &url)
{
    // Producers choose the url: only open what a browser or mail client handles.
    static const QStringList allowed{u"http"_s, u"https"_s, u"mailto"_s};
    if (!url.isValid() || !allowed.contains(url.scheme())) {
        qCWarning(lcApp) << "not opening a url with scheme" << url.scheme();
        return;
    }
    QDesktopServices::openUrl(url);
}

void Application::onNotificationChosen(NotificationId id)
{
    const auto notification = m_model->notification(id);
    if (!notification)
        return;
    if (!notification->url.isEmpty())
        openUrl(QUrl(notification->url));
    else
        showList(id);
    m_delivery->markRead({id});
}

void Application::setDoNotDisturb(const QDateTime &until)
{
    DeliveryPreferences prefs = m_delivery->preferences();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime effective = until.isValid() && until > now ? until : QDateTime();
    prefs.setDoNotDisturb(effective);
    m_delivery->setPreferences(prefs);
    m_settings->setDoNotDisturbUntil(effective);
    m_tray->setDoNotDisturbUntil(effective);
    m_dndTimer.stop();
    if (effective.isValid() && effective != DeliveryPreferences::Forever)
        m_dndTimer.start(std::chrono::milliseconds(
            std::min<qint64>(now.msecsTo(effective) + 1000, std::numeric_limits<int>::max())));
    qCInfo(lcApp) << "do not disturb"
                  << (effective.isValid() ? effective.toString(Qt::ISODate) : u"off"_s);
    updateTrayState();
}

void Application::updateTrayState()
{
    const bool dnd =
        m_delivery->preferences().isDoNotDisturbActive(QDateTime::currentDateTimeUtc());
    TrayState state = TrayState::Offline;
    if (m_account->isConnected())
        state = dnd ? TrayState::DoNotDisturb : TrayState::Connected;
    const QString connection = m_account->connectionText();
    m_tray->setState(state, connection);
    if (m_list)
        m_list->setConnectionText(connection);
}

QByteArray Application::statusJson() const
{
    QJsonObject status;
    status.insert(u"running"_s, true);
    status.insert(u"session"_s,
                  QString::fromLatin1(QMetaEnum::fromType<SyncSession::State>().valueToKey(
                      int(m_account->session()->state()))));
    status.insert(u"tray"_s, m_tray->stateName());
    status.insert(u"trayAvailable"_s, QSystemTrayIcon::isSystemTrayAvailable());
    status.insert(u"trayVisible"_s, m_tray->systemTrayIcon()->isVisible());
    status.insert(u"unread"_s, m_model->unreadCount());
    QJsonArray unreadIds; // ascending; for the end-to-end test to compare ids, not counts
    for (NotificationId id : m_model->unreadIds())
        unreadIds.append(double(id));
    status.insert(u"unreadIds"_s, unreadIds);
    status.insert(u"badge"_s, m_tray->shownUnread());
    status.insert(u"unseen"_s, double(m_inbox->unseenCount())); // the server's; -1: not known
    status.insert(u"rollupRules"_s, int(m_inbox->rules().size()));
    status.insert(u"listed"_s, m_model->totalCount());
    status.insert(u"notifier"_s, m_notifier->backendName());
    status.insert(u"popups"_s, m_delivery->popupCount());
    status.insert(u"openPopups"_s, m_notifier->openPopupCount());
    status.insert(u"keychain"_s, AccountController::keychainStateName(m_account->keychainState()));
    status.insert(u"doNotDisturb"_s,
                  m_delivery->preferences().isDoNotDisturbActive(QDateTime::currentDateTimeUtc()));
    status.insert(u"lastNotificationId"_s, double(m_account->session()->lastNotificationId()));
    status.insert(u"settingsFile"_s, m_settings->fileName());
    status.insert(
        u"preferences"_s,
        QString::fromLatin1(QMetaEnum::fromType<PreferencesController::State>().valueToKey(
            int(m_preferences->state()))));
    QJsonArray rules; // "app/channel=delivery", for the end-to-end test
    for (const PreferenceRule &rule : m_preferences->preferences().rules)
        rules.append(QString(channelKey(rule.application, rule.channel) + u'=' +
                             PreferenceRule::deliveryName(rule.delivery)));
    status.insert(u"preferenceRules"_s, rules);
    status.insert(u"settingsOpen"_s, !m_settingsDialog.isNull());
    return QJsonDocument(status).toJson(QJsonDocument::Compact);
}

} // namespace herald::client
