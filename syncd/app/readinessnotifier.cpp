// SPDX-License-Identifier: Apache-2.0
#include "readinessnotifier.h"

#include "app/applog.h"
#include "config-herald.h"

#if HERALD_HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include <cstring>

namespace herald::syncd {

void ReadinessNotifier::ready()
{
#if HERALD_HAVE_LIBSYSTEMD
    // 0: not started by a service manager (no $NOTIFY_SOCKET); < 0: the socket refused it,
    // which systemd would report as a start timeout, so say why here.
    if (const int sent = sd_notify(0, "READY=1\nSTATUS=Serving"); sent < 0)
        qCWarning(lcApp) << "cannot tell the service manager that the daemon is ready:"
                         << std::strerror(-sent);
#endif
}

} // namespace herald::syncd
