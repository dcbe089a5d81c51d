// SPDX-License-Identifier: Apache-2.0
#include "backlogsummarizer.h"

#include <algorithm>

namespace herald::client {

void BacklogSummarizer::add(const Notification &notification)
{
    auto it = std::find_if(m_groups.begin(), m_groups.end(), [&](const PopupGroup &g) {
        return g.application == notification.application && g.channel == notification.channel;
    });
    if (it == m_groups.end()) {
        m_groups.append(PopupGroup{notification.application, notification.channel, {notification}});
        return;
    }
    it->notifications.append(notification);
}

void BacklogSummarizer::remove(const QList<NotificationId> &ids)
{
    for (PopupGroup &group : m_groups) {
        group.notifications.removeIf([&](const Notification &n) { return ids.contains(n.id); });
    }
    m_groups.removeIf([](const PopupGroup &g) { return g.notifications.isEmpty(); });
}

QList<PopupGroup> BacklogSummarizer::take()
{
    QList<PopupGroup> result;
    for (PopupGroup &group : m_groups) {
        if (group.notifications.size() > m_threshold) {
            group.summary = true;
            result.append(std::move(group));
            continue;
        }
        for (const Notification &n : std::as_const(group.notifications))
            result.append(PopupGroup{group.application, group.channel, {n}, false});
    }
    m_groups.clear();
    return result;
}

} // namespace herald::client
