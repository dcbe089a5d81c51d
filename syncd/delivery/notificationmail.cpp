// SPDX-License-Identifier: Apache-2.0
#include "delivery/notificationmail.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

// The facts below the message, in the order both parts show them; empty ones left out.
struct Fact
{
    QString label;
    QString value;
};

QString readableTime(const QString &iso)
{
    const QDateTime time = QDateTime::fromString(iso, Qt::ISODateWithMs);
    return time.isValid() ? time.toUTC().toString(u"yyyy-MM-dd HH:mm:ss 'UTC'"_s) : iso;
}

QList<Fact> factsOf(const QJsonObject &n)
{
    const QList<Fact> all = {
        {u"Application"_s,
         n.value(u"application").toString() + u" / "_s + n.value(u"channel").toString()},
        {u"Event"_s, n.value(u"code").toString()},
        {u"Level"_s, n.value(u"level").toString()},
        {u"Priority"_s, n.value(u"priority").toString()},
        {u"Time"_s, readableTime(n.value(u"time").toString())},
    };
    QList<Fact> facts;
    for (const Fact &fact : all) {
        if (!fact.value.isEmpty())
            facts.append(fact);
    }
    return facts;
}

// Only web links become links: a "javascript:" URL stays text.
bool isWebLink(const QString &url)
{
    const QUrl parsed(url, QUrl::StrictMode);
    return parsed.isValid() && (parsed.scheme() == u"https" || parsed.scheme() == u"http");
}

QString plainText(const QString &title, const QString &message, const QList<Fact> &facts,
                  const QString &url, const QString &deliveryId)
{
    QString text;
    if (!title.isEmpty())
        text += title + u"\n\n"_s;
    if (!message.isEmpty())
        text += message + u"\n\n"_s;
    for (const Fact &fact : facts)
        text += fact.label + u": "_s + fact.value + u'\n';
    if (!url.isEmpty())
        text += u"Link: "_s + url + u'\n';
    return text + u"\n-- \nSent by herald-syncd, delivery "_s + deliveryId + u'\n';
}

QString htmlText(const QString &subject, const QString &title, const QString &message,
                 const QList<Fact> &facts, const QString &url, const QString &deliveryId)
{
    QString html = u"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>"_s +
                   subject.toHtmlEscaped() +
                   u"</title></head>\n<body style=\"font-family: sans-serif\">\n"_s;
    if (!title.isEmpty())
        html += u"<h2>"_s + title.toHtmlEscaped() + u"</h2>\n"_s;
    if (!message.isEmpty()) {
        QString paragraph = message.toHtmlEscaped();
        paragraph.replace(u"\n"_s, u"<br>\n"_s);
        html += u"<p>"_s + paragraph + u"</p>\n"_s;
    }
    html += u"<table>\n"_s;
    for (const Fact &fact : facts)
        html += u"<tr><th align=\"left\">"_s + fact.label + u"</th><td>"_s +
                fact.value.toHtmlEscaped() + u"</td></tr>\n"_s;
    if (!url.isEmpty()) {
        const QString shown = url.toHtmlEscaped();
        html += u"<tr><th align=\"left\">Link</th><td>"_s +
                (isWebLink(url) ? u"<a href=\""_s + shown + u"\">"_s + shown + u"</a>"_s : shown) +
                u"</td></tr>\n"_s;
    }
    return html +
           u"</table>\n<p style=\"color: #777; font-size: small\">Sent by herald-syncd, "
           u"delivery "_s +
           deliveryId.toHtmlEscaped() + u"</p>\n</body></html>\n"_s;
}

} // namespace

MailMessage NotificationMail::compose(const DeliveryJob &job, const QString &from,
                                      const QStringList &to)
{
    const QJsonObject n = QJsonDocument::fromJson(job.payload).object();
    const QString title = n.value(u"title").toString();
    const QString message = n.value(u"message").toString();
    const QString url = n.value(u"url").toString();
    const QList<Fact> facts = factsOf(n);

    MailMessage mail;
    mail.fromName = u"Herald"_s;
    mail.from = from;
    mail.to = to;
    mail.subject = !title.isEmpty()
                       ? title
                       : n.value(u"application").toString() + u'/' + n.value(u"channel").toString();
    mail.date = QDateTime::fromMSecsSinceEpoch(job.createdMs, Qt::UTC);
    // The delivery's id: a retry is the same message, and mail systems drop the duplicate.
    mail.messageId = job.id + u"@herald"_s;
    mail.extraFields = {{"Auto-Submitted", "auto-generated"}, // RFC 3834: no auto-replies
                        {"X-Herald-Delivery", job.id.toLatin1()}};
    mail.text = plainText(title, message, facts, url, job.id);
    mail.html = htmlText(mail.subject, title, message, facts, url, job.id);
    return mail;
}

} // namespace herald::syncd
