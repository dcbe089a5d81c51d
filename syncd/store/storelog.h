// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLoggingCategory>

namespace herald::syncd {

Q_DECLARE_LOGGING_CATEGORY(lcStore) // "herald.syncd.store"

} // namespace herald::syncd
