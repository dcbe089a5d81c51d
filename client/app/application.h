// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "app/autostart.h"
#include "app/commandline.h"
#include "model/notification.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

class QNetworkAccessManager;

namespace herald {
class SyncSession;
}

namespace herald::client {

class AccountController;
class CatalogFetcher;
class ClientSettings;
class DeliveryController;
class InboxController;
class ListWindow;
class NetworkWatcher;
class NotificationListModel;
class Notifier;
class PreferencesController;
class ServerProbe;
class SettingsDialog;
class SetupDialog;
class TrayIcon;

// The client's composition root: builds every object, passes dependencies in through
// constructors and wires their signals. The only place that knows all the parts. The account,
// its token and its session are AccountController's; this follows its current session.
class Application : public QObject
{
    Q_OBJECT

public:
    Application(CommandLine commandLine, std::unique_ptr<ClientSettings> settings,
                QObject *parent = nullptr);
    ~Application() override;

    // Shows the tray icon and connects (or opens the setup dialog on first run).
    void start();
    // Answers a command from a later start: "show", "quit", "status".
    QByteArray handleCommand(const QString &command);

private:
    void onSessionReplaced(SyncSession *session);
    void openSetup(const QString &message, bool tokenOnly);
    void openSettings();
    void showList(NotificationId select = 0);
    // A popup that stood for these was clicked: several show alone in the list.
    void onPopupActivated(const QList<herald::NotificationId> &ids);
    void openUrl(const QUrl &url);
    void onNotificationChosen(NotificationId id);
    void setDoNotDisturb(const QDateTime &until);
    void updateTrayState();
    QByteArray statusJson() const;

    CommandLine m_commandLine;
    std::unique_ptr<ClientSettings> m_settings;
    Autostart m_autostart;
    QNetworkAccessManager *m_nam;
    ServerProbe *m_probe;
    CatalogFetcher *m_catalog;
    NotificationListModel *m_model;
    TrayIcon *m_tray;
    NetworkWatcher *m_network;
    Notifier *m_notifier;
    AccountController *m_account;
    PreferencesController *m_preferences;
    DeliveryController *m_delivery = nullptr;
    InboxController *m_inbox = nullptr;
    QPointer<ListWindow> m_list;
    QPointer<SetupDialog> m_setup;
    QPointer<SettingsDialog> m_settingsDialog;
    QTimer m_dndTimer;
};

} // namespace herald::client
