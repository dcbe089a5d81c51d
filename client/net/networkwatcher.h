// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QMetaObject>
#include <QNetworkInformation>
#include <QObject>

namespace herald {
class SyncSession;
}

namespace herald::client {

// Turns the system's reports about the network into two events: the network came back, and the
// network went away. On Linux the reports are reads of the kernel's routing table
// (NetlinkRouteWatcher): "up" is a default route, "down" none. Elsewhere, and on Linux when no
// netlink socket can be opened, they are QNetworkInformation's reachability: "up" is Online or
// Site, "down" is Disconnected or Local; Unknown says nothing and is ignored. Until told
// otherwise the network is assumed up, so the first report of a down network emits
// networkLost() and the first report of an up one emits nothing. Repeated reports of the same
// side emit nothing.
class NetworkWatcher : public QObject
{
    Q_OBJECT

public:
    explicit NetworkWatcher(QObject *parent = nullptr);

    // Follows the system's reports. On Linux it watches the routing table over netlink (which
    // keeps GIO out of the process); if that socket cannot be opened, it logs why once and, as
    // on other systems, loads QNetworkInformation's backend with the Reachability feature.
    // Without a backend it logs that once and does nothing else. What the system knows at the
    // call becomes the starting state without a signal: nothing changed yet. Returns whether
    // anything is watched; once something is, further calls return true and change nothing.
    bool watchSystem();

    // Whether the network is currently taken to be up.
    bool isOnline() const { return m_online; }

public Q_SLOTS:
    // Driven by QNetworkInformation::reachabilityChanged; tests call it directly.
    void onReachabilityChanged(QNetworkInformation::Reachability reachability);
    // Driven by NetlinkRouteWatcher::routesRead on Linux; tests call it directly.
    void onRoutesRead(bool hasDefaultRoute);

Q_SIGNALS:
    // Down -> up.
    void networkReturned();
    // Up -> down.
    void networkLost();

private:
    bool watchRoutes();
    bool watchReachability();
    void report(bool up);

    bool m_online = true;
    bool m_watching = false;
    bool m_loggedNoBackend = false;
    bool m_loggedNoRoutes = false;
};

// The client's reaction to a returning network: a session waiting for its backoff timer
// (Disconnected) connects again at once. A session that is connected, connecting or stopped is
// left alone. The connection ends with the session (it is the context object). Returns it.
QMetaObject::Connection reconnectWhenNetworkReturns(NetworkWatcher *watcher,
                                                    herald::SyncSession *session);

} // namespace herald::client
