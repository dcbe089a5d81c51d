// SPDX-License-Identifier: Apache-2.0
#include "jsonframes.h"

#include "jsonnotification.h"
#include "jsontext.h"
#include "model/timestamps.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace herald::json {

namespace {

QByteArray typeOnly(QStringView type)
{
    return OrderedObject().addString(u"type", type).toJson();
}

QByteArray withIds(QStringView type, const QList<NotificationId> &ids)
{
    return OrderedObject().addString(u"type", type).addRaw(u"ids", idArray(ids)).toJson();
}

} // namespace

QByteArray encodeFrame(const RegisteredMessage &m)
{
    OrderedObject o;
    o.addString(u"type", u"registered")
        .addString(u"sessionId", m.sessionId)
        .addInteger(u"node", m.node);
    // Left out when unknown, as decoding allows: an empty string would not read back.
    if (m.serverTime.isValid())
        o.addString(u"serverTime", toRfc3339(m.serverTime));
    return o.toJson();
}

void appendFrame(QByteArray &out, const NotificationMessage &m)
{
    appendSized(out, [&m](auto &text) {
        text.raw(R"({"type":"notification","data":)");
        writeNotificationText(text, m.notification);
        text.raw("}");
    });
}

QByteArray encodeFrame(const NotificationMessage &m)
{
    QByteArray out;
    appendFrame(out, m);
    return out;
}

QByteArray encodeFrame(const BacklogDoneMessage &m)
{
    if (!m.truncated && m.missed == 0)
        return typeOnly(u"backlogDone");
    return OrderedObject()
        .addString(u"type", u"backlogDone")
        .addBool(u"truncated", m.truncated)
        .addInteger(u"missed", m.missed)
        .toJson();
}

QByteArray encodeFrame(const AcknowledgedMessage &m)
{
    return withIds(u"acknowledged", m.ids);
}

QByteArray encodeFrame(const DeletedMessage &m)
{
    return withIds(u"deleted", m.ids);
}

QByteArray encodeFrame(const UnseenMessage &m)
{
    return OrderedObject().addString(u"type", u"unseen").addInteger(u"count", m.count).toJson();
}

QByteArray encodeFrame(const SeenMessage &m)
{
    return OrderedObject().addString(u"type", u"seen").addInteger(u"upTo", m.upTo).toJson();
}

QByteArray encodeFrame(const ClearedMessage &m)
{
    return OrderedObject().addString(u"type", u"cleared").addInteger(u"upTo", m.upTo).toJson();
}

QByteArray encodeFrame(const PreferencesMessage &m)
{
    return QJsonDocument(QJsonObject{{u"type"_s, u"preferences"_s}, {u"data"_s, m.data}})
        .toJson(QJsonDocument::Compact);
}

QByteArray encodeFrame(const PongMessage &)
{
    return typeOnly(u"pong");
}

QByteArray encodeFrame(const RegisterMessage &m)
{
    QJsonArray subscriptions;
    for (const Subscription &s : m.subscriptions) {
        subscriptions.append(QJsonObject{{u"application"_s, s.application},
                                         {u"channels"_s, QJsonArray::fromStringList(s.channels)}});
    }
    OrderedObject o;
    o.addString(u"type", u"register").addString(u"clientId", m.clientId);
    if (!m.user.isEmpty())
        o.addString(u"user", m.user);
    if (!m.token.isEmpty())
        o.addString(u"token", m.token);
    o.addValue(u"subscriptions", subscriptions).addInteger(u"fetchLast", m.fetchLast);
    if (m.lastNotificationId)
        o.addInteger(u"lastNotificationId", *m.lastNotificationId);
    return o.toJson();
}

QByteArray encodeFrame(const AckMessage &m)
{
    return withIds(u"ack", m.ids);
}

QByteArray encodeFrame(const PingMessage &)
{
    return typeOnly(u"ping");
}

} // namespace herald::json
