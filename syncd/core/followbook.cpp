// SPDX-License-Identifier: Apache-2.0
#include "core/followbook.h"

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

void FollowBook::dropNonFollowers(DeferredWork &work) const
{
    if (work.digestItems.isEmpty() && work.userDeliveries.isEmpty())
        return;
    std::lock_guard lock(m_mutex);
    if (!m_loaded)
        return;
    work.digestItems.removeIf([this](const DigestItem &item) {
        return !followsLocked(item.user, item.application, item.channel);
    });
    work.userDeliveries.removeIf([this](const UserDelivery &delivery) {
        return !followsLocked(delivery.user, delivery.application, delivery.channel);
    });
}

void FollowBook::addLocked(const QString &user, const QString &application, const QString &channel)
{
    m_byUser[user][application].insert(channel);
}

bool FollowBook::followsLocked(const QString &user, const QString &application,
                               const QString &channel) const
{
    const auto follows = m_byUser.constFind(user);
    if (follows == m_byUser.cend())
        return false;
    const auto channels = follows->constFind(application);
    return channels != follows->cend() &&
           (channels->contains(QString()) || channels->contains(channel));
}

} // namespace herald::syncd
