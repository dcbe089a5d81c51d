// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/error.h"

#include <functional>

namespace herald::syncd {

// How the core answers: once, with the value or the typed error, in the thread of the context
// object the caller passed (see StoreThread::submit).
template <typename T> using Reply = std::function<void(Result<T>)>;

} // namespace herald::syncd
