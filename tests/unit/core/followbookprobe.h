// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/followbook.h"

namespace herald::syncd::testing {

// Whether the book lets `user` through for a notification of application/channel, as the
// digest and mail routers ask it (before its load: anyone).
inline bool mayFollow(const FollowBook &book, const QString &user, const QString &application,
                      const QString &channel)
{
    const auto followers = book.followersOf(application, channel);
    return !followers || followers->contains(user);
}

} // namespace herald::syncd::testing
