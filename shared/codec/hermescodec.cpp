// SPDX-License-Identifier: Apache-2.0
#include "hermescodec.h"

#include "jsonfields.h"
#include "jsontext.h"
#include "model/timestamps.h"

#include <QTimeZone>

#include <algorithm>
#include <cctype>
#include <utility>

using namespace Qt::StringLiterals;

namespace herald {

using json::FieldReader;
using json::OrderedObject;

namespace {

constexpr auto Keys = FieldReader::Keys::CaseInsensitive;
const QString HermesTimeFormat = u"yyyy-MM-dd'T'HH:mm:ss.zzz"_s;

struct Frame
{
    QString word; // lower case
    QByteArray rest;
};

// Splits `word {json}`: the command word, then any whitespace, then the rest.
std::optional<Frame> splitFrame(const QByteArray &frame)
{
    const QByteArray trimmed = frame.trimmed();
    qsizetype end = 0;
    while (end < trimmed.size() && std::isalpha(static_cast<unsigned char>(trimmed.at(end))))
        ++end;
    const QByteArray rest = trimmed.mid(end);
    if (end == 0 || (!rest.isEmpty() && !std::isspace(static_cast<unsigned char>(rest.at(0))) &&
                     rest.at(0) != '{'))
        return std::nullopt;
    return Frame{QString::fromLatin1(trimmed.left(end)).toLower(), rest.trimmed()};
}

// The validator names native fields; a Hermes client should read its own field names.
Error renamed(Error error, std::initializer_list<std::pair<QString, QString>> renames)
{
    for (const auto &[from, to] : renames) {
        if (!error.message.startsWith(from))
            continue;
        const QChar next =
            error.message.size() > from.size() ? error.message.at(from.size()) : QChar();
        if (next == u':' || next == u'.' || next == u'[') {
            error.message = to + error.message.mid(from.size());
            break;
        }
    }
    return error;
}

Result<ClientMessage> decodeRegister(const QByteArray &text, const Validator &validator)
{
    auto object = json::parseObject(text, u"register"_s);
    if (!object)
        return tl::unexpected(object.error());
    FieldReader r(*object, {}, Keys);
    RegisterMessage m;
    Subscription subscription;
    subscription.application = r.requiredString(u"ApplicationName"_s);
    m.clientId = r.requiredString(u"ClientId"_s);
    r.require(u"Channels"_s);
    subscription.channels = r.stringList(u"Channels"_s);
    m.subscriptions = {subscription};
    // Hermes clients were written against a server without a cap: ask for too many, get the
    // most we serve rather than an error.
    const qint64 fetchLast = r.integer(u"FetchLast"_s).value_or(0);
    m.fetchLast = int(std::clamp<qint64>(fetchLast, -1, validator.limits().maxFetchLast));
    // Hermes sends 0 or null for "no notification seen yet".
    const QJsonValue last = r.value(u"LastNotificationId"_s);
    if (json::integerOf(last) != 0)
        m.lastNotificationId = r.id(u"LastNotificationId"_s);
    // Not in Hermes; lets a Hermes-style client authenticate and name its Herald user.
    m.token = r.string(u"Token"_s);
    m.user = r.string(u"User"_s);
    if (!r.ok())
        return r.unexpected();
    if (auto valid = validator.checkRegister(m); !valid) {
        return tl::unexpected(
            renamed(valid.error(), {{u"subscriptions[0].application"_s, u"ApplicationName"_s},
                                    {u"subscriptions[0].channels"_s, u"Channels"_s},
                                    {u"subscriptions"_s, u"Channels"_s},
                                    {u"clientId"_s, u"ClientId"_s},
                                    {u"user"_s, u"User"_s},
                                    {u"fetchLast"_s, u"FetchLast"_s},
                                    {u"lastNotificationId"_s, u"LastNotificationId"_s}}));
    }
    return m;
}

Result<ClientMessage> decodeAck(const QByteArray &text, const Validator &validator)
{
    auto object = json::parseObject(text, u"ack"_s);
    if (!object)
        return tl::unexpected(object.error());
    FieldReader r(*object, {}, Keys);
    r.require(u"Ids"_s);
    if (!r.ok())
        return r.unexpected();
    auto ids = json::readIds(r.value(u"Ids"_s), u"Ids"_s);
    if (!ids)
        return tl::unexpected(ids.error());
    if (auto valid = validator.checkIds(*ids, u"Ids"_s); !valid)
        return tl::unexpected(valid.error());
    return AckMessage{*ids};
}

QByteArray typed(QStringView type, const QByteArray &data)
{
    return OrderedObject().addString(u"Type", type).addRaw(u"Data", data).toJson();
}

QByteArray newNotification(const Notification &n)
{
    OrderedObject tags;
    for (auto it = n.tags.cbegin(); it != n.tags.cend(); ++it)
        tags.addString(it.key(), it.value());
    // Hermes has no title: a notification with only a title still shows something.
    const QString &message = n.message.isEmpty() ? n.title : n.message;
    const QByteArray data = OrderedObject()
                                .addInteger(u"Id", n.id)
                                .addBool(u"Persistent", n.persistent)
                                .addInteger(u"ChannelId", n.channelId)
                                .addString(u"ChannelName", n.channel)
                                .addInteger(u"ApplicationId", n.applicationId)
                                .addString(u"ApplicationName", n.application)
                                .addString(u"Time", n.time.toUTC().toString(HermesTimeFormat))
                                .addString(u"Code", n.code)
                                .addString(u"Message", message)
                                .addRaw(u"Tags", tags.toJson())
                                .toJson();
    return typed(u"NewNotification", data);
}

QByteArray idsData(const QList<NotificationId> &ids)
{
    return OrderedObject().addRaw(u"Ids", json::idArray(ids)).toJson();
}

QByteArray encodeFrame(const NotificationMessage &m)
{
    return newNotification(m.notification);
}

QByteArray encodeFrame(const AcknowledgedMessage &m)
{
    return typed(u"Acknowledged", idsData(m.ids));
}

QByteArray encodeFrame(const DeletedMessage &m)
{
    return typed(u"Deleted", idsData(m.ids));
}

QByteArray encodeFrame(const ErrorMessage &m)
{
    return typed(
        u"Error",
        OrderedObject().addString(u"Code", m.code).addString(u"Message", m.message).toJson());
}

// Registered, BacklogDone and Pong have no Hermes form: nothing is sent.
template <typename Message> QByteArray encodeFrame(const Message &)
{
    return {};
}

// Hermes wrote UTC times without a zone; an RFC 3339 time with a zone is accepted too.
std::optional<QDateTime> parseHermesTime(const QString &text)
{
    // Date and time separately: a local QDateTime could fall into a DST gap.
    const QDate date = QDate::fromString(text.left(10), u"yyyy-MM-dd"_s);
    QTime clock = QTime::fromString(text.mid(11), u"HH:mm:ss.zzz"_s);
    if (!clock.isValid())
        clock = QTime::fromString(text.mid(11), u"HH:mm:ss"_s);
    if (date.isValid() && clock.isValid() && text.size() > 10 && text.at(10) == u'T')
        return QDateTime(date, clock, QTimeZone::utc());
    return fromRfc3339(text);
}

} // namespace

bool HermesCodec::isHermesRegister(const QByteArray &frame)
{
    const auto split = splitFrame(frame);
    return split && split->word == "register"_L1 && split->rest.startsWith('{');
}

Result<ClientMessage> HermesCodec::decodeClientFrame(const QByteArray &frame) const
{
    const auto split = splitFrame(frame);
    if (!split)
        return failField(u"frame"_s, u"must be register, ack or ping followed by JSON"_s);
    if (split->word == "register"_L1)
        return decodeRegister(split->rest, m_validator);
    if (split->word == "ack"_L1)
        return decodeAck(split->rest, m_validator);
    if (split->word == "ping"_L1)
        return PingMessage{};
    return failField(u"frame"_s, u"unknown command '%1'"_s.arg(split->word));
}

QByteArray HermesCodec::encode(const ServerMessage &message)
{
    return std::visit([](const auto &m) { return encodeFrame(m); }, message);
}

QByteArray HermesCodec::encodeRegister(const RegisterMessage &message)
{
    const Subscription first = message.subscriptions.value(0);
    QJsonArray channels;
    for (const QString &channel : first.channels)
        channels.append(channel);
    OrderedObject o;
    o.addString(u"ApplicationName", first.application)
        .addString(u"ClientId", message.clientId)
        .addValue(u"Channels", channels)
        .addInteger(u"FetchLast", message.fetchLast);
    if (message.lastNotificationId)
        o.addInteger(u"LastNotificationId", *message.lastNotificationId);
    if (!message.user.isEmpty())
        o.addString(u"User", message.user);
    if (!message.token.isEmpty())
        o.addString(u"Token", message.token);
    return "register " + o.toJson();
}

QByteArray HermesCodec::encodeAck(const QList<NotificationId> &ids)
{
    return "ack " + idsData(ids);
}

Result<Notification> HermesCodec::decodeNewNotification(const QByteArray &frame) const
{
    auto object = json::parseObject(frame, u"frame"_s);
    if (!object)
        return tl::unexpected(object.error());
    FieldReader r(*object, {}, Keys);
    if (r.requiredString(u"Type"_s) != "NewNotification"_L1 && r.ok())
        r.fail(u"Type"_s, u"must be NewNotification"_s);
    r.require(u"Data"_s);
    const QJsonObject data = r.object(u"Data"_s);
    if (!r.ok())
        return r.unexpected();

    FieldReader d(data, u"Data"_s, Keys);
    Notification n;
    d.require(u"Id"_s);
    n.id = d.id(u"Id"_s).value_or(0);
    n.persistent = d.boolean(u"Persistent"_s, true);
    n.channelId = d.integer(u"ChannelId"_s).value_or(0);
    n.channel = d.string(u"ChannelName"_s);
    n.applicationId = d.integer(u"ApplicationId"_s).value_or(0);
    n.application = d.string(u"ApplicationName"_s);
    const QString time = d.requiredString(u"Time"_s);
    if (d.ok()) {
        const auto parsed = parseHermesTime(time);
        if (parsed)
            n.time = *parsed;
        else
            d.fail(d.path(u"Time"_s), u"must be a time such as 2017-04-23T20:44:28.533"_s);
    }
    n.code = d.string(u"Code"_s);
    n.message = d.string(u"Message"_s);
    n.tags = d.stringMap(u"Tags"_s);
    if (!d.ok())
        return d.unexpected();
    return n;
}

Result<Notification> HermesCodec::parseProducerBody(const QByteArray &body) const
{
    auto object = json::parseObject(body, u"body"_s);
    if (!object)
        return tl::unexpected(object.error());
    FieldReader r(*object, {}, Keys);
    Notification n;
    n.application = r.requiredString(u"applicationName"_s);
    n.channel = r.requiredString(u"channelName"_s);
    n.code = r.string(u"code"_s);
    n.message = r.requiredString(u"message"_s);
    n.persistent = r.boolean(u"persistent"_s, true);
    n.tags = r.stringMap(u"tags"_s);
    if (!r.ok())
        return r.unexpected();
    // Hermes has no title, so the message is what a user sees.
    if (n.message.isEmpty())
        return failField(u"message"_s, u"must not be empty"_s);
    if (auto valid = m_validator.checkNotification(n); !valid) {
        return tl::unexpected(renamed(valid.error(), {{u"application"_s, u"applicationName"_s},
                                                      {u"channel"_s, u"channelName"_s}}));
    }
    return n;
}

} // namespace herald
