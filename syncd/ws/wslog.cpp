// SPDX-License-Identifier: Apache-2.0
#include "ws/wslog.h"

namespace herald::syncd {
Q_LOGGING_CATEGORY(lcWs, "herald.syncd.ws", QtInfoMsg)
}
