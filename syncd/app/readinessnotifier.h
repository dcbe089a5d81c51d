// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace herald::syncd {

// Tells the service manager that started the daemon (systemd's Type=notify, through
// $NOTIFY_SOCKET) that it serves, so that `systemctl start` returns only once the daemon
// accepts connections and units ordered after it find it listening. Built without
// libsystemd, or run without $NOTIFY_SOCKET, it does nothing.
class ReadinessNotifier
{
public:
    // Sends READY=1. Call once, from the main thread, after the daemon listens.
    static void ready();
};

} // namespace herald::syncd
