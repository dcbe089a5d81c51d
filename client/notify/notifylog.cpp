// SPDX-License-Identifier: Apache-2.0
#include "notify/notifylog.h"

namespace herald::client {

Q_LOGGING_CATEGORY(lcNotify, "herald.client.notify")

} // namespace herald::client
