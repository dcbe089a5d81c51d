// SPDX-License-Identifier: Apache-2.0
#include "core/followbook.h"

#include <algorithm>

namespace herald::syncd {

void FollowBook::load(const QList<FollowRow> &rows)
{
    add(rows);
    std::lock_guard lock(m_mutex);
    m_loaded = true;
}

void FollowBook::add(const QList<FollowRow> &rows)
{
    std::lock_guard lock(m_mutex);
    // Rows come by the thousand (a load): a channel's new followers are appended and the list
    // sorted once, where inserting each in order would move the list each time.
    QSet<std::pair<QString, QString>> unsorted;
    for (const FollowRow &row : rows)
        addLocked(row.user, row.application, row.channel, &unsorted);
    for (const auto &[application, channel] : std::as_const(unsorted)) {
        QStringList &users = m_followers[application][channel];
        std::sort(users.begin(), users.end());
    }
}

void FollowBook::add(const QString &user, const QList<Subscription> &subscriptions)
{
    std::lock_guard lock(m_mutex);
    addLocked(user, subscriptions);
}

void FollowBook::addLocked(const QString &user, const QList<Subscription> &subscriptions)
{
    for (const Subscription &subscription : subscriptions) {
        if (subscription.channels.isEmpty())
            addLocked(user, subscription.application, QString());
        for (const QString &channel : subscription.channels)
            addLocked(user, subscription.application, channel);
    }
}

void FollowBook::replace(const QString &user, const QList<Subscription> &subscriptions)
{
    std::lock_guard lock(m_mutex); // one step: a publish meanwhile sees the old or the new
    forgetLocked(user);
    addLocked(user, subscriptions);
}

void FollowBook::forget(const QString &user)
{
    std::lock_guard lock(m_mutex);
    forgetLocked(user);
}

void FollowBook::forgetLocked(const QString &user)
{
    const auto follows = m_byUser.constFind(user);
    if (follows == m_byUser.cend())
        return;
    for (const Follow &follow : *follows) {
        auto channels = m_followers.find(follow.application);
        if (channels == m_followers.end())
            continue; // cannot be: every follow was indexed
        auto users = channels->find(follow.channel);
        if (users != channels->end()) {
            const auto at = std::lower_bound(users->begin(), users->end(), user);
            if (at != users->end() && *at == user)
                users->erase(at);
            if (users->isEmpty())
                channels->erase(users);
        }
        if (channels->isEmpty())
            m_followers.erase(channels);
    }
    m_byUser.erase(follows);
}

bool FollowBook::isLoaded() const
{
    std::lock_guard lock(m_mutex);
    return m_loaded;
}

std::optional<FollowBook::Followers> FollowBook::followersOf(const QString &application,
                                                             const QString &channel) const
{
    std::lock_guard lock(m_mutex);
    if (!m_loaded)
        return std::nullopt;
    return Followers{channel.isEmpty() ? QStringList() : followersLocked(application, channel),
                     followersLocked(application, QString())};
}

QStringList FollowBook::followersLocked(const QString &application, const QString &channel) const
{
    const auto channels = m_followers.constFind(application);
    return channels == m_followers.cend() ? QStringList() : channels->value(channel);
}

bool FollowBook::Followers::contains(const QString &user) const
{
    return std::binary_search(ofChannel.cbegin(), ofChannel.cend(), user) ||
           std::binary_search(ofApplication.cbegin(), ofApplication.cend(), user);
}

namespace {
// Follows are kept sorted by application, then channel, so a whole-application follow (empty
// channel) comes first among its application's: a user following thousands of channels costs
// a binary search per look-up, not a scan.
template <typename Follow>
bool before(const Follow &follow, const QString &application, const QString &channel)
{
    const int byApplication = QString::compare(follow.application, application);
    return byApplication != 0 ? byApplication < 0 : QString::compare(follow.channel, channel) < 0;
}

// The first follow not before (application, channel): where it is, or where it would go.
template <typename Follows>
auto lowerBound(const Follows &follows, const QString &application, const QString &channel)
{
    return std::lower_bound(follows.cbegin(), follows.cend(), 0, [&](const auto &follow, int) {
        return before(follow, application, channel);
    });
}

template <typename Follows, typename Iterator>
bool isAt(const Follows &follows, Iterator at, const QString &application, const QString &channel)
{
    return at != follows.cend() && at->application == application && at->channel == channel;
}
} // namespace

void FollowBook::addLocked(const QString &user, const QString &application, const QString &channel,
                           QSet<std::pair<QString, QString>> *unsorted)
{
    QList<Follow> &follows = m_byUser[user];
    const auto at = lowerBound(follows, application, channel);
    if (isAt(follows, at, application, channel))
        return;
    follows.insert(at - follows.cbegin(), {application, channel});
    QStringList &users = m_followers[application][channel];
    if (unsorted) {
        users.append(user);
        unsorted->insert({application, channel});
    } else {
        users.insert(std::lower_bound(users.cbegin(), users.cend(), user) - users.cbegin(), user);
    }
}

} // namespace herald::syncd
