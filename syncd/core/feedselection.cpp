// SPDX-License-Identifier: Apache-2.0
#include "core/feedselection.h"

#include "core/digestrouter.h"
#include "core/preferences.h"
#include "delivery/digestmail.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

constexpr qsizetype MaxDerivedTitle = 120;

// A title for a notification that has none: its message's first line, else its channel.
QString titleOf(const Notification &notification)
{
    if (!notification.title.trimmed().isEmpty())
        return notification.title;
    const QString line = notification.message.section(u'\n', 0, 0).trimmed();
    if (line.isEmpty())
        return channelKey(notification.application, notification.channel);
    if (line.size() <= MaxDerivedTitle)
        return line;
    return line.left(MaxDerivedTitle - 1) + u'\u2026';
}

bool newerFirst(const FeedEntry &a, const FeedEntry &b)
{
    if (a.updated != b.updated)
        return a.updated > b.updated;
    return a.id > b.id;
}

} // namespace

const QString FeedSelection::Agent = u"feed"_s;

FeedSelection::FeedSelection(const QString &scope)
    : m_scope(QString::fromLatin1(
          QUrl::toPercentEncoding(scope.trimmed().isEmpty() ? u"default"_s : scope.trimmed())))
{
}

bool FeedSelection::admits(const Preferences &preferences, const Notification &notification)
{
    const DeliveryRule &rule = preferences.ruleFor(notification);
    return rule.mode == DeliveryRule::Mode::Immediate && rule.agents.contains(Agent);
}

Feed FeedSelection::feed(const QString &user, const QList<InboxEntry> &window,
                         const Preferences &preferences) const
{
    Feed feed;
    feed.id = feedId(user);
    feed.title = u"Herald: %1"_s.arg(user);
    feed.user = user;
    for (const InboxEntry &entry : window) {
        if (feed.entries.size() == MaxEntries)
            break;
        if (admits(preferences, entry.notification))
            feed.entries.append(entryOf(entry.notification));
    }
    // The window is newest first by id; ids grow with time, but times of relayed notifications
    // may disagree by a little: the feed is ordered by the time it shows.
    std::stable_sort(feed.entries.begin(), feed.entries.end(), newerFirst);
    feed.updated = feed.entries.isEmpty() ? emptyFeedUpdated() : feed.entries.first().updated;
    return feed;
}

Feed FeedSelection::merge(Feed feed, const QList<FeedEntry> &extra)
{
    feed.entries.append(extra);
    std::stable_sort(feed.entries.begin(), feed.entries.end(), newerFirst);
    if (feed.entries.size() > MaxEntries)
        feed.entries.resize(MaxEntries);
    if (!feed.entries.isEmpty())
        feed.updated = std::max(feed.updated, feed.entries.first().updated);
    return feed;
}

FeedEntry FeedSelection::entryOf(const Notification &notification) const
{
    FeedEntry entry;
    entry.id = entryId(notification.id);
    entry.title = titleOf(notification);
    entry.content = notification.message;
    entry.link = notification.url;
    entry.published = notification.time.toUTC();
    entry.updated = entry.published;
    entry.categories = {
        {u"urn:herald:application"_s, notification.application},
        {u"urn:herald:channel"_s, channelKey(notification.application, notification.channel)},
    };
    return entry;
}

std::optional<FeedEntry> FeedSelection::entryOf(const SentDigest &digest) const
{
    const auto key = DigestRouter::readKey(digest.key);
    if (!key || !key->agents.contains(Agent))
        return std::nullopt; // a digest for other agents only
    const QJsonObject frame = QJsonDocument::fromJson(digest.frame).object();
    const QJsonObject data = frame.value(u"data").toObject();
    FeedEntry entry;
    entry.id = u"urn:herald:%1:digest:%2"_s.arg(m_scope, digest.id);
    entry.title = DigestMail::subject(data);
    QStringList lines;
    for (const QJsonValue &item : data.value(u"items").toArray()) {
        const QJsonObject n = item.toObject();
        const QString title = n.value(u"title").toString();
        lines.append(
            u"- "_s + (title.isEmpty() ? n.value(u"message").toString() : title) + u" ("_s +
            channelKey(n.value(u"application").toString(), n.value(u"channel").toString()) + u')');
    }
    entry.content = lines.join(u'\n');
    entry.published = QDateTime::fromMSecsSinceEpoch(digest.sentMs, Qt::UTC);
    entry.updated = entry.published;
    entry.categories = {{u"urn:herald:digest"_s, key->schedule.toString()}};
    return entry;
}

QString FeedSelection::feedId(const QString &user) const
{
    return u"urn:herald:%1:feed:%2"_s.arg(m_scope, user);
}

QString FeedSelection::entryId(NotificationId id) const
{
    return u"urn:herald:%1:notification:%2"_s.arg(m_scope).arg(id);
}

QDateTime FeedSelection::emptyFeedUpdated()
{
    // The epoch of notification ids (PROTOCOL.md, Identifiers): no notification is older.
    return QDateTime(QDate(2025, 1, 1), QTime(0, 0), Qt::UTC);
}

} // namespace herald::syncd
