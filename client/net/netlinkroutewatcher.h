// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "net/defaultroutetracker.h"

#include <QObject>
#include <QString>

class QSocketNotifier;

namespace herald::client {

// Watches the kernel's routing table over a NETLINK_ROUTE socket and says whether it holds a
// default route (DefaultRouteTracker says what counts as one, and when a read of the table
// holds). Linux only. The tray uses it instead of Qt's `glib` network-information backend,
// which maps GIO and runs GLib's `gmain` thread for the same answer (docs/PERFORMANCE.md).
// One nonblocking, close-on-exec socket and one notifier; no timer: it wakes only when the
// kernel announces a change of a link, an IPv4 address or a default route, and then dumps the
// table once per burst of announcements.
// Threads: it lives and works in the thread that created it (its event loop reads the socket).
class NetlinkRouteWatcher : public QObject
{
    Q_OBJECT

public:
    explicit NetlinkRouteWatcher(QObject *parent = nullptr);
    ~NetlinkRouteWatcher() override;

    // Opens the socket, joins the groups of link, IPv4 address and IPv4 and IPv6 route changes,
    // and reads the table once before returning (the kernel answers a dump within the calls
    // that ask and read it), so isKnown() is normally true on return; start() emits nothing.
    // Returns false, with errorString(), when the socket cannot be opened or bound (a sandbox
    // without netlink); then nothing is watched. A second call returns whether the first worked.
    bool start();

    // Why start() failed, for a log line.
    QString errorString() const { return m_error; }
    // Whether the table was read since start().
    bool isKnown() const { return m_tracker.isKnown(); }
    // Whether the table held a default route when it was last read.
    bool hasDefaultRoute() const { return m_tracker.hasDefaultRoute(); }

Q_SIGNALS:
    // The table was read again after the kernel announced changes, and this is its answer
    // (often the same as before: the receiver compares).
    void routesRead(bool hasDefaultRoute);

private:
    void onReadable();
    // Reads every datagram waiting; returns false on a socket error other than an overrun.
    bool receiveAll();
    // Does what the tracker asks after a read; returns whether it sent a dump.
    bool act(bool emitReport);
    bool sendDump();

    int m_fd = -1;
    uint32_t m_port = 0;
    uint32_t m_sequence = 0;
    QSocketNotifier *m_notifier = nullptr;
    DefaultRouteTracker m_tracker;
    QString m_error;
    bool m_loggedFailure = false;
};

} // namespace herald::client
