// SPDX-License-Identifier: Apache-2.0
#include "relay/peermessages.h"

#include "codec/jsonfields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace herald::syncd {

using json::FieldReader;

namespace {

constexpr qint64 MaxSafeId = (qint64(1) << 53) - 1; // exact in every JSON reader

QJsonObject haveToJson(const HaveVector &have)
{
    QJsonObject object;
    for (auto it = have.cbegin(); it != have.cend(); ++it)
        object.insert(QString::number(it.key()), QJsonValue(it.value()));
    return object;
}

// An object keyed by origin node ("0" to "63") whose values are whole numbers from 0 up to,
// not including, `limit`; `what` names such a value in an error.
QMap<int, qint64> readByOrigin(FieldReader &r, const QString &key, double limit,
                               const QString &what)
{
    QMap<int, qint64> byOrigin;
    r.require(key);
    const QJsonObject object = r.object(key);
    for (auto it = object.begin(); it != object.end() && r.ok(); ++it) {
        bool isNumber = false;
        const int origin = it.key().toInt(&isNumber);
        const double value = it.value().toDouble(-1);
        if (!isNumber || origin < 0 || origin > 63)
            r.fail(r.path(key), u"'%1' is not a node id (0-63)"_s.arg(it.key()));
        // In range before the cast: converting a double past qint64 is undefined.
        else if (!it.value().isDouble() || value < 0 || value >= limit ||
                 value != double(qint64(value)))
            r.fail(r.path(key) + u'.' + it.key(), u"must be a "_s + what);
        else
            byOrigin.insert(origin, qint64(value));
    }
    return byOrigin;
}

void readHave(FieldReader &r, HaveVector &have)
{
    have = readByOrigin(r, u"have"_s, 0x1p63, u"sequence number"_s);
}

QJsonObject recordToJson(const RelayRecord &record)
{
    QJsonObject o{{u"origin"_s, record.origin},
                  {u"seq"_s, QJsonValue(record.seq)},
                  {u"kind"_s, relayKindName(record.kind)},
                  {u"id"_s, QJsonValue(qint64(record.notificationId))},
                  {u"time"_s, QJsonValue(record.timeMs)}};
    if (!record.user.isEmpty())
        o.insert(u"user"_s, record.user);
    if (record.notification)
        o.insert(u"notification"_s, JsonCodec::toJson(*record.notification));
    if (record.kind == RelayRecord::Kind::Preferences && !record.payload.isEmpty())
        o.insert(u"preferences"_s, QJsonDocument::fromJson(record.payload.toUtf8()).object());
    if (record.kind == RelayRecord::Kind::Digest && !record.payload.isEmpty())
        o.insert(u"digest"_s, QJsonDocument::fromJson(record.payload.toUtf8()).object());
    if (record.isDelivery() && !record.payload.isEmpty())
        o.insert(u"delivery"_s, QJsonDocument::fromJson(record.payload.toUtf8()).object());
    return o;
}

RelayRecord readRecord(FieldReader &r, const JsonCodec &codec)
{
    RelayRecord record;
    for (const QString &key : {u"origin"_s, u"seq"_s, u"kind"_s, u"id"_s, u"time"_s})
        r.require(key);
    // Checked before narrowing to int, which would wrap a large number into 0-63.
    const qint64 origin = r.integer(u"origin"_s).value_or(0);
    if (r.ok() && (origin < 0 || origin > 63))
        r.fail(r.path(u"origin"_s), u"must be a node id (0-63)"_s);
    record.origin = int(origin);
    record.seq = r.integer(u"seq"_s).value_or(0);
    if (r.ok() && record.seq < 1)
        r.fail(r.path(u"seq"_s), u"must be 1 or more"_s);
    const QString kind = r.string(u"kind"_s);
    if (auto known = relayKindFromName(kind))
        record.kind = *known;
    else if (r.ok())
        r.fail(r.path(u"kind"_s),
               u"'%1' is not notification, receipt, deleted, seen, hidden, cleared, "
               "preferences, digest, job, jobsTaken or jobsDone"_s.arg(kind));
    // Preferences and digest records are about a user, delivery records about jobs, not a
    // notification: their id is 0.
    const bool forUser = record.isAboutUser();
    if (forUser || record.isDelivery()) {
        if (r.integer(u"id"_s).value_or(-1) != 0 && r.ok())
            r.fail(r.path(u"id"_s), u"must be 0 for a %1 record"_s.arg(kind));
    } else {
        record.notificationId = r.id(u"id"_s).value_or(0);
    }
    record.timeMs = r.integer(u"time"_s).value_or(0);
    record.user = r.string(u"user"_s);
    if (r.ok() &&
        (record.kind == RelayRecord::Kind::Receipt || record.isInboxChange() || forUser) &&
        record.user.isEmpty())
        r.fail(r.path(u"user"_s), u"a %1 record needs its user"_s.arg(kind));
    // Checked as a PUT is when they are applied (an invalid one reads as the defaults).
    const QString payloadKey = record.isDelivery()                        ? u"delivery"_s
                               : record.kind == RelayRecord::Kind::Digest ? u"digest"_s
                                                                          : u"preferences"_s;
    if (r.ok() && (forUser || record.isDelivery()) && r.has(payloadKey))
        record.payload =
            QString::fromUtf8(QJsonDocument(r.object(payloadKey)).toJson(QJsonDocument::Compact));
    if (r.ok() && r.has(u"notification"_s)) {
        auto body = codec.parseNotification(r.object(u"notification"_s));
        if (!body)
            r.fail(
                Error{body.error().code, r.path(u"notification"_s) + u'.' + body.error().message});
        else if (body->id != record.notificationId)
            r.fail(r.path(u"notification.id"_s), u"differs from the record's id"_s);
        else
            record.notification = std::move(*body);
    }
    return record;
}

// A node id, checked before narrowing to int (which would wrap a large number into 0-63).
int readNode(FieldReader &r, const QString &key)
{
    r.require(key);
    const qint64 node = r.integer(key).value_or(-1);
    if (r.ok() && (node < 0 || node > 63))
        r.fail(r.path(key), u"must be a node id (0-63)"_s);
    return int(node);
}

qint64 readFloodId(FieldReader &r)
{
    r.require(u"id"_s);
    const qint64 id = r.integer(u"id"_s).value_or(0);
    if (r.ok() && (id <= 0 || id > MaxSafeId))
        r.fail(r.path(u"id"_s), u"must be between 1 and 2^53-1"_s);
    return id;
}

ResumeAsk readResumeAsk(FieldReader &r)
{
    ResumeAsk ask;
    ask.id = readFloodId(r);
    ask.asker = readNode(r, u"asker"_s);
    ask.user = r.requiredString(u"user"_s);
    ask.clientId = r.requiredString(u"clientId"_s);
    r.require(u"lastId"_s);
    ask.lastId = r.id(u"lastId"_s).value_or(0);
    r.require(u"channels"_s);
    const QJsonArray channels = r.array(u"channels"_s);
    for (qsizetype i = 0; i < channels.size() && r.ok(); ++i) {
        if (!channels.at(i).isString())
            r.fail(r.path(u"channels"_s) + u"[%1]"_s.arg(i), u"must be a string"_s);
        else
            ask.channelKeys.append(channels.at(i).toString());
    }
    return ask;
}

ResumeAnswer readResumeAnswer(FieldReader &r)
{
    ResumeAnswer answer;
    answer.id = readFloodId(r);
    answer.asker = readNode(r, u"asker"_s);
    answer.answerer = readNode(r, u"answerer"_s);
    // Ids stay below 2^53, exact as JSON numbers.
    answer.fromIdByOrigin = readByOrigin(r, u"from"_s, 0x1p53, u"notification id"_s);
    return answer;
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

QByteArray PeerCodec::encode(const PeerMessage &message)
{
    return std::visit(
        [](const auto &m) -> QByteArray {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, PeerHello>) {
                return compact({{u"type"_s, u"peerHello"_s},
                                {u"node"_s, m.node},
                                {u"cluster"_s, m.cluster},
                                {u"secret"_s, m.secret}});
            } else if constexpr (std::is_same_v<T, PeerSync>) {
                return compact({{u"type"_s, u"sync"_s}, {u"have"_s, haveToJson(m.have)}});
            } else if constexpr (std::is_same_v<T, PeerHave>) {
                return compact({{u"type"_s, u"have"_s}, {u"have"_s, haveToJson(m.have)}});
            } else if constexpr (std::is_same_v<T, PeerRecords>) {
                QJsonArray records;
                for (const RelayRecord &record : m.records)
                    records.append(recordToJson(record));
                return compact({{u"type"_s, u"records"_s}, {u"records"_s, records}});
            } else if constexpr (std::is_same_v<T, PeerDrop>) {
                return compact({{u"type"_s, u"drop"_s}, {u"id"_s, m.id}, {u"user"_s, m.user}});
            } else if constexpr (std::is_same_v<T, PeerResumeAsk>) {
                return compact({{u"type"_s, u"resumeAsk"_s},
                                {u"id"_s, m.id},
                                {u"asker"_s, m.asker},
                                {u"user"_s, m.user},
                                {u"clientId"_s, m.clientId},
                                {u"lastId"_s, QJsonValue(qint64(m.lastId))},
                                {u"channels"_s, QJsonArray::fromStringList(m.channelKeys)}});
            } else if constexpr (std::is_same_v<T, PeerResumeAnswer>) {
                QJsonObject from;
                for (auto it = m.fromIdByOrigin.cbegin(); it != m.fromIdByOrigin.cend(); ++it)
                    from.insert(QString::number(it.key()), QJsonValue(qint64(it.value())));
                return compact({{u"type"_s, u"resumeAnswer"_s},
                                {u"id"_s, m.id},
                                {u"asker"_s, m.asker},
                                {u"answerer"_s, m.answerer},
                                {u"from"_s, from}});
            } else {
                QJsonArray notifications;
                for (const Notification &n : m.notifications)
                    notifications.append(JsonCodec::toJson(n));
                return compact({{u"type"_s, u"transient"_s}, {u"notifications"_s, notifications}});
            }
        },
        message);
}

Result<PeerMessage> PeerCodec::decode(const QByteArray &frame)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(frame, &parseError);
    if (!document.isObject())
        return fail(ErrorCode::BadRequest, u"frame: not a JSON object"_s);
    static const JsonCodec codec{Limits{}};
    FieldReader r(document.object());
    r.require(u"type"_s);
    const QString type = r.string(u"type"_s);
    PeerMessage message;
    if (type == u"peerHello"_s) {
        PeerHello hello;
        hello.node = readNode(r, u"node"_s);
        hello.cluster = r.string(u"cluster"_s);
        hello.secret = r.requiredString(u"secret"_s);
        message = hello;
    } else if (type == u"sync"_s) {
        PeerSync sync;
        readHave(r, sync.have);
        message = sync;
    } else if (type == u"have"_s) {
        PeerHave have;
        readHave(r, have.have);
        message = have;
    } else if (type == u"records"_s) {
        PeerRecords records;
        r.require(u"records"_s);
        r.forEachObject(u"records"_s, [&](FieldReader &item) {
            records.records.append(readRecord(item, codec));
        });
        message = records;
    } else if (type == u"transient"_s) {
        PeerTransient transient;
        r.require(u"notifications"_s);
        const QJsonArray array = r.array(u"notifications"_s);
        for (qsizetype i = 0; i < array.size() && r.ok(); ++i) {
            auto n = codec.parseNotification(array.at(i).toObject());
            if (!n)
                r.fail(Error{n.error().code, u"notifications[%1]."_s.arg(i) + n.error().message});
            else
                transient.notifications.append(std::move(*n));
        }
        message = transient;
    } else if (type == u"drop"_s) {
        PeerDrop drop;
        drop.id = readFloodId(r);
        drop.user = r.requiredString(u"user"_s);
        message = drop;
    } else if (type == u"resumeAsk"_s) {
        message = readResumeAsk(r);
    } else if (type == u"resumeAnswer"_s) {
        message = readResumeAnswer(r);
    } else if (r.ok()) {
        r.fail(r.path(u"type"_s), u"'%1' is not a peer message"_s.arg(type));
    }
    if (!r.ok())
        return r.unexpected();
    return message;
}

} // namespace herald::syncd
