#include "application.h"

#include "app/deliverycontroller.h"
#include "app/singleinstance.h"
#include "config-herald.h"
#include "credentials/tokenstore.h"
#include "model/notificationlistmodel.h"
#include "net/catalogfetcher.h"
#include "net/networkwatcher.h"
#include "net/serverprobe.h"
#include "notify/notifier.h"
#include "notify/notifierfactory.h"
#include "settings/clientsettings.h"
#include "tray/trayicon.h"
#include "ui/listwindow.h"
#include "ui/settingsdialog.h"
#include "ui/setupdialog.h"

#include <QApplication>
#include <QDesktopServices>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLibraryInfo>
#include <QLocale>
#include <QLoggingCategory>
#include <QMetaEnum>
#include <QNetworkAccessManager>
#include <QSystemTrayIcon>
#include <QTranslator>

#include <cstdio>

using namespace Qt::StringLiterals;

// The icons are compiled into the static library; a static library's resources must be
// registered by name, outside any namespace.
static void initResources()
{
    Q_INIT_RESOURCE(client);
}

namespace herald::client {

namespace {
Q_LOGGING_CATEGORY(lcApp, "herald.client.app")

void installTranslators(QApplication &app)
{
    auto *qt = new QTranslator(&app);
    if (qt->load(QLocale(), u"qtbase"_s, u"_"_s,
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(qt);
    auto *herald = new QTranslator(&app);
    if (herald->load(QLocale(), u"herald"_s, u"_"_s, u":/i18n"_s))
        QApplication::installTranslator(herald);
}

void print(FILE *stream, const QByteArray &text)
{
    std::fputs(text.constData(), stream);
    std::fputc('\n', stream);
    std::fflush(stream);
}
} // namespace

int Application::exec(QApplication &app)
{
    initResources();
    QApplication::setApplicationName(u"herald"_s);
    QApplication::setOrganizationName(u"herald"_s);
    QApplication::setApplicationDisplayName(u"Herald"_s);
    QApplication::setApplicationVersion(QStringLiteral(HERALD_VERSION));
    QApplication::setDesktopFileName(u"herald"_s);
    QApplication::setQuitOnLastWindowClosed(false);
    QApplication::setWindowIcon(QIcon(u":/icons/herald.svg"_s));
    installTranslators(app);

    CommandLine commandLine = CommandLine::parse(QApplication::arguments());
    if (!commandLine.error.isEmpty()) {
        print(stderr, "herald: " + commandLine.error.toUtf8());
        return 2;
    }
    auto settings = std::make_unique<ClientSettings>();
    const QString socket = SingleInstance::socketNameFor(settings->fileName());

    switch (commandLine.action) {
    case CommandLine::Action::Quit:
    case CommandLine::Action::Status: {
        const bool quit = commandLine.action == CommandLine::Action::Quit;
        const auto answer = SingleInstance::send(socket, quit ? u"quit"_s : u"status"_s);
        if (!answer) {
            print(stderr, "herald: no running instance");
            return 1;
        }
        if (!quit)
            print(stdout, *answer);
        return 0;
    }
    case CommandLine::Action::Run:
    case CommandLine::Action::Show:
        if (SingleInstance::send(socket, u"show"_s)) {
            if (commandLine.hasSetup()) {
                print(stderr,
                      "herald: already running; run herald --quit before setting it up again");
                return 1;
            }
            print(stderr, "herald: already running; raised its window");
            return 0;
        }
        break;
    }

    SingleInstance instance(socket);
    instance.listen();
    Application application(commandLine, std::move(settings));
    instance.setHandler(
        [&application](const QString &command) { return application.handleCommand(command); });
    application.start();
    return QApplication::exec();
}

Application::Application(CommandLine commandLine, std::unique_ptr<ClientSettings> settings,
                         QObject *parent)
    : QObject(parent), m_commandLine(std::move(commandLine)), m_settings(std::move(settings)),
      m_autostart(QApplication::applicationFilePath()), m_nam(new QNetworkAccessManager(this)),
      m_tokens(new TokenStore(this)), m_probe(new ServerProbe(m_nam, this)),
      m_catalog(new CatalogFetcher(m_nam, this)), m_model(new NotificationListModel(this)),
      m_tray(new TrayIcon(m_model, this)), m_network(new NetworkWatcher(this))
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
    connect(m_notifier, &Notifier::activated, this,
            [this](const QList<NotificationId> &ids) { showList(ids.value(0)); });
    connect(m_model, &NotificationListModel::unreadCountChanged, this,
            &Application::updateTrayState);

    // A returning network reconnects the session at once (wired in createSession()); a lost
    // one shows the offline state even while the socket has not noticed yet.
    connect(m_network, &NetworkWatcher::networkLost, this, &Application::updateTrayState);
    connect(m_network, &NetworkWatcher::networkReturned, this, &Application::updateTrayState);
    m_network->watchSystem();
    createSession();
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
    const DeliveryPreferences prefs = m_settings->deliveryPreferences();
    setDoNotDisturb(prefs.doNotDisturbUntil());
    updateTrayState();

    if (m_commandLine.hasSetup()) {
        applySetup(ClientSettings::normalizedServerUrl(m_commandLine.server), m_commandLine.user,
                   m_commandLine.subscriptions);
        if (m_commandLine.tokenFromStdin) {
            QFile in;
            if (in.open(stdin, QIODevice::ReadOnly))
                storeToken(QString::fromUtf8(in.readAll()).trimmed());
            return;
        }
    }
    if (!m_settings->isConfigured()) {
        openSetup({}, false);
        return;
    }
    readToken();
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
    if (command == u"status"_s)
        return statusJson();
    return "error: unknown command";
}

void Application::createSession()
{
    delete m_delivery;
    delete m_session;
    m_model->clear();
    m_session = new SyncSession(SyncSessionConfig{}, this);
    m_delivery =
        new DeliveryController(m_session, m_model, m_notifier, m_settings->lastSeenId(), this);
    m_delivery->setPreferences(m_settings->deliveryPreferences());
    m_delivery->setSummaryThreshold(m_settings->summaryThreshold());
    connect(m_delivery, &DeliveryController::lastSeenIdChanged, this,
            [this](NotificationId id) { m_settings->setLastSeenId(id); });
    connect(m_session, &SyncSession::stateChanged, this, &Application::updateTrayState);
    reconnectWhenNetworkReturns(m_network, m_session);
    connect(m_session, &SyncSession::authenticationFailed, this,
            &Application::onAuthenticationFailed);
    connect(m_session, &SyncSession::backlogDone, this, [this] {
        qCInfo(lcApp) << "live; unread" << m_model->unreadCount() << "listed"
                      << m_model->totalCount();
    });
}

void Application::connectSession()
{
    if (m_token.isEmpty() || !m_settings->isConfigured())
        return;
    SyncSessionConfig config;
    config.servers = {ClientSettings::webSocketUrl(m_settings->serverUrl())};
    for (const QUrl &fallback : m_settings->fallbackServerUrls())
        config.servers.append(ClientSettings::webSocketUrl(fallback));
    config.user = m_settings->user();
    config.token = m_token;
    config.clientId = m_settings->clientId();
    config.subscriptions = m_settings->protocolSubscriptions();
    config.fetchLast = m_settings->fetchLast();
    m_authFailed = false;
    m_session->setConfig(config);
    m_session->start();
    updateTrayState();
}

void Application::applySetup(const QUrl &server, const QString &user,
                             const QStringList &subscriptions)
{
    const bool sameServer = server == m_settings->serverUrl() && user == m_settings->user();
    if (!sameServer) {
        // Another server or user: the ids and read state of the old one mean nothing here.
        m_settings->setLastSeenId(0);
        m_session->stop();
        createSession();
    }
    m_settings->setServerUrl(server);
    m_settings->setUser(user);
    m_settings->setSubscriptions(subscriptions);
    m_settings->sync();
}

void Application::storeToken(const QString &token)
{
    m_token = token;
    m_tokens->write(tokenAccount(), token, [this](const TokenStore::Result &result) {
        if (result.status == TokenStore::Status::Ok) {
            m_keychain = u"ok"_s;
        } else {
            m_keychain =
                result.status == TokenStore::Status::NoKeychain ? u"unavailable"_s : u"failed"_s;
            qCWarning(lcApp) << "cannot store the token in the keychain:" << result.message;
            m_tray->systemTrayIcon()->showMessage(
                tr("No keychain"),
                tr("The token could not be stored in the system keychain (%1). Herald keeps it "
                   "only while it runs and will ask for it at the next start.")
                    .arg(result.message),
                QSystemTrayIcon::Warning);
        }
        connectSession();
    });
}

void Application::readToken()
{
    m_tokens->read(tokenAccount(), [this](const TokenStore::Result &result) {
        switch (result.status) {
        case TokenStore::Status::Ok:
            m_keychain = u"ok"_s;
            m_token = result.token;
            connectSession();
            return;
        case TokenStore::Status::NotFound:
            m_keychain = u"ok"_s;
            openSetup(tr("Enter your token: the keychain holds none for %1.").arg(tokenAccount()),
                      true);
            return;
        case TokenStore::Status::NoKeychain:
        case TokenStore::Status::Failed:
            m_keychain = u"unavailable"_s;
            openSetup(tr("No system keychain is available (%1). Herald keeps the token only while "
                         "it runs and asks for it at each start.")
                          .arg(result.message),
                      true);
            return;
        }
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
            applySetup(v.server, v.user, v.subscriptions);
            storeToken(v.token);
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
    values.connection = connectionText();
    values.channels = m_settings->subscriptions();
    values.preferences = m_settings->deliveryPreferences();
    values.summaryThreshold = m_settings->summaryThreshold();
    values.autostart = m_autostart.isEnabled();
    m_settingsDialog = new SettingsDialog(values);
    m_settingsDialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_settingsDialog, &SettingsDialog::changeServerRequested, this,
            [this] { openSetup({}, false); });
    connect(m_settingsDialog, &QDialog::accepted, this, [this] {
        const SettingsDialog::Values v = m_settingsDialog->values();
        DeliveryPreferences prefs = v.preferences;
        prefs.setDoNotDisturb(m_delivery->preferences().doNotDisturbUntil());
        m_settings->setDeliveryPreferences(prefs);
        m_settings->setSummaryThreshold(v.summaryThreshold);
        m_settings->sync();
        m_delivery->setPreferences(prefs);
        m_delivery->setSummaryThreshold(v.summaryThreshold);
        if (v.autostart != m_autostart.isEnabled() && !m_autostart.setEnabled(v.autostart))
            qCWarning(lcApp) << "could not change start on login";
    });
    m_settingsDialog->show();
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
        m_list->setConnectionText(connectionText());
    }
    m_list->present();
    if (select > 0)
        m_list->select(select);
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
    DeliveryPreferences stored = m_settings->deliveryPreferences();
    stored.setDoNotDisturb(effective);
    m_settings->setDeliveryPreferences(stored);
    m_tray->setDoNotDisturbUntil(effective);
    m_dndTimer.stop();
    if (effective.isValid() && effective != DeliveryPreferences::Forever)
        m_dndTimer.start(std::chrono::milliseconds(
            std::min<qint64>(now.msecsTo(effective) + 1000, std::numeric_limits<int>::max())));
    qCInfo(lcApp) << "do not disturb"
                  << (effective.isValid() ? effective.toString(Qt::ISODate) : u"off"_s);
    updateTrayState();
}

void Application::onAuthenticationFailed()
{
    m_authFailed = true;
    updateTrayState();
    openSetup(tr("The server refused the token. Enter a new one."), true);
}

void Application::updateTrayState()
{
    const bool dnd =
        m_delivery->preferences().isDoNotDisturbActive(QDateTime::currentDateTimeUtc());
    TrayState state = TrayState::Offline;
    if (m_session->isRegistered() && m_network->isOnline())
        state = dnd ? TrayState::DoNotDisturb : TrayState::Connected;
    m_tray->setState(state, connectionText());
    if (m_list)
        m_list->setConnectionText(connectionText());
}

QString Application::connectionText() const
{
    if (!m_settings->isConfigured())
        return tr("Not set up");
    const QString where = m_settings->serverUrl().authority();
    if (m_authFailed)
        return tr("Token refused by %1").arg(where);
    // The system says the network is gone: offline, even if the socket has not noticed yet.
    if (!m_network->isOnline() && m_session->state() != SyncSession::State::Stopped)
        return tr("Offline, retrying %1").arg(where);
    switch (m_session->state()) {
    case SyncSession::State::Backlog:
    case SyncSession::State::Live:
        return tr("Connected to %1 as %2").arg(where, m_settings->user());
    case SyncSession::State::Connecting:
    case SyncSession::State::Registering:
        return tr("Connecting to %1…").arg(where);
    case SyncSession::State::Disconnected:
        return tr("Offline, retrying %1").arg(where);
    case SyncSession::State::Stopped:
        break;
    }
    return tr("Not connected");
}

QByteArray Application::statusJson() const
{
    QJsonObject status;
    status.insert(u"running"_s, true);
    status.insert(u"session"_s,
                  QString::fromLatin1(QMetaEnum::fromType<SyncSession::State>().valueToKey(
                      int(m_session->state()))));
    status.insert(u"tray"_s, m_tray->stateName());
    status.insert(u"trayAvailable"_s, QSystemTrayIcon::isSystemTrayAvailable());
    status.insert(u"trayVisible"_s, m_tray->systemTrayIcon()->isVisible());
    status.insert(u"unread"_s, m_model->unreadCount());
    status.insert(u"badge"_s, m_tray->shownUnread());
    status.insert(u"listed"_s, m_model->totalCount());
    status.insert(u"notifier"_s, m_notifier->backendName());
    status.insert(u"popups"_s, m_delivery->popupCount());
    status.insert(u"openPopups"_s, m_notifier->openPopupCount());
    status.insert(u"keychain"_s, m_keychain);
    status.insert(u"doNotDisturb"_s,
                  m_delivery->preferences().isDoNotDisturbActive(QDateTime::currentDateTimeUtc()));
    status.insert(u"lastNotificationId"_s, double(m_session->lastNotificationId()));
    status.insert(u"settingsFile"_s, m_settings->fileName());
    return QJsonDocument(status).toJson(QJsonDocument::Compact);
}

QString Application::tokenAccount() const
{
    return TokenStore::account(m_settings->user(), m_settings->serverUrl().toString());
}

} // namespace herald::client
