// SPDX-License-Identifier: Apache-2.0
#include "networkwatcher.h"

#include "net/netlog.h"
#include "session/syncsession.h"

#ifdef Q_OS_LINUX
#include "net/netlinkroutewatcher.h"
#endif

namespace herald::client {

namespace {
// Which side of up/down a report is on; Unknown says nothing about the network.
enum class Side
{
    Unknown,
    Up,
    Down
};

Side sideOf(QNetworkInformation::Reachability reachability)
{
    switch (reachability) {
    case QNetworkInformation::Reachability::Online:
    case QNetworkInformation::Reachability::Site:
        return Side::Up;
    case QNetworkInformation::Reachability::Disconnected:
    case QNetworkInformation::Reachability::Local:
        return Side::Down;
    case QNetworkInformation::Reachability::Unknown:
        break;
    }
    return Side::Unknown;
}
} // namespace

NetworkWatcher::NetworkWatcher(QObject *parent) : QObject(parent) {}

bool NetworkWatcher::watchSystem()
{
    if (m_watching)
        return true;
    m_watching = watchRoutes() || watchReachability();
    return m_watching;
}

bool NetworkWatcher::watchRoutes()
{
#ifdef Q_OS_LINUX
    auto *routes = new NetlinkRouteWatcher(this);
    if (!routes->start()) {
        if (!m_loggedNoRoutes) {
            m_loggedNoRoutes = true;
            qCInfo(lcNet).noquote() << "cannot watch the routing table:" << routes->errorString()
                                    << "- asking Qt's network information instead";
        }
        delete routes;
        return false;
    }
    connect(routes, &NetlinkRouteWatcher::routesRead, this, &NetworkWatcher::onRoutesRead);
    qCInfo(lcNet) << "watching the routing table; default route:"
                  << (routes->isKnown() ? (routes->hasDefaultRoute() ? "yes" : "no") : "unknown");
    // Start from what the table says now, without emitting: nothing changed yet.
    if (routes->isKnown() && !routes->hasDefaultRoute())
        m_online = false;
    return true;
#else
    return false;
#endif
}

bool NetworkWatcher::watchReachability()
{
    if (!QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability)) {
        if (!m_loggedNoBackend) {
            m_loggedNoBackend = true;
            qCInfo(lcNet) << "no network reachability backend; relying on reconnect backoff";
        }
        return false;
    }
    QNetworkInformation *info = QNetworkInformation::instance();
    connect(info, &QNetworkInformation::reachabilityChanged, this,
            &NetworkWatcher::onReachabilityChanged);
    qCInfo(lcNet) << "watching network reachability through" << info->backendName();
    // Start from what the backend knows now, without emitting: nothing changed yet.
    if (sideOf(info->reachability()) == Side::Down)
        m_online = false;
    return true;
}

void NetworkWatcher::onReachabilityChanged(QNetworkInformation::Reachability reachability)
{
    qCInfo(lcNet) << "network reachability" << reachability;
    const Side side = sideOf(reachability);
    if (side != Side::Unknown)
        report(side == Side::Up);
}

void NetworkWatcher::onRoutesRead(bool hasDefaultRoute)
{
    // The table is read after every announced change; most reads change nothing.
    if (hasDefaultRoute != m_online)
        qCInfo(lcNet) << "default route" << (hasDefaultRoute ? "present" : "gone");
    report(hasDefaultRoute);
}

void NetworkWatcher::report(bool up)
{
    if (up == m_online)
        return;
    m_online = up;
    if (m_online)
        Q_EMIT networkReturned();
    else
        Q_EMIT networkLost();
}

QMetaObject::Connection reconnectWhenNetworkReturns(NetworkWatcher *watcher,
                                                    herald::SyncSession *session)
{
    return QObject::connect(watcher, &NetworkWatcher::networkReturned, session, [session] {
        // Back online: do not wait for the backoff timer.
        if (session->state() == SyncSession::State::Disconnected)
            session->start();
    });
}

} // namespace herald::client
