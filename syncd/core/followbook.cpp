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

void FollowBook::addLocked(const QString &user, const QString &application, const QString &channel)
{
    QList<Follow> &follows = m_byUser[user];
    const bool known = std::any_of(follows.cbegin(), follows.cend(), [&](const Follow &f) {
        return f.application == application && f.channel == channel;
    });
    if (!known)
        follows.append({application, channel});
}

bool FollowBook::followsLocked(const QString &user, const QString &application,
                               const QString &channel) const
{
    const auto follows = m_byUser.constFind(user);
    if (follows == m_byUser.cend())
        return false;
    return std::any_of(follows->cbegin(), follows->cend(), [&](const Follow &f) {
        return f.application == application && (f.channel.isEmpty() || f.channel == channel);
    });
}

} // namespace herald::syncd
