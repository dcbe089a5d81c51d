// SPDX-License-Identifier: Apache-2.0
#include "core/followerfilter.h"

#include "store/sqlstore.h"

#include <QHash>
#include <QSet>

namespace herald::syncd {

// Users' own deliveries and digest items only for users who follow the notification's channel
// (as their inbox would show it): one look-up per channel, however many users' rules asked.
Result<void> keepFollowersOnly(SqlStore &store, DeferredWork &later)
{
    QHash<QString, QSet<QString>> followers; // by "application/channel"
    std::optional<Error> failed;
    const auto follows = [&](const QString &application, const QString &channel,
                             const QString &user) {
        const QString key = application + u'/' + channel;
        auto it = followers.find(key);
        if (it == followers.end()) {
            auto users = store.inbox(
                [&](InboxQueries &inbox) { return inbox.followersOf(application, channel); });
            if (!users)
                failed = users.error();
            it = followers.insert(key, users ? QSet<QString>(users->cbegin(), users->cend())
                                             : QSet<QString>());
        }
        return it->contains(user);
    };
    later.userDeliveries.removeIf(
        [&](const UserDelivery &d) { return !follows(d.application, d.channel, d.user); });
    later.digestItems.removeIf(
        [&](const DigestItem &i) { return !follows(i.application, i.channel, i.user); });
    if (failed)
        return tl::unexpected(*failed);
    return {};
}

} // namespace herald::syncd
