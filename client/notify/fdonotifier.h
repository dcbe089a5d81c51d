// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "notifier.h"

#include <QDBusConnection>
#include <QHash>
#include <QList>
#include <QSet>
#include <QStringList>

class QDBusPendingCallWatcher;

namespace herald::client {

// Popups through the freedesktop.org notification service (org.freedesktop.Notifications on
// the session bus), the way KNotifications' notifybypopup does it: every call is asynchronous;
// GetCapabilities is asked once at start and popups wait for its answer; the body is escaped
// when the server renders `body-markup`; "Mark as read" and (with a url) "Open" are offered as
// actions when the server has `actions`; urgency follows the priority; the `desktop-entry` hint
// names herald.desktop. ActionInvoked and NotificationClosed are matched to our own popups;
// withdraw() closes a popup with CloseNotification once all its ids are acknowledged.
class FdoNotifier : public Notifier
{
    Q_OBJECT

public:
    static constexpr auto Service = "org.freedesktop.Notifications";
    static constexpr auto Path = "/org/freedesktop/Notifications";
    static constexpr auto Interface = "org.freedesktop.Notifications";
    // Action keys sent to the server.
    static constexpr auto MarkReadAction = "mark-read";
    static constexpr auto OpenAction = "open";
    static constexpr auto DefaultAction = "default";

    // Asks the server for its capabilities at once (asynchronously).
    explicit FdoNotifier(QDBusConnection bus = QDBusConnection::sessionBus(),
                         QObject *parent = nullptr);

    QString backendName() const override;
    void show(const Popup &popup) override;
    void withdraw(const QList<NotificationId> &ids) override;
    int openPopupCount() const override { return int(m_open.size()); }

    // The server's capabilities; empty until GetCapabilities answered.
    QStringList capabilities() const { return m_capabilities; }
    bool capabilitiesKnown() const { return m_capabilitiesKnown; }

    // The Notify arguments for a popup (exposed for the unit tests).
    static QStringList actionsFor(const Popup &popup, const QStringList &capabilities);
    static QVariantMap hintsFor(const Popup &popup);

private Q_SLOTS:
    // Old-style slots: QDBusConnection::connect() needs them.
    void onActionInvoked(uint id, const QString &actionKey);
    void onNotificationClosed(uint id, uint reason);

private:
    struct OpenPopup
    {
        Popup popup;
        QSet<NotificationId> remaining; // ids not yet withdrawn
    };

    void onCapabilities(QDBusPendingCallWatcher *watcher);
    void send(const Popup &popup);
    void onNotifyReply(QDBusPendingCallWatcher *watcher, const Popup &popup);
    void close(uint id);

    QDBusConnection m_bus;
    bool m_capabilitiesKnown = false;
    QStringList m_capabilities;
    QList<Popup> m_queued;                   // waiting for GetCapabilities
    QList<QList<NotificationId>> m_inFlight; // Notify sent, no id yet
    QSet<NotificationId> m_withdrawnInFlight;
    QHash<uint, OpenPopup> m_open; // server id → popup
    QHash<NotificationId, uint> m_serverIdOf;
};

} // namespace herald::client
