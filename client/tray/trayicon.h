// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"
#include "trayiconrenderer.h"

#include <QDateTime>
#include <QObject>

class QMenu;
class QAction;
class QSystemTrayIcon;

namespace herald::client {

class NotificationListModel;

// The tray icon and its menu, outside any window (like qBittorrent's DesktopIntegration): the
// icon shows the connection state, do-not-disturb and the badge (setUnseen); the menu lists the
// latest unread notifications and the client's commands. It only reports what the user chose;
// the composition root acts on it. GUI thread only.
class TrayIcon : public QObject
{
    Q_OBJECT

public:
    static constexpr int LatestInMenu = 5;

    // model is not owned and must outlive this.
    explicit TrayIcon(NotificationListModel *model, QObject *parent = nullptr);
    ~TrayIcon() override;

    QSystemTrayIcon *systemTrayIcon() const { return m_tray; }
    QMenu *menu() const { return m_menu; }
    void show();

    void setState(TrayState state, const QString &detail);
    // Invalid: off.
    void setDoNotDisturbUntil(const QDateTime &until);
    // The badge: the server's unseen count for the user, the same on every device; -1 (not
    // known: before the server answered, or a server without an inbox) shows the unread
    // notifications of this client's list instead.
    void setUnseen(qint64 count);
    QString stateName() const;
    int shownUnread() const { return m_shownUnread; }

Q_SIGNALS:
    void showListRequested();
    void settingsRequested();
    void quitRequested();
    void markAllReadRequested();
    void notificationChosen(herald::NotificationId id);
    // Invalid: turn do-not-disturb off.
    void doNotDisturbRequested(const QDateTime &until);

private:
    void rebuildMenu();
    void refresh();
    void scheduleRefresh();

    NotificationListModel *m_model;
    QSystemTrayIcon *m_tray;
    QMenu *m_menu;
    QMenu *m_dndMenu;
    TrayState m_state = TrayState::Offline;
    QString m_detail;
    QDateTime m_dndUntil;
    int m_shownUnread = -1;
    qint64 m_unseen = -1;
    bool m_refreshPending = false;
};

} // namespace herald::client
