// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/error.h"
#include "store/deferredwork.h"

namespace herald::syncd {

class SqlStore;

// Keeps of `later` the users' own deliveries and digest items of users who follow the
// notification's channel in the store (as their inbox would show it): the routers ask the
// in-memory FollowBook, which does not know every user; this is the store's word. On the
// store's thread, in the operation that stores the notifications.
Result<void> keepFollowersOnly(SqlStore &store, DeferredWork &later);

} // namespace herald::syncd
