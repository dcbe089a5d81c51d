// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLoggingCategory>

namespace herald::client {

// "herald.client.credentials": the one category of every file in client/credentials/.
Q_DECLARE_LOGGING_CATEGORY(lcCredentials)

} // namespace herald::client
