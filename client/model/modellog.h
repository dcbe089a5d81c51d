// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLoggingCategory>

namespace herald::client {

// "herald.client.model": the one category of every file in client/model/.
Q_DECLARE_LOGGING_CATEGORY(lcModel)

} // namespace herald::client
