#pragma once

#include "app/autostart.h"
#include "app/commandline.h"
#include "session/syncsession.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

class QApplication;
class QNetworkAccessManager;

namespace herald::client {

class CatalogFetcher;
class ClientSettings;
class DeliveryController;
class ListWindow;
class NetworkWatcher;
class NotificationListModel;
class Notifier;
class ServerProbe;
class SettingsDialog;
class SetupDialog;
class TokenStore;
class TrayIcon;

// The client's composition root: builds every object, passes dependencies in through
// constructors and wires their signals. The only place that knows all the parts.
class Application : public QObject
{
    Q_OBJECT

public:
    // The whole program: command line, single instance, then the event loop. Returns the exit
    // code (2 for bad arguments, 1 when --quit/--status find no running instance).
    static int exec(QApplication &app);

    Application(CommandLine commandLine, std::unique_ptr<ClientSettings> settings,
                QObject *parent = nullptr);
    ~Application() override;

    // Shows the tray icon and connects (or opens the setup dialog on first run).
    void start();
    // Answers a command from a later start: "show", "quit", "status".
    QByteArray handleCommand(const QString &command);

private:
    void createSession();
    void connectSession();
    void applySetup(const QUrl &server, const QString &user, const QStringList &subscriptions);
    void storeToken(const QString &token);
    void readToken();
    void openSetup(const QString &message, bool tokenOnly);
    void openSettings();
    void showList(NotificationId select = 0);
    void openUrl(const QUrl &url);
    void onNotificationChosen(NotificationId id);
    void setDoNotDisturb(const QDateTime &until);
    void onAuthenticationFailed();
    void updateTrayState();
    QString connectionText() const;
    QByteArray statusJson() const;
    QString tokenAccount() const;

    CommandLine m_commandLine;
    std::unique_ptr<ClientSettings> m_settings;
    Autostart m_autostart;
    QNetworkAccessManager *m_nam;
    TokenStore *m_tokens;
    ServerProbe *m_probe;
    CatalogFetcher *m_catalog;
    NotificationListModel *m_model;
    TrayIcon *m_tray;
    NetworkWatcher *m_network;
    Notifier *m_notifier;
    SyncSession *m_session = nullptr;
    DeliveryController *m_delivery = nullptr;
    QPointer<ListWindow> m_list;
    QPointer<SetupDialog> m_setup;
    QPointer<SettingsDialog> m_settingsDialog;
    QTimer m_dndTimer;
    QString m_token;                                // in memory only
    QString m_keychain = QStringLiteral("pending"); // "ok", "unavailable", "failed", "pending"
    bool m_authFailed = false;
};

} // namespace herald::client
