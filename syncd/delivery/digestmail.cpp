// SPDX-License-Identifier: Apache-2.0
#include "delivery/digestmail.h"

#include <QJsonArray>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

QString periodName(const QString &period)
{
    if (period.startsWith(u"weekly"))
        return u"Weekly digest"_s;
    if (period.startsWith(u"daily"))
        return u"Daily digest"_s;
    return u"Hourly digest"_s;
}

QString counted(qint64 n, const QString &one, const QString &many)
{
    return QString::number(n) + u' ' + (n == 1 ? one : many);
}

bool isWebLink(const QString &url)
{
    const QUrl parsed(url, QUrl::StrictMode);
    return parsed.isValid() && (parsed.scheme() == u"https" || parsed.scheme() == u"http");
}

QString when(const QJsonObject &item)
{
    const QDateTime time = QDateTime::fromString(item.value(u"time").toString(), Qt::ISODateWithMs);
    return time.isValid() ? time.toUTC().toString(u"yyyy-MM-dd HH:mm 'UTC'"_s) : QString();
}

QString titleOf(const QJsonObject &item)
{
    const QString title = item.value(u"title").toString();
    return title.isEmpty() ? item.value(u"message").toString() : title;
}

} // namespace

QString DigestMail::subject(const QJsonObject &digest)
{
    const qint64 count = digest.value(u"count").toInteger();
    const qint64 channels = digest.value(u"channels").toInteger();
    return periodName(digest.value(u"period").toString()) + u": "_s +
           counted(count, u"notification"_s, u"notifications"_s) + u" in "_s +
           counted(channels, u"channel"_s, u"channels"_s);
}

MailMessage DigestMail::compose(const QJsonObject &digest, const QString &from, const QString &to)
{
    const QJsonArray items = digest.value(u"items").toArray();
    const qint64 count = digest.value(u"count").toInteger();
    MailMessage mail;
    mail.fromName = u"Herald"_s;
    mail.from = from;
    mail.to = {to};
    mail.subject = subject(digest);
    mail.date = QDateTime::fromString(digest.value(u"periodEnd").toString(), Qt::ISODateWithMs);
    mail.messageId = digest.value(u"id").toString() + u"@herald"_s;
    mail.extraFields = {{"Auto-Submitted", "auto-generated"},
                        {"X-Herald-Digest", digest.value(u"id").toString().toLatin1()}};

    QString text = mail.subject + u"\n\n"_s;
    QString html = u"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>"_s +
                   mail.subject.toHtmlEscaped() +
                   u"</title></head>\n<body style=\"font-family: sans-serif\">\n<h2>"_s +
                   mail.subject.toHtmlEscaped() + u"</h2>\n<ul>\n"_s;
    for (const QJsonValue &value : items) {
        const QJsonObject item = value.toObject();
        const QString where =
            item.value(u"application").toString() + u'/' + item.value(u"channel").toString();
        const QString url = item.value(u"url").toString();
        text += u"- "_s + titleOf(item) + u" ("_s + where + u", "_s + when(item) + u")\n"_s;
        if (!url.isEmpty())
            text += u"  "_s + url + u'\n';
        html += u"<li>"_s;
        const QString shown = titleOf(item).toHtmlEscaped();
        html += isWebLink(url)
                    ? u"<a href=\""_s + url.toHtmlEscaped() + u"\">"_s + shown + u"</a>"_s
                    : shown;
        html +=
            u" <small>("_s + where.toHtmlEscaped() + u", "_s + when(item) + u")</small></li>\n"_s;
    }
    html += u"</ul>\n"_s;
    if (count > items.size()) {
        const QString more = u"And %1 more in your inbox."_s.arg(count - items.size());
        text += u'\n' + more + u'\n';
        html += u"<p>"_s + more + u"</p>\n"_s;
    }
    mail.text = text;
    mail.html = html + u"</body></html>\n"_s;
    return mail;
}

} // namespace herald::syncd
