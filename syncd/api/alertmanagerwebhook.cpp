// SPDX-License-Identifier: Apache-2.0
#include "api/alertmanagerwebhook.h"

#include "codec/jsoncodec.h"
#include "codec/jsonfields.h"

using namespace Qt::StringLiterals;

namespace herald::syncd {

using json::FieldReader;

namespace {
const QString Ellipsis = u"…"_s;
// Tags Herald adds to every alert's labels.
const QString StatusTag = u"status"_s;
const QString FingerprintTag = u"fingerprint"_s;
} // namespace

std::optional<Priority> AlertmanagerWebhook::priorityFromSeverity(const QString &severity)
{
    const QString s = severity.trimmed().toLower();
    if (s == "critical"_L1 || s == "page"_L1 || s == "emergency"_L1 || s == "fatal"_L1 ||
        s == "disaster"_L1)
        return Priority::Urgent;
    if (s == "error"_L1 || s == "major"_L1 || s == "high"_L1 || s == "warning"_L1 || s == "warn"_L1)
        return Priority::High;
    if (s == "info"_L1 || s == "informational"_L1 || s == "notice"_L1 || s == "medium"_L1)
        return Priority::Normal;
    if (s == "low"_L1 || s == "minor"_L1 || s == "debug"_L1 || s == "none"_L1)
        return Priority::Low;
    return std::nullopt;
}

QString AlertmanagerWebhook::shortened(const QString &text, qsizetype maxChars)
{
    qsizetype chars = 0;
    qsizetype cut = -1; // UTF-16 index where maxChars - 1 code points end
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i).isLowSurrogate())
            continue;
        if (chars == maxChars - 1)
            cut = i;
        ++chars;
    }
    if (chars <= maxChars)
        return text;
    return text.left(cut) + Ellipsis;
}

QString AlertmanagerWebhook::shortenedUtf8(const QString &text, qsizetype maxBytes)
{
    QByteArray bytes = text.toUtf8();
    if (bytes.size() <= maxBytes)
        return text;
    qsizetype cut = maxBytes - Ellipsis.toUtf8().size();
    while (cut > 0 && (quint8(bytes.at(cut)) & 0xC0) == 0x80)
        --cut; // not inside a character
    bytes.truncate(cut);
    return QString::fromUtf8(bytes) + Ellipsis;
}

QMap<QString, QString> AlertmanagerWebhook::tagsOf(const QMap<QString, QString> &labels,
                                                   const QString &status,
                                                   const QString &fingerprint) const
{
    const Limits &limits = m_validator.limits();
    QMap<QString, QString> tags{{StatusTag, status}};
    if (!fingerprint.isEmpty())
        tags.insert(FingerprintTag, shortened(fingerprint, limits.maxTagValueChars));
    // Labels by name until the tag limit; one too long for a tag key is left out.
    for (auto it = labels.cbegin(); it != labels.cend(); ++it) {
        if (tags.contains(it.key()) || it.key().isEmpty() ||
            it.key().size() > limits.maxTagKeyChars)
            continue;
        if (tags.size() >= limits.maxTags)
            break;
        tags.insert(it.key(), shortened(it.value(), limits.maxTagValueChars));
    }
    return tags;
}

Result<Notification> AlertmanagerWebhook::readAlert(const QString &application,
                                                    const QString &channel,
                                                    const QString &externalUrl,
                                                    const QJsonObject &alert,
                                                    const QString &path) const
{
    FieldReader r(alert, path);
    const QString status = r.requiredString(u"status"_s);
    const QMap<QString, QString> labels = r.stringMap(u"labels"_s);
    const QMap<QString, QString> annotations = r.stringMap(u"annotations"_s);
    const QString generatorUrl = r.string(u"generatorURL"_s);
    const QString fingerprint = r.string(u"fingerprint"_s);
    if (!r.ok())
        return r.unexpected();
    const bool resolved = status == "resolved"_L1;
    if (!resolved && status != "firing"_L1)
        return failField(r.path(u"status"_s), u"must be firing or resolved"_s);

    const Limits &limits = m_validator.limits();
    Notification n;
    n.application = application;
    n.channel = labels.value(QString::fromLatin1(ChannelLabel), channel);
    if (n.channel.isEmpty())
        n.channel = QString::fromLatin1(DefaultChannel);
    n.code = labels.value(u"alertname"_s);
    n.level = labels.value(u"severity"_s);
    QString title = annotations.value(u"summary"_s, n.code);
    if (title.isEmpty())
        title = u"Alert"_s;
    n.title = shortened(resolved ? u"Resolved: "_s + title : title, limits.maxTitleChars);
    n.message = shortenedUtf8(annotations.value(u"description"_s, annotations.value(u"message"_s)),
                              limits.maxMessageBytes);
    // A resolved alert is good news: never louder than normal.
    n.priority = priorityFromSeverity(n.level).value_or(Priority::Normal);
    if (resolved)
        n.priority = std::min(n.priority, Priority::Normal);
    n.tags = tagsOf(labels, status, fingerprint);
    // generatorURL holds the whole PromQL expression and may be over the limit; the
    // Alertmanager's own page is the next best link.
    for (const QString &url : {generatorUrl, externalUrl}) {
        if (!url.isEmpty() && m_validator.checkUrl(url, u"url"_s)) {
            n.url = url;
            break;
        }
    }
    if (auto valid = m_validator.checkNotification(n, path); !valid)
        return tl::unexpected(valid.error());
    return n;
}

Result<QList<Notification>> AlertmanagerWebhook::read(const QString &application,
                                                      const QString &channel,
                                                      const QByteArray &body) const
{
    const Result<QJsonObject> object = JsonCodec::parseObjectBody(body);
    if (!object)
        return tl::unexpected(object.error());
    FieldReader r(*object);
    const QString version = r.string(u"version"_s);
    const QString externalUrl = r.string(u"externalURL"_s);
    r.require(u"alerts"_s);
    const QJsonArray alerts = r.array(u"alerts"_s);
    if (!r.ok())
        return r.unexpected();
    if (!version.isEmpty() && version != "4"_L1)
        return failField(u"version"_s,
                         u"'%1' is not supported; Herald reads version 4"_s.arg(version));
    if (alerts.isEmpty())
        return failField(u"alerts"_s, u"must not be empty"_s);
    if (alerts.size() > m_validator.limits().maxBatch) {
        return failField(u"alerts"_s, u"more than %1 alerts"_s.arg(m_validator.limits().maxBatch));
    }
    QList<Notification> notifications;
    notifications.reserve(alerts.size());
    for (qsizetype i = 0; i < alerts.size(); ++i) {
        const QString path = indexPath(u"alerts"_s, i);
        if (!alerts.at(i).isObject())
            return failField(path, u"must be an object"_s);
        auto n = readAlert(application, channel, externalUrl, alerts.at(i).toObject(), path);
        if (!n)
            return tl::unexpected(n.error());
        notifications.append(std::move(*n));
    }
    return notifications;
}

} // namespace herald::syncd
