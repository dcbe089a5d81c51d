// SPDX-License-Identifier: Apache-2.0
#include "net/netlog.h"

namespace herald::syncd {
Q_LOGGING_CATEGORY(lcNet, "herald.syncd.net", QtInfoMsg)
}
