// SPDX-License-Identifier: Apache-2.0
#include "networkwatcher.h"

#include "net/netlog.h"
#include "session/syncsession.h"

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
    if (!QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability)) {
        if (!m_loggedNoBackend) {
            m_loggedNoBackend = true;
            qCInfo(lcNet) << "no network reachability backend; relying on reconnect backoff";
        }
        return false;
    }
    QNetworkInformation *info = QNetworkInformation::instance();
    m_watching = true;
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
    if (side == Side::Unknown || (side == Side::Up) == m_online)
        return;
    m_online = side == Side::Up;
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
