// SPDX-License-Identifier: Apache-2.0
#include "notifier.h"

#include "model/rolluprule.h"

#include <QCoreApplication>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace herald::client {

Popup Popup::forNotification(const Notification &notification)
{
    Popup popup;
    popup.ids = {notification.id};
    popup.application = notification.application;
    popup.channel = notification.channel;
    popup.title = notification.title.isEmpty() ? notification.channel : notification.title;
    popup.body = notification.message;
    popup.url = notification.url;
    popup.priority = notification.priority;
    return popup;
}

Popup Popup::forGroup(const PopupGroup &group)
{
    if (!group.summary && group.notifications.size() == 1)
        return forNotification(group.notifications.first());
    Popup popup;
    popup.summary = true;
    popup.application = group.application;
    popup.channel = group.channel;
    popup.priority = Priority::Low;
    for (const Notification &n : group.notifications) {
        popup.ids.append(n.id);
        popup.priority = std::max(popup.priority, n.priority);
    }
    std::sort(popup.ids.begin(), popup.ids.end());
    const int count = int(group.notifications.size());
    popup.title =
        QCoreApplication::translate("herald::client::Popup", "%n new in %1", nullptr, count)
            .arg(group.channel);
    // The three newest titles give an idea of what happened.
    QStringList lines;
    for (auto it = group.notifications.crbegin();
         it != group.notifications.crend() && lines.size() < 3; ++it)
        lines << (it->title.isEmpty() ? it->message.section(u'\n', 0, 0) : it->title);
    if (count > lines.size())
        lines << QCoreApplication::translate("herald::client::Popup", "… and %n more", nullptr,
                                             count - int(lines.size()));
    popup.body = lines.join(u'\n');
    return popup;
}

Popup Popup::forRollup(const PopupGroup &group, const QString &rule)
{
    Popup popup = forGroup(group);
    if (group.notifications.size() < 2)
        return popup;
    const Notification &newest = group.notifications.last();
    popup.channel = newest.channel;
    popup.title =
        rollupTitle(int(group.notifications.size()), rule, newest.channel,
                    newest.title.isEmpty() ? newest.message.section(u'\n', 0, 0) : newest.title);
    return popup;
}

} // namespace herald::client
