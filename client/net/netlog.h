// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLoggingCategory>

namespace herald::client {

// "herald.client.net": the one category of every file in client/net/.
Q_DECLARE_LOGGING_CATEGORY(lcNet)

} // namespace herald::client
