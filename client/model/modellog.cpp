// SPDX-License-Identifier: Apache-2.0
#include "model/modellog.h"

namespace herald::client {

Q_LOGGING_CATEGORY(lcModel, "herald.client.model")

} // namespace herald::client
