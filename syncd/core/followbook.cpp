// SPDX-License-Identifier: Apache-2.0
#include "core/followbook.h"

#include <algorithm>

namespace herald::syncd {

void FollowBook::load(const QList<FollowRow> &rows)
{
    std::lock_guard lock(m_mutex);
    for (const FollowRow &row : rows)
        addLocked(row.user, row.application, row.channel);
    m_loaded = true;
}

void FollowBook::add(const QList<FollowRow> &rows)
{
    std::lock_guard lock(m_mutex);
    for (const FollowRow &row : rows)
        addLocked(row.user, row.application, row.channel);
}

void FollowBook::add(const QString &user, const QList<Subscription> &subscriptions)
{
    std::lock_guard lock(m_mutex);
    for (const Subscription &subscription : subscriptions) {
        if (subscription.channels.isEmpty())
            addLocked(user, subscription.application, QString());
        for (const QString &channel : subscription.channels)
            addLocked(user, subscription.application, channel);
    }
}

void FollowBook::replace(const QString &user, const QList<Subscription> &subscriptions)
{
    forget(user);
    add(user, subscriptions);
}

void FollowBook::forget(const QString &user)
{
    std::lock_guard lock(m_mutex);
    m_byUser.remove(user);
}

bool FollowBook::isLoaded() const
{
    std::lock_guard lock(m_mutex);
    return m_loaded;
}

bool FollowBook::mayFollow(const QString &user, const QString &application,
                           const QString &channel) const
{
    std::lock_guard lock(m_mutex);
    return !m_loaded || followsLocked(user, application, channel);
}

namespace {
// Follows are kept sorted by application, then channel, so a whole-application follow (empty
// channel) comes first among its application's: a user following thousands of channels costs
// a binary search per look-up, not a scan.
bool before(const QString &aApplication, const QString &aChannel, const QString &bApplication,
            const QString &bChannel)
{
    const int byApplication = QString::compare(aApplication, bApplication);
    return byApplication != 0 ? byApplication < 0 : QString::compare(aChannel, bChannel) < 0;
}
} // namespace

// The first follow not before (application, channel): where it is, or where it would go.
static QList<FollowBook::Follow>::const_iterator
lowerBound(const QList<FollowBook::Follow> &follows, const QString &application,
           const QString &channel)
{
    return std::lower_bound(follows.cbegin(), follows.cend(), 0,
                            [&](const FollowBook::Follow &f, int) {
                                return before(f.application, f.channel, application, channel);
                            });
}

static bool contains(const QList<FollowBook::Follow> &follows, const QString &application,
                     const QString &channel)
{
    const auto at = lowerBound(follows, application, channel);
    return at != follows.cend() && at->application == application && at->channel == channel;
}

void FollowBook::addLocked(const QString &user, const QString &application, const QString &channel)
{
    QList<Follow> &follows = m_byUser[user];
    const auto at = lowerBound(follows, application, channel);
    if (at == follows.cend() || at->application != application || at->channel != channel)
        follows.insert(at - follows.cbegin(), {application, channel});
}

bool FollowBook::followsLocked(const QString &user, const QString &application,
                               const QString &channel) const
{
    const auto follows = m_byUser.constFind(user);
    if (follows == m_byUser.cend())
        return false;
    return contains(*follows, application, QString()) || contains(*follows, application, channel);
}

} // namespace herald::syncd
