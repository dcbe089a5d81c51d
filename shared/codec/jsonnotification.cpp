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

void writeStringList(QByteArray &out, const QStringList &list)
{
    out += '[';
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (i > 0)
            out += ',';
        out += quote(list.at(i));
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
        a.key("id") += quote(action.id);
        a.key("label") += quote(action.label);
        if (!action.url.isEmpty())
            a.key("url") += quote(action.url);
    }
    out += ']';
}

void writeTags(QByteArray &out, const QMap<QString, QString> &tags)
{
    out += '{';
    for (auto it = tags.cbegin(); it != tags.cend(); ++it) { // QMap: sorted as QJsonObject
        if (it != tags.cbegin())
            out += ',';
        out += quote(it.key());
        out += ':';
        out += quote(it.value());
    }
    out += '}';
}
} // namespace

QByteArray notificationText(const Notification &n)
{
    QByteArray out;
    out.reserve(256 + 2 * (n.title.size() + n.message.size()));
    {
        // Empty optional strings are left out, as JsonCodec::toJson does.
        ObjectWriter o(out);
        writeActions(o.key("actions"), n.actions);
        o.key("application") += quote(n.application);
        o.key("channel") += quote(n.channel);
        if (!n.code.isEmpty())
            o.key("code") += quote(n.code);
        if (n.expiresAt)
            o.key("expiresAt") += quote(toRfc3339(*n.expiresAt));
        o.key("id") += QByteArray::number(qint64(n.id));
        if (!n.level.isEmpty())
            o.key("level") += quote(n.level);
        o.key("message") += quote(n.message);
        o.key("node") += QByteArray::number(n.node);
        o.key("persistent") += n.persistent ? "true" : "false";
        o.key("priority") += quote(priorityName(n.priority));
        if (!n.recipients.isEmpty())
            writeStringList(o.key("recipients"), n.recipients);
        writeTags(o.key("tags"), n.tags);
        if (n.time.isValid())
            o.key("time") += quote(toRfc3339(n.time));
        o.key("title") += quote(n.title);
        if (!n.url.isEmpty())
            o.key("url") += quote(n.url);
    }
    return out;
}

} // namespace herald::json
