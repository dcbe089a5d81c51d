// SPDX-License-Identifier: Apache-2.0
#include "delivery/deliverylog.h"

namespace herald::syncd {
Q_LOGGING_CATEGORY(lcDelivery, "herald.syncd.delivery", QtInfoMsg)
}
