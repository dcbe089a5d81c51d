// SPDX-License-Identifier: Apache-2.0
#include "credentials/credentialslog.h"

namespace herald::client {

Q_LOGGING_CATEGORY(lcCredentials, "herald.client.credentials")

} // namespace herald::client
