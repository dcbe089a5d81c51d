// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLoggingCategory>

namespace herald::client {

// "herald.client.notify": the one category of every file in client/notify/.
Q_DECLARE_LOGGING_CATEGORY(lcNotify)

} // namespace herald::client
