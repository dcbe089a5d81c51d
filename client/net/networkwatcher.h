// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QMetaObject>
#include <QNetworkInformation>
#include <QObject>

namespace herald {
class SyncSession;
}

namespace herald::client {

// Turns the system's reachability reports (QNetworkInformation) into two events: the network
// came back, and the network went away. "Up" is Online or Site, "down" is Disconnected or Local;
// Unknown says nothing and is ignored. Until told otherwise the network is assumed up, so the
// first report of a down network emits networkLost() and the first report of an up one emits
// nothing. Repeated reports of the same side emit nothing.
class NetworkWatcher : public QObject
{
    Q_OBJECT

public:
    explicit NetworkWatcher(QObject *parent = nullptr);

    // Loads QNetworkInformation's backend with the Reachability feature and follows its
    // reports. Without a backend (e.g. no NetworkManager on a headless machine) it logs that
    // once and does nothing else. Returns whether a backend is watched.
    bool watchSystem();

    // Whether the network is currently taken to be up.
    bool isOnline() const { return m_online; }

public Q_SLOTS:
    // Driven by QNetworkInformation::reachabilityChanged; tests call it directly.
    void onReachabilityChanged(QNetworkInformation::Reachability reachability);

Q_SIGNALS:
    // Down -> up.
    void networkReturned();
    // Up -> down.
    void networkLost();

private:
    bool m_online = true;
    bool m_watching = false;
    bool m_loggedNoBackend = false;
};

// The client's reaction to a returning network: a session waiting for its backoff timer
// (Disconnected) connects again at once. A session that is connected, connecting or stopped is
// left alone. The connection ends with the session (it is the context object). Returns it.
QMetaObject::Connection reconnectWhenNetworkReturns(NetworkWatcher *watcher,
                                                    herald::SyncSession *session);

} // namespace herald::client
