// SPDX-License-Identifier: Apache-2.0
#include "jsonnotification.h"

#include "jsontext.h"
#include "model/timestamps.h"

namespace herald::json {

namespace {
// Writes `"key":` after a comma unless it is the object's first key.
class ObjectWriter
{
public:
    explicit ObjectWriter(QByteArray &out) : m_out(out) { m_out += '{'; }
    ~ObjectWriter() { m_out += '}'; }

    QByteArray &key(const char *name)
    {
        if (!m_first)
            m_out += ',';
        m_first = false;
        m_out += '"';
        m_out += name;
        m_out += "\":";
        return m_out;
    }

private:
    QByteArray &m_out;
    bool m_first = true;
};

// Text known to need no escape (a timestamp), between quotes.
void appendQuotedAscii(QByteArray &out, const QByteArray &text)
{
    out += '"';
    out += text;
    out += '"';
}

void writeStringList(QByteArray &out, const QStringList &list)
{
    out += '[';
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (i > 0)
            out += ',';
        appendQuoted(out, list.at(i));
    }
    out += ']';
}

void writeActions(QByteArray &out, const QList<NotificationAction> &actions)
{
    out += '[';
    for (qsizetype i = 0; i < actions.size(); ++i) {
        if (i > 0)
            out += ',';
        const NotificationAction &action = actions.at(i);
        ObjectWriter a(out); // sorted: id, label, url
        appendQuoted(a.key("id"), action.id);
        appendQuoted(a.key("label"), action.label);
        if (!action.url.isEmpty())
            appendQuoted(a.key("url"), action.url);
    }
    out += ']';
}

void writeTags(QByteArray &out, const QMap<QString, QString> &tags)
{
    out += '{';
    for (auto it = tags.cbegin(); it != tags.cend(); ++it) { // QMap: sorted as QJsonObject
        if (it != tags.cbegin())
            out += ',';
        appendQuoted(out, it.key());
        out += ':';
        appendQuoted(out, it.value());
    }
    out += '}';
}
} // namespace

QByteArray notificationText(const Notification &n)
{
    QByteArray out;
    appendNotificationText(out, n);
    return out;
}

void appendNotificationText(QByteArray &out, const Notification &n)
{
    out.reserve(out.size() + 256 + 2 * (n.title.size() + n.message.size()));
    {
        // Empty optional strings are left out, as JsonCodec::toJson does.
        ObjectWriter o(out);
        writeActions(o.key("actions"), n.actions);
        appendQuoted(o.key("application"), n.application);
        appendQuoted(o.key("channel"), n.channel);
        if (!n.code.isEmpty())
            appendQuoted(o.key("code"), n.code);
        if (n.expiresAt)
            appendQuotedAscii(o.key("expiresAt"), toRfc3339Latin1(*n.expiresAt));
        appendInteger(o.key("id"), qint64(n.id));
        if (!n.level.isEmpty())
            appendQuoted(o.key("level"), n.level);
        appendQuoted(o.key("message"), n.message);
        appendInteger(o.key("node"), n.node);
        o.key("persistent") += n.persistent ? "true" : "false";
        appendQuoted(o.key("priority"), priorityName(n.priority));
        if (!n.recipients.isEmpty())
            writeStringList(o.key("recipients"), n.recipients);
        writeTags(o.key("tags"), n.tags);
        if (n.time.isValid())
            appendQuotedAscii(o.key("time"), toRfc3339Latin1(n.time));
        appendQuoted(o.key("title"), n.title);
        if (!n.url.isEmpty())
            appendQuoted(o.key("url"), n.url);
    }
}

} // namespace herald::json
