// SPDX-License-Identifier: Apache-2.0
#include "net/netlog.h"

namespace herald::client {

Q_LOGGING_CATEGORY(lcNet, "herald.client.net")

} // namespace herald::client
