// SPDX-License-Identifier: Apache-2.0
#include "core/corelog.h"

namespace herald::syncd {
Q_LOGGING_CATEGORY(lcCore, "herald.syncd.core", QtInfoMsg)
}
