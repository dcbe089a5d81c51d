// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLoggingCategory>

namespace herald::client {

// "herald.client.tray": the one category of every file in client/tray/.
Q_DECLARE_LOGGING_CATEGORY(lcTray)

} // namespace herald::client
