// SPDX-License-Identifier: Apache-2.0
#include "notifierfactory.h"

#include "config-client.h"
#include "fdonotifier.h"
#include "notify/notifylog.h"
#include "trayballoonnotifier.h"
#if HERALD_HAVE_KF6
#include "kfnotifier.h"
#endif

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QSystemTrayIcon>

using namespace Qt::StringLiterals;

namespace herald::client {

namespace {
bool available(NotifierFactory::Backend backend, const NotifierFactory::Environment &env)
{
    switch (backend) {
    case NotifierFactory::Backend::Freedesktop:
        return env.freedesktopService;
    case NotifierFactory::Backend::KNotifications:
        return env.kf6Built;
    case NotifierFactory::Backend::TrayBalloon:
        return env.trayAvailable;
    }
    return false;
}
} // namespace

NotifierFactory::Backend NotifierFactory::choose(const Environment &env)
{
    std::optional<Backend> requested;
    if (env.requested == u"fdo"_s)
        requested = Backend::Freedesktop;
    else if (env.requested == u"kf"_s)
        requested = Backend::KNotifications;
    else if (env.requested == u"balloon"_s)
        requested = Backend::TrayBalloon;
    if (requested && available(*requested, env))
        return *requested;
    if (env.kf6Built && env.kdeSession)
        return Backend::KNotifications;
    if (env.freedesktopService)
        return Backend::Freedesktop;
    if (env.trayAvailable)
        return Backend::TrayBalloon;
    // Nothing works yet; the freedesktop backend at least picks up a service started later.
    return Backend::Freedesktop;
}

QString NotifierFactory::backendName(Backend backend)
{
    switch (backend) {
    case Backend::Freedesktop:
        return u"freedesktop"_s;
    case Backend::KNotifications:
        return u"knotifications"_s;
    case Backend::TrayBalloon:
        return u"balloon"_s;
    }
    return {};
}

NotifierFactory::Environment NotifierFactory::probe(const QString &requested)
{
    Environment env;
    env.requested = qEnvironmentVariable("HERALD_NOTIFIER", requested);
    env.kf6Built = HERALD_HAVE_KF6;
    env.kdeSession = qEnvironmentVariable("XDG_CURRENT_DESKTOP").contains(u"KDE"_s);
    env.trayAvailable = QSystemTrayIcon::isSystemTrayAvailable();
    const QDBusConnection bus = QDBusConnection::sessionBus();
    if (bus.isConnected() && bus.interface()) {
        const QString service = QString::fromLatin1(FdoNotifier::Service);
        env.freedesktopService =
            bus.interface()->isServiceRegistered(service).value() ||
            bus.interface()->activatableServiceNames().value().contains(service);
    }
    qCInfo(lcNotify) << "notifier environment: requested" << env.requested << "freedesktop"
                     << env.freedesktopService << "kf6" << env.kf6Built << "tray"
                     << env.trayAvailable;
    return env;
}

Notifier *NotifierFactory::create(Backend backend, QSystemTrayIcon *tray, QObject *parent)
{
    switch (backend) {
    case Backend::KNotifications:
#if HERALD_HAVE_KF6
        return new KfNotifier(parent);
#else
        break;
#endif
    case Backend::TrayBalloon:
        if (tray)
            return new TrayBalloonNotifier(tray, parent);
        break;
    case Backend::Freedesktop:
        break;
    }
    return new FdoNotifier(QDBusConnection::sessionBus(), parent);
}

} // namespace herald::client
