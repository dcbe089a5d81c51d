// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

#include <memory>

class QObject;
class QSystemTrayIcon;

namespace herald::client {

class Notifier;

// Picks the popup backend at run time. choose() is a pure function of what was probed, so the
// tests can walk every case; probe() looks at the running desktop.
class NotifierFactory
{
public:
    enum class Backend
    {
        Freedesktop,
        KNotifications,
        TrayBalloon,
    };

    struct Environment
    {
        QString requested = QStringLiteral("auto"); // "auto", "fdo", "kf", "balloon"
        bool freedesktopService = false; // org.freedesktop.Notifications is owned or activatable
        bool kf6Built = false;           // KfNotifier was compiled in
        bool kdeSession = false;         // XDG_CURRENT_DESKTOP names KDE
        bool trayAvailable = false;
    };

    // auto: KNotifications on a KDE session when built with KF6, else the freedesktop service
    // when one is there, else the tray balloon. A requested backend that is not available
    // falls back to auto.
    static Backend choose(const Environment &environment);
    static QString backendName(Backend backend);

    // The environment of this process: HERALD_NOTIFIER overrides `requested`. Asks the session
    // bus once whether a notification service is there (a short blocking call at start-up).
    static Environment probe(const QString &requested);

    // Creates the backend; tray is used by the balloon backend and must outlive it.
    static Notifier *create(Backend backend, QSystemTrayIcon *tray, QObject *parent);
};

} // namespace herald::client
