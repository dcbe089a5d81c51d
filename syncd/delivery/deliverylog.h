// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLoggingCategory>

namespace herald::syncd {
Q_DECLARE_LOGGING_CATEGORY(lcDelivery) // herald.syncd.delivery
}
