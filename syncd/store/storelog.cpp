// SPDX-License-Identifier: Apache-2.0
#include "store/storelog.h"

namespace herald::syncd {

Q_LOGGING_CATEGORY(lcStore, "herald.syncd.store")

} // namespace herald::syncd
