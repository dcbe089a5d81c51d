// SPDX-License-Identifier: Apache-2.0
#include "notifier.h"

#include "model/rolluprule.h"
#include "model/userpreferences.h"

#include <QCoreApplication>
#include <QSet>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace herald::client {

namespace {
int clamped(qint64 n)
{
    return int(std::min<qint64>(n, std::numeric_limits<int>::max()));
}

// The newest three titles, then "… and N more" of `count`.
QString latestTitles(const QList<Notification> &oldestFirst, qint64 count)
{
    QStringList lines;
    for (auto it = oldestFirst.crbegin(); it != oldestFirst.crend() && lines.size() < 3; ++it)
        lines << (it->title.isEmpty() ? it->message.section(u'\n', 0, 0) : it->title);
    if (count > lines.size())
        lines << QCoreApplication::translate("herald::client::Popup", "… and %n more", nullptr,
                                             clamped(count - lines.size()));
    return lines.join(u'\n');
}
} // namespace

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
    popup.body = latestTitles(group.notifications, count);
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

namespace herald::client {

QString digestTitle(const QString &period, qint64 count, int channels)
{
    const QString notifications = QCoreApplication::translate(
        "herald::client::Popup", "%n notification(s)", nullptr, clamped(count));
    const QString inChannels =
        QCoreApplication::translate("herald::client::Popup", "%n channel(s)", nullptr, channels);
    const auto kind = DigestSchedule::periodOf(period);
    const char *title = QT_TRANSLATE_NOOP("herald::client::Popup", "Digest: %1 in %2");
    if (kind == DigestSchedule::Period::Hourly)
        title = QT_TRANSLATE_NOOP("herald::client::Popup", "Hourly digest: %1 in %2");
    else if (kind == DigestSchedule::Period::Daily)
        title = QT_TRANSLATE_NOOP("herald::client::Popup", "Daily digest: %1 in %2");
    else if (kind == DigestSchedule::Period::Weekly)
        title = QT_TRANSLATE_NOOP("herald::client::Popup", "Weekly digest: %1 in %2");
    return QCoreApplication::translate("herald::client::Popup", title)
        .arg(notifications, inChannels);
}

Popup Popup::forDigest(const DigestMessage &digest)
{
    Popup popup;
    popup.summary = true;
    QSet<QString> channels;
    for (const Notification &n : digest.items) {
        popup.ids.append(n.id);
        channels.insert(channelKey(n.application, n.channel));
    }
    std::sort(popup.ids.begin(), popup.ids.end());
    popup.ids.erase(std::unique(popup.ids.begin(), popup.ids.end()), popup.ids.end());
    if (channels.size() == 1) {
        popup.application = digest.items.first().application;
        popup.channel = digest.items.first().channel;
    }
    // `count` is what the period collected; the items may be only the newest of them.
    const qint64 count = std::max<qint64>(digest.count, digest.items.size());
    // The server counts the channels of the whole digest; an older one sends none.
    const qint64 channelCount = std::max<qint64>(digest.channels, channels.size());
    popup.title = digestTitle(digest.period, count, int(channelCount));
    popup.body = latestTitles(digest.items, count);
    return popup;
}

} // namespace herald::client
