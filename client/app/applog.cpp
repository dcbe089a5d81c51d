// SPDX-License-Identifier: Apache-2.0
#include "app/applog.h"

namespace herald::client {

Q_LOGGING_CATEGORY(lcApp, "herald.client.app")

} // namespace herald::client
