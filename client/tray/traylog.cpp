// SPDX-License-Identifier: Apache-2.0
#include "tray/traylog.h"

namespace herald::client {

Q_LOGGING_CATEGORY(lcTray, "herald.client.tray")

} // namespace herald::client
