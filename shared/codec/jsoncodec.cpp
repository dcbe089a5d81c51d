// SPDX-License-Identifier: Apache-2.0
#include "jsoncodec.h"

#include "jsondigest.h"
#include "jsonerrors.h"
#include "jsonfields.h"
#include "jsonflatpublish.h"
#include "jsonframes.h"
#include "jsonnotification.h"
#include "jsonpublish.h"
#include "jsontext.h"
#include "model/idgenerator.h"
#include "model/timestamps.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <climits>

using namespace Qt::StringLiterals;

namespace herald {

using json::FieldReader;

namespace {

const QString PriorityChoices = u"must be one of low, normal, high, urgent"_s;

// The fields a producer sets, shared by a publish body and the full stored object.
void readContent(FieldReader &r, Notification &n)
{
    n.application = r.requiredString(u"application"_s);
    n.channel = r.requiredString(u"channel"_s);
    n.code = r.string(u"code"_s);
    n.title = r.string(u"title"_s);
    n.message = r.string(u"message"_s);
    n.persistent = r.boolean(u"persistent"_s, true);
    if (r.has(u"priority"_s)) {
        const QJsonValue value = r.value(u"priority"_s);
        const auto priority = priorityFromName(value.toString());
        if (value.isString() && priority)
            n.priority = *priority;
        else
            r.fail(r.path(u"priority"_s), PriorityChoices);
    }
    n.level = r.string(u"level"_s);
    n.tags = r.stringMap(u"tags"_s);
    n.url = r.string(u"url"_s);

    r.forEachObject(u"actions"_s, [&n](FieldReader &ar) {
        NotificationAction action;
        action.id = ar.requiredString(u"id"_s);
        action.label = ar.requiredString(u"label"_s);
        action.url = ar.string(u"url"_s);
        n.actions.append(action);
    });

    n.recipients = r.stringList(u"recipients"_s);
    n.expiresAt = r.time(u"expiresAt"_s);
}

// A stored notification as the server sends it; `path` prefixes errors ("data" in a frame).
Result<Notification> readNotification(const QJsonObject &object, const QString &path)
{
    FieldReader r(object, path);
    Notification n;
    r.require(u"id"_s);
    n.id = r.id(u"id"_s).value_or(0);
    readContent(r, n);
    r.require(u"time"_s);
    n.time = r.time(u"time"_s).value_or(QDateTime());
    const qint64 node = r.integer(u"node"_s).value_or(0);
    if (node < 0 || node > IdGenerator::MaxNode)
        r.fail(r.path(u"node"_s), u"must be between 0 and %1"_s.arg(IdGenerator::MaxNode));
    n.node = int(node);
    if (!r.ok())
        return r.unexpected();
    return n;
}

int clampToInt(qint64 value)
{
    return int(std::clamp<qint64>(value, INT_MIN, INT_MAX));
}

Result<ClientMessage> readRegister(const QJsonObject &object, const Validator &validator)
{
    FieldReader r(object);
    RegisterMessage m;
    m.clientId = r.requiredString(u"clientId"_s);
    m.user = r.string(u"user"_s);
    m.token = r.string(u"token"_s);
    r.require(u"subscriptions"_s);
    r.forEachObject(u"subscriptions"_s, [&m](FieldReader &sr) {
        Subscription subscription;
        subscription.application = sr.requiredString(u"application"_s);
        sr.require(u"channels"_s);
        subscription.channels = sr.stringList(u"channels"_s);
        m.subscriptions.append(subscription);
    });
    m.fetchLast = clampToInt(r.integer(u"fetchLast"_s).value_or(0));
    m.lastNotificationId = r.id(u"lastNotificationId"_s);
    if (!r.ok())
        return r.unexpected();
    if (auto valid = validator.checkRegister(m); !valid)
        return tl::unexpected(valid.error());
    return m;
}

Result<QList<NotificationId>> readIdsField(const QJsonObject &object)
{
    const QJsonValue ids = object.value(u"ids"_s);
    if (ids.isUndefined() || ids.isNull())
        return failField(u"ids"_s, u"is required"_s);
    return json::readIds(ids, u"ids"_s);
}

// The type of a frame, which every frame must carry as a string.
Result<QString> readType(const QJsonObject &object)
{
    FieldReader r(object);
    const QString type = r.requiredString(u"type"_s);
    if (!r.ok())
        return r.unexpected();
    return type;
}

tl::unexpected<Error> unknownType(const QString &type)
{
    return failField(u"type"_s, u"unknown message type '%1'"_s.arg(type));
}

} // namespace

// The frames' writers (jsonframes.cpp, jsondigest.cpp, jsonpublish.cpp, jsonerrors.cpp).
using json::appendFrame;
using json::encodeFrame;

// --- notifications

QJsonObject JsonCodec::toJson(const Notification &n)
{
    // Empty optional strings (code, level, url) are left out; parseNotification reads an
    // absent one back as empty, so the round trip is exact.
    QJsonObject o;
    o.insert(u"id"_s, QJsonValue(qint64(n.id)));
    o.insert(u"application"_s, n.application);
    o.insert(u"channel"_s, n.channel);
    if (!n.code.isEmpty())
        o.insert(u"code"_s, n.code);
    o.insert(u"title"_s, n.title);
    o.insert(u"message"_s, n.message);
    o.insert(u"persistent"_s, n.persistent);
    o.insert(u"priority"_s, priorityName(n.priority));
    if (!n.level.isEmpty())
        o.insert(u"level"_s, n.level);
    QJsonObject tags;
    for (auto it = n.tags.cbegin(); it != n.tags.cend(); ++it)
        tags.insert(it.key(), it.value());
    o.insert(u"tags"_s, tags);
    if (!n.url.isEmpty())
        o.insert(u"url"_s, n.url);
    QJsonArray actions;
    for (const NotificationAction &action : n.actions) {
        QJsonObject a{{u"id"_s, action.id}, {u"label"_s, action.label}};
        if (!action.url.isEmpty())
            a.insert(u"url"_s, action.url);
        actions.append(a);
    }
    o.insert(u"actions"_s, actions);
    if (!n.recipients.isEmpty())
        o.insert(u"recipients"_s, QJsonArray::fromStringList(n.recipients));
    if (n.time.isValid())
        o.insert(u"time"_s, toRfc3339(n.time));
    if (n.expiresAt)
        o.insert(u"expiresAt"_s, toRfc3339(*n.expiresAt));
    o.insert(u"node"_s, n.node);
    return o;
}

Result<QList<Notification>> JsonCodec::parsePublishBody(const QByteArray &body) const
{
    // As for publish frames (decodeClientMessage): a flat notification without a QJsonDocument.
    if (auto flat = json::readFlatNotification(body);
        flat && m_validator.checkNotification(*flat, QString()))
        return QList<Notification>{std::move(*flat)};
    return parsePublishBodyGenerally(body);
}

Result<QList<Notification>> JsonCodec::parsePublishBodyGenerally(const QByteArray &body) const
{
    auto parsed = json::parseObjectOrArray(body, u"body"_s);
    if (!parsed)
        return tl::unexpected(parsed.error());
    if (parsed->isObject()) {
        auto n = parsePublish(parsed->toObject());
        if (!n)
            return tl::unexpected(n.error());
        return QList<Notification>{*n};
    }

    const QJsonArray array = parsed->toArray();
    if (array.isEmpty())
        return failField(u"body"_s, u"must contain at least one notification"_s);
    if (array.size() > m_validator.limits().maxBatch) {
        return failField(u"body"_s,
                         u"more than %1 notifications"_s.arg(m_validator.limits().maxBatch));
    }
    QList<Notification> list;
    list.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString path = indexPath(QString(), i);
        if (!array.at(i).isObject())
            return failField(path, u"must be an object"_s);
        auto n = parsePublish(array.at(i).toObject(), path);
        if (!n)
            return tl::unexpected(n.error());
        list.append(*n);
    }
    return list;
}

Result<Notification> JsonCodec::parsePublish(const QJsonObject &object, const QString &path) const
{
    // id, time and node are the server's: ignored here like any unknown key.
    FieldReader r(object, path);
    Notification n;
    readContent(r, n);
    if (!r.ok())
        return r.unexpected();
    if (auto valid = m_validator.checkNotification(n, path); !valid)
        return tl::unexpected(valid.error());
    return n;
}

Result<Notification> JsonCodec::parseNotification(const QJsonObject &object) const
{
    // Types only, no limits: the server's limits are configurable and may exceed ours.
    return readNotification(object, QString());
}

// --- WebSocket frames

QByteArray JsonCodec::encode(const ServerMessage &message)
{
    return std::visit([](const auto &m) { return encodeFrame(m); }, message);
}

void JsonCodec::encodeInto(QByteArray &out, const ServerMessage &message)
{
    if (const auto *notification = std::get_if<NotificationMessage>(&message))
        return appendFrame(out, *notification);
    if (const auto *published = std::get_if<PublishedMessage>(&message))
        return appendFrame(out, *published);
    out += encode(message);
}

QByteArray JsonCodec::encode(const ClientMessage &message)
{
    return std::visit([](const auto &m) { return encodeFrame(m); }, message);
}

Result<ClientMessage> JsonCodec::decodeClientMessage(const QByteArray &frame,
                                                     QString *publishRef) const
{
    // A busy producer's frames are flat publish frames, read here without a QJsonDocument. One
    // the general path would refuse is left to it, so that it words the error.
    if (auto flat = json::readFlatPublishFrame(frame); flat && json::acceptsPublish(*flat, *this)) {
        if (publishRef)
            *publishRef = flat->ref;
        return std::move(*flat);
    }
    return decodeClientMessageGenerally(frame, publishRef);
}

Result<ClientMessage> JsonCodec::decodeClientMessageGenerally(const QByteArray &frame,
                                                              QString *publishRef) const
{
    auto object = json::parseObject(frame, u"frame"_s);
    if (!object)
        return tl::unexpected(object.error());
    auto type = readType(*object);
    if (!type)
        return tl::unexpected(type.error());

    if (*type == "register"_L1)
        return readRegister(*object, m_validator);
    if (*type == "ack"_L1) {
        auto ids = parseAckIds(*object);
        if (!ids)
            return tl::unexpected(ids.error());
        return AckMessage{*ids};
    }
    if (*type == "ping"_L1)
        return PingMessage{};
    if (*type == "publish"_L1)
        return json::decodePublishFrame(*object, *this, publishRef);
    return unknownType(*type);
}

Result<QList<NotificationId>> JsonCodec::parseAckIds(const QJsonObject &object) const
{
    auto ids = readIdsField(object);
    if (!ids)
        return tl::unexpected(ids.error());
    if (auto valid = m_validator.checkIds(*ids, u"ids"_s); !valid)
        return tl::unexpected(valid.error());
    return ids;
}

Result<ServerMessage> JsonCodec::decodeServerMessage(const QByteArray &frame) const
{
    auto object = json::parseObject(frame, u"frame"_s);
    if (!object)
        return tl::unexpected(object.error());
    auto type = readType(*object);
    if (!type)
        return tl::unexpected(type.error());

    if (*type == "registered"_L1) {
        FieldReader r(*object);
        RegisteredMessage m;
        m.sessionId = r.requiredString(u"sessionId"_s);
        m.node = clampToInt(r.integer(u"node"_s).value_or(0));
        m.serverTime = r.time(u"serverTime"_s).value_or(QDateTime());
        if (!r.ok())
            return r.unexpected();
        return m;
    }
    if (*type == "notification"_L1) {
        FieldReader r(*object);
        r.require(u"data"_s);
        const QJsonObject data = r.object(u"data"_s);
        if (!r.ok())
            return r.unexpected();
        auto n = readNotification(data, u"data"_s);
        if (!n)
            return tl::unexpected(n.error());
        return NotificationMessage{*n};
    }
    if (*type == "backlogDone"_L1) {
        FieldReader r(*object);
        BacklogDoneMessage m;
        m.truncated = r.boolean(u"truncated"_s, false);
        m.missed = r.integer(u"missed"_s).value_or(0);
        if (!r.ok())
            return r.unexpected();
        if (m.missed < 0)
            return fail(ErrorCode::BadRequest, u"missed: must not be negative"_s);
        return m;
    }
    if (*type == "acknowledged"_L1 || *type == "deleted"_L1) {
        auto ids = readIdsField(*object);
        if (!ids)
            return tl::unexpected(ids.error());
        if (*type == "deleted"_L1)
            return DeletedMessage{*ids};
        return AcknowledgedMessage{*ids};
    }
    if (*type == "unseen"_L1) {
        FieldReader r(*object);
        r.require(u"count"_s);
        const qint64 count = r.integer(u"count"_s).value_or(0);
        if (!r.ok())
            return r.unexpected();
        if (count < 0)
            return fail(ErrorCode::BadRequest, u"count: must not be negative"_s);
        return UnseenMessage{count};
    }
    if (*type == "seen"_L1 || *type == "cleared"_L1) {
        FieldReader r(*object);
        r.require(u"upTo"_s);
        const auto upTo = r.id(u"upTo"_s);
        if (!r.ok())
            return r.unexpected();
        if (*type == "seen"_L1)
            return SeenMessage{upTo.value_or(0)};
        return ClearedMessage{upTo.value_or(0)};
    }
    if (*type == "preferences"_L1) {
        const QJsonValue data = object->value(u"data");
        if (!data.isObject())
            return fail(ErrorCode::BadRequest, u"data: must be an object"_s);
        return PreferencesMessage{data.toObject()};
    }
    if (*type == "digest"_L1)
        return json::decodeDigestFrame(*object, *this);
    if (*type == "pong"_L1)
        return PongMessage{};
    if (*type == "published"_L1)
        return json::decodePublishedFrame(*object);
    if (*type == "error"_L1)
        return json::decodeErrorFrame(*object);
    return unknownType(*type);
}

} // namespace herald
