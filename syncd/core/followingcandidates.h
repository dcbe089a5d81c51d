// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/followbook.h"
#include "core/preferencebook.h"
#include "model/notification.h"

#include <optional>

namespace herald::syncd {

// Calls visit(user, preferences) for each of `candidates` (users whose preferences could
// want a notification) who follows its channel (`followers`; nullopt: anyone may). Walks the
// shorter of the two, so that neither a channel with thousands of followers nor an
// application thousands digest costs more than the other side.
template <typename Visit>
void forEachFollowingCandidate(const PreferenceBook::Candidates &candidates,
                               const std::optional<FollowBook::Followers> &followers, Visit visit)
{
    if (followers && followers->size() < candidates->size()) {
        followers->forEach([&](const QString &user) {
            if (const auto found = candidates->constFind(user); found != candidates->cend())
                visit(user, *found);
        });
        return;
    }
    for (auto candidate = candidates->cbegin(); candidate != candidates->cend(); ++candidate) {
        if (!followers || followers->contains(candidate.key()))
            visit(candidate.key(), candidate.value());
    }
}

// Calls visit(user, preferences) for each of `candidates` who may receive `n` (its
// recipients, when it names any), follows its channel, and has preferences of their own (the
// defaults neither digest nor mail). Asks the follow book once, and not at all when there is
// no candidate (most publishes: nobody digests or mails the application).
template <typename Visit>
void forEachPossibleReceiver(const Notification &n, const PreferenceBook::Candidates &candidates,
                             const FollowBook &follows, Visit visit)
{
    if (candidates->isEmpty())
        return;
    const auto followers = follows.followersOf(n.application, n.channel);
    if (followers && followers->isEmpty())
        return;
    forEachFollowingCandidate(
        candidates, followers, [&](const QString &user, const PreferenceBook::Entry &preferences) {
            if (preferences && (n.recipients.isEmpty() || n.recipients.contains(user)))
                visit(user, *preferences);
        });
}

} // namespace herald::syncd
