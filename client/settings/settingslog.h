// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLoggingCategory>

namespace herald::client {

// "herald.client.settings": the one category of every file in client/settings/.
Q_DECLARE_LOGGING_CATEGORY(lcSettings)

} // namespace herald::client
