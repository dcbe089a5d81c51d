// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLoggingCategory>

namespace herald::client {

// "herald.client.app": the one category of every file in client/app/.
Q_DECLARE_LOGGING_CATEGORY(lcApp)

} // namespace herald::client
