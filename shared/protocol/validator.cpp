// SPDX-License-Identifier: Apache-2.0
#include "validator.h"

#include "fieldpath.h"

#include <QSet>
#include <QUrl>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace herald {

namespace {

constexpr int MaxNameChars = 64;
constexpr int MaxClientIdChars = 128;
constexpr int MaxLevelChars = 64;
constexpr int MaxLabelChars = 64;

// Limits count characters (code points), not UTF-16 units, so an emoji counts once.
qsizetype charCount(const QString &text)
{
    qsizetype count = text.size();
    for (QChar c : text) {
        if (c.isLowSurrogate())
            --count;
    }
    return count;
}

QString longerThan(qsizetype limit, const char *unit = "characters")
{
    return u"longer than %1 %2"_s.arg(limit).arg(QLatin1StringView(unit));
}

Result<void> checkLength(const QString &text, qsizetype maxChars, const QString &path)
{
    if (charCount(text) > maxChars)
        return failField(path, longerThan(maxChars));
    return {};
}

bool isNameChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '.' ||
           u == '_' || u == '-';
}

// Links that a desktop notification may open: web pages and mail, never file: or javascript:.
Result<void> checkLinkUrl(const QString &text, qsizetype maxChars, const QString &path)
{
    if (auto r = checkLength(text, maxChars, path); !r)
        return r;
    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    bool ok = url.isValid();
    if (scheme == "http"_L1 || scheme == "https"_L1)
        ok = ok && !url.host().isEmpty();
    else if (scheme == "mailto"_L1)
        ok = ok && !url.path().isEmpty();
    else
        ok = false;
    if (!ok)
        return failField(path, u"must be an http, https or mailto URL"_s);
    return {};
}

} // namespace

bool Validator::isValidName(const QString &name)
{
    if (name.isEmpty() || name.size() > MaxNameChars)
        return false;
    return std::all_of(name.begin(), name.end(), isNameChar);
}

Result<void> Validator::checkName(const QString &name, const QString &field) const
{
    if (name.isEmpty())
        return failField(field, u"must not be empty"_s);
    if (name.size() > MaxNameChars)
        return failField(field, longerThan(MaxNameChars));
    if (!isValidName(name))
        return failField(field, u"may only contain A-Z, a-z, 0-9, '.', '_' and '-'"_s);
    return {};
}

Result<void> Validator::checkUrl(const QString &url, const QString &field) const
{
    return checkLinkUrl(url, m_limits.maxUrlChars, field);
}

Result<void> Validator::checkNotification(const Notification &n, const QString &path) const
{
    const auto at = [&path](const QString &field) { return fieldPath(path, field); };

    if (auto r = checkName(n.application, at(u"application"_s)); !r)
        return r;
    if (auto r = checkName(n.channel, at(u"channel"_s)); !r)
        return r;
    if (auto r = checkLength(n.title, m_limits.maxTitleChars, at(u"title"_s)); !r)
        return r;
    if (n.message.toUtf8().size() > m_limits.maxMessageBytes)
        return failField(at(u"message"_s), longerThan(m_limits.maxMessageBytes, "bytes"));
    if (n.title.isEmpty() && n.message.isEmpty())
        return failField(at(u"message"_s), u"must not be empty when there is no title"_s);
    if (auto r = checkLength(n.code, m_limits.maxCodeChars, at(u"code"_s)); !r)
        return r;
    if (auto r = checkLength(n.level, MaxLevelChars, at(u"level"_s)); !r)
        return r;

    if (n.tags.size() > m_limits.maxTags)
        return failField(at(u"tags"_s), u"more than %1 tags"_s.arg(m_limits.maxTags));
    for (auto it = n.tags.cbegin(); it != n.tags.cend(); ++it) {
        if (it.key().isEmpty())
            return failField(at(u"tags"_s), u"a tag key is empty"_s);
        const QString tagPath = fieldPath(at(u"tags"_s), it.key());
        if (charCount(it.key()) > m_limits.maxTagKeyChars)
            return failField(tagPath, u"key "_s + longerThan(m_limits.maxTagKeyChars));
        if (charCount(it.value()) > m_limits.maxTagValueChars)
            return failField(tagPath, u"value "_s + longerThan(m_limits.maxTagValueChars));
    }

    if (!n.url.isEmpty()) {
        if (auto r = checkUrl(n.url, at(u"url"_s)); !r)
            return r;
    }

    if (n.actions.size() > m_limits.maxActions)
        return failField(at(u"actions"_s), u"more than %1 actions"_s.arg(m_limits.maxActions));
    QSet<QString> actionIds;
    for (qsizetype i = 0; i < n.actions.size(); ++i) {
        const NotificationAction &action = n.actions.at(i);
        const QString actionPath = indexPath(at(u"actions"_s), i);
        if (auto r = checkName(action.id, fieldPath(actionPath, u"id"_s)); !r)
            return r;
        if (actionIds.contains(action.id))
            return failField(fieldPath(actionPath, u"id"_s), u"duplicate id '%1'"_s.arg(action.id));
        actionIds.insert(action.id);
        if (action.label.isEmpty())
            return failField(fieldPath(actionPath, u"label"_s), u"must not be empty"_s);
        if (auto r = checkLength(action.label, MaxLabelChars, fieldPath(actionPath, u"label"_s));
            !r)
            return r;
        if (!action.url.isEmpty()) {
            if (auto r = checkUrl(action.url, fieldPath(actionPath, u"url"_s)); !r)
                return r;
        }
    }

    if (n.recipients.size() > m_limits.maxRecipients) {
        return failField(at(u"recipients"_s),
                         u"more than %1 recipients"_s.arg(m_limits.maxRecipients));
    }
    for (qsizetype i = 0; i < n.recipients.size(); ++i) {
        if (auto r = checkName(n.recipients.at(i), indexPath(at(u"recipients"_s), i)); !r)
            return r;
    }

    if (n.expiresAt && !n.expiresAt->isValid())
        return failField(at(u"expiresAt"_s), u"must be an RFC 3339 time"_s);
    return {};
}

Result<void> Validator::checkIds(const QList<NotificationId> &ids, const QString &field) const
{
    if (ids.isEmpty())
        return failField(field, u"must not be empty"_s);
    if (ids.size() > m_limits.maxIdsPerAck)
        return failField(field, u"more than %1 ids"_s.arg(m_limits.maxIdsPerAck));
    for (qsizetype i = 0; i < ids.size(); ++i) {
        if (!isValidId(ids.at(i)))
            return failField(indexPath(field, i), u"must be a positive integer below 2^53"_s);
    }
    return {};
}

Result<void> Validator::checkRegister(const RegisterMessage &message) const
{
    if (message.clientId.isEmpty())
        return failField(u"clientId"_s, u"must not be empty"_s);
    if (auto r = checkLength(message.clientId, MaxClientIdChars, u"clientId"_s); !r)
        return r;
    if (!message.user.isEmpty()) {
        if (auto r = checkName(message.user, u"user"_s); !r)
            return r;
    }

    // An empty list is a session that publishes only: whether the token may is the server's
    // decision, not the wire's.
    qsizetype channelCount = 0;
    for (qsizetype i = 0; i < message.subscriptions.size(); ++i) {
        const Subscription &subscription = message.subscriptions.at(i);
        const QString path = indexPath(u"subscriptions"_s, i);
        if (auto r = checkName(subscription.application, fieldPath(path, u"application"_s)); !r)
            return r;
        const QString channelsPath = fieldPath(path, u"channels"_s);
        if (subscription.channels.isEmpty())
            return failField(channelsPath, u"must not be empty"_s);
        for (qsizetype c = 0; c < subscription.channels.size(); ++c) {
            if (auto r = checkName(subscription.channels.at(c), indexPath(channelsPath, c)); !r)
                return r;
        }
        channelCount += subscription.channels.size();
    }
    if (channelCount > m_limits.maxSubscriptions) {
        return failField(u"subscriptions"_s,
                         u"more than %1 channels in total"_s.arg(m_limits.maxSubscriptions));
    }

    if (message.fetchLast < 0 || message.fetchLast > m_limits.maxFetchLast) {
        return failField(u"fetchLast"_s, u"must be between 0 and %1"_s.arg(m_limits.maxFetchLast));
    }
    if (message.lastNotificationId && !isValidId(*message.lastNotificationId))
        return failField(u"lastNotificationId"_s, u"must be a positive integer below 2^53"_s);
    return {};
}

Result<void> Validator::checkApplication(const Application &application) const
{
    if (auto r = checkName(application.name, u"name"_s); !r)
        return r;
    if (auto r = checkLength(application.title, m_limits.maxTitleChars, u"title"_s); !r)
        return r;
    QSet<QString> typeIds;
    for (qsizetype i = 0; i < application.eventTypes.size(); ++i) {
        const EventType &type = application.eventTypes.at(i);
        const QString path = indexPath(u"eventTypes"_s, i);
        if (auto r = checkName(type.id, fieldPath(path, u"id"_s)); !r)
            return r;
        if (typeIds.contains(type.id))
            return failField(fieldPath(path, u"id"_s), u"duplicate id '%1'"_s.arg(type.id));
        typeIds.insert(type.id);
        if (auto r = checkLength(type.title, m_limits.maxTitleChars, fieldPath(path, u"title"_s));
            !r)
            return r;
        QSet<QString> levelIds;
        for (qsizetype l = 0; l < type.levels.size(); ++l) {
            const Level &level = type.levels.at(l);
            const QString levelPath = indexPath(fieldPath(path, u"levels"_s), l);
            if (auto r = checkName(level.id, fieldPath(levelPath, u"id"_s)); !r)
                return r;
            if (levelIds.contains(level.id)) {
                return failField(fieldPath(levelPath, u"id"_s),
                                 u"duplicate id '%1'"_s.arg(level.id));
            }
            levelIds.insert(level.id);
            if (auto r = checkLength(level.title, m_limits.maxTitleChars,
                                     fieldPath(levelPath, u"title"_s));
                !r)
                return r;
        }
    }
    return {};
}

Result<void> Validator::checkChannel(const Channel &channel) const
{
    if (auto r = checkName(channel.application, u"application"_s); !r)
        return r;
    if (auto r = checkName(channel.name, u"name"_s); !r)
        return r;
    if (auto r = checkLength(channel.title, m_limits.maxTitleChars, u"title"_s); !r)
        return r;
    // A description is prose like a message body, so it shares the message's byte limit.
    if (channel.description.toUtf8().size() > m_limits.maxMessageBytes)
        return failField(u"description"_s, longerThan(m_limits.maxMessageBytes, "bytes"));
    return {};
}

} // namespace herald
