// SPDX-License-Identifier: Apache-2.0
#include "settings/settingslog.h"

namespace herald::client {

Q_LOGGING_CATEGORY(lcSettings, "herald.client.settings")

} // namespace herald::client
