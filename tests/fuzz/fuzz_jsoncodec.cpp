// SPDX-License-Identifier: Apache-2.0
// JsonCodec on what a network peer sends: the REST bodies the daemon parses (publish,
// application, channel, ack; every other body goes through parseObjectBody as the ack does),
// the WebSocket frames of a client, and the server frames a client reads. The first byte
// picks the kind ('0'..'5', see Kind), the rest is the body or frame.
//
// Invariants: whatever is accepted keeps within PROTOCOL.md's limits (checked here
// independently of Validator), encoding it and decoding that again gives it back unchanged,
// and the shortcuts for flat publish frames and bodies (json::readFlatPublishFrame) answer
// exactly as the general path does.
#include "fuzzcheck.h"

#include "codec/jsoncodec.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cstddef>
#include <cstdint>

using namespace herald;
using namespace herald::fuzz;
using namespace Qt::StringLiterals;

namespace {

enum Kind : unsigned
{
    PublishBody,     // POST /api/v1/notifications
    ApplicationBody, // PUT /api/v1/applications/{app}
    ChannelBody,     // PUT /api/v1/applications/{app}/channels/{channel}
    AckBody,         // POST /api/v1/acks
    ClientFrame,     // WebSocket, client to server
    ServerFrame,     // WebSocket, server to client (what SyncSession decodes)
    KindCount
};

const Limits TheLimits;
const JsonCodec Codec(TheLimits);
const QString App = u"demo"_s;
const QString Chan = u"alerts"_s;

QByteArray compact(const QJsonValue &value)
{
    return value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                           : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
}

bool isName(const QString &text)
{
    if (text.isEmpty() || text.size() > 64)
        return false;
    for (QChar c : text) {
        const char16_t u = c.unicode();
        const bool ok = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
                        (u >= '0' && u <= '9') || u == '.' || u == '_' || u == '-';
        if (!ok)
            return false;
    }
    return true;
}

// Storable text: no unpaired surrogate, no U+0000 (PROTOCOL.md, Model: Text).
bool isCleanText(const QString &text)
{
    return QStringView(text).isValidUtf16() && !text.contains(QChar(u'\0'));
}

void checkWithinLimits(const Notification &n)
{
    check(isName(n.application) && isName(n.channel), "application and channel are names");
    check(characters(n.title) <= TheLimits.maxTitleChars, "title within its limit");
    check(n.message.toUtf8().size() <= TheLimits.maxMessageBytes, "message within its limit");
    check(!n.title.isEmpty() || !n.message.isEmpty(), "a title or a message");
    check(characters(n.code) <= TheLimits.maxCodeChars, "code within its limit");
    check(characters(n.level) <= 64, "level within 64 characters");
    check(n.tags.size() <= TheLimits.maxTags, "tags within their limit");
    for (auto it = n.tags.cbegin(); it != n.tags.cend(); ++it) {
        check(!it.key().isEmpty() && characters(it.key()) <= TheLimits.maxTagKeyChars,
              "tag key within its limit");
        check(characters(it.value()) <= TheLimits.maxTagValueChars, "tag value within its limit");
        check(isCleanText(it.key()) && isCleanText(it.value()), "tags are clean text");
    }
    check(characters(n.url) <= TheLimits.maxUrlChars, "url within its limit");
    check(n.actions.size() <= TheLimits.maxActions, "actions within their limit");
    for (const NotificationAction &action : n.actions) {
        check(isName(action.id), "action id is a name");
        check(!action.label.isEmpty() && characters(action.label) <= 64, "action label 1-64");
        check(characters(action.url) <= TheLimits.maxUrlChars, "action url within its limit");
    }
    check(n.recipients.size() <= TheLimits.maxRecipients, "recipients within their limit");
    for (const QString &user : n.recipients)
        check(isName(user), "recipients are names");
    for (const QString *text : {&n.title, &n.message, &n.code, &n.level, &n.url})
        check(isCleanText(*text), "strings are clean text");
}

bool sameNulls(const Notification &a, const Notification &b)
{
    return a.code.isNull() == b.code.isNull() && a.title.isNull() == b.title.isNull() &&
           a.message.isNull() == b.message.isNull() && a.level.isNull() == b.level.isNull() &&
           a.url.isNull() == b.url.isNull();
}

void publishBody(const QByteArray &body)
{
    const auto parsed = Codec.parsePublishBody(body);
    // The shortcut for a flat notification agrees with the general path.
    const auto general = Codec.parsePublishBodyGenerally(body);
    check(parsed.has_value() == general.has_value(),
          "the shortcut accepts the bodies the general path does", body);
    if (parsed) {
        check(*parsed == *general && sameNulls(parsed->first(), general->first()),
              "the shortcut reads what the general path does", body);
    } else {
        check(parsed.error().code == general.error().code &&
                  parsed.error().message == general.error().message,
              "the shortcut's error is the general path's", body);
    }
    if (!parsed)
        return;
    check(!parsed->isEmpty() && parsed->size() <= TheLimits.maxBatch, "batch within its limit");
    QJsonArray array;
    for (const Notification &n : *parsed) {
        checkWithinLimits(n);
        array.append(JsonCodec::toJson(n));
    }
    const QByteArray again = parsed->size() == 1 && !body.trimmed().startsWith('[')
                                 ? compact(array.first())
                                 : compact(array);
    const auto reparsed = Codec.parsePublishBody(again);
    check(reparsed.has_value(), "an encoded publish is accepted", again);
    check(*reparsed == *parsed, "an encoded publish decodes to the same notifications", again);
}

void applicationBody(const QByteArray &body)
{
    const auto parsed = Codec.parseApplication(body, App);
    if (!parsed)
        return;
    check(characters(parsed->title) <= TheLimits.maxTitleChars, "title within its limit");
    for (const EventType &type : parsed->eventTypes) {
        check(isName(type.id), "event type id is a name");
        for (const Level &level : type.levels)
            check(isName(level.id), "level id is a name");
    }
    const QByteArray again = compact(JsonCodec::toJson(*parsed));
    const auto reparsed = Codec.parseApplication(again, App);
    check(reparsed.has_value() && *reparsed == *parsed, "an application survives encoding", again);
}

void channelBody(const QByteArray &body)
{
    const auto parsed = Codec.parseChannel(body, App, Chan);
    if (!parsed)
        return;
    check(characters(parsed->title) <= TheLimits.maxTitleChars, "title within its limit");
    check(parsed->description.toUtf8().size() <= TheLimits.maxMessageBytes,
          "description within its limit");
    const QByteArray again = compact(JsonCodec::toJson(*parsed));
    const auto reparsed = Codec.parseChannel(again, App, Chan);
    check(reparsed.has_value() && *reparsed == *parsed, "a channel survives encoding", again);
}

void checkIds(const QList<NotificationId> &ids)
{
    check(!ids.isEmpty() && ids.size() <= TheLimits.maxIdsPerAck, "ids within their limit");
    for (NotificationId id : ids)
        check(id > 0 && id < (qint64(1) << 53), "ids are positive and below 2^53");
}

void ackBody(const QByteArray &body)
{
    const auto object = JsonCodec::parseObjectBody(body);
    if (!object)
        return;
    const auto ids = Codec.parseAckIds(*object);
    if (!ids)
        return;
    checkIds(*ids);
    QJsonArray array;
    for (NotificationId id : *ids)
        array.append(id);
    const QByteArray again = compact(QJsonObject{{u"ids"_s, array}});
    const auto reobject = JsonCodec::parseObjectBody(again);
    check(reobject.has_value(), "an encoded ack body is an object", again);
    const auto reids = Codec.parseAckIds(*reobject);
    check(reids.has_value() && *reids == *ids, "ack ids survive encoding", again);
}

// The shortcut for flat publish frames agrees with the general path on every frame: the same
// message or the same error, and the same ref handed back for an error's answer.
void checkSameAsGeneralPath(const QByteArray &frame, const Result<ClientMessage> &decoded,
                            const QString &ref)
{
    QString generalRef;
    const auto general = Codec.decodeClientMessageGenerally(frame, &generalRef);
    check(decoded.has_value() == general.has_value(),
          "the shortcut accepts what the general path does", frame);
    if (decoded) {
        check(*decoded == *general, "the shortcut reads what the general path does", frame);
        const auto *publish = std::get_if<PublishMessage>(&*decoded);
        const auto *generalPublish = std::get_if<PublishMessage>(&*general);
        if (publish && generalPublish) { // null and empty strings alike (stored as NULL or '')
            check(sameNulls(publish->notification, generalPublish->notification),
                  "the shortcut leaves absent fields null as the general path does", frame);
        }
    } else {
        check(decoded.error().code == general.error().code &&
                  decoded.error().message == general.error().message,
              "the shortcut's error is the general path's", frame);
    }
    check(ref == generalRef, "the same ref for the answer", frame);
}

void clientFrame(const QByteArray &frame)
{
    QString ref;
    const auto decoded = Codec.decodeClientMessage(frame, &ref);
    checkSameAsGeneralPath(frame, decoded, ref);
    if (!decoded)
        return;
    if (const auto *reg = std::get_if<RegisterMessage>(&*decoded)) {
        check(!reg->clientId.isEmpty() && characters(reg->clientId) <= 128, "clientId 1-128");
        check(reg->user.isEmpty() || isName(reg->user), "user is a name");
        check(reg->fetchLast >= 0 && reg->fetchLast <= TheLimits.maxFetchLast,
              "fetchLast within its limit");
        qsizetype channels = 0;
        for (const Subscription &s : reg->subscriptions) {
            check(isName(s.application) && !s.channels.isEmpty(), "subscription is complete");
            for (const QString &channel : s.channels)
                check(isName(channel), "channels are names");
            channels += s.channels.size();
        }
        // None: a publishing session.
        check(channels <= TheLimits.maxSubscriptions, "channels within limit");
    } else if (const auto *ack = std::get_if<AckMessage>(&*decoded)) {
        checkIds(ack->ids);
    } else if (const auto *publish = std::get_if<PublishMessage>(&*decoded)) {
        check(!publish->ref.isEmpty() && publish->ref.size() <= PublishMessage::MaxRefChars,
              "ref 1-64");
        check(isName(publish->notification.application) && isName(publish->notification.channel),
              "a published notification names its application and channel");
    }
    const QByteArray again = JsonCodec::encode(*decoded);
    const auto redecoded = Codec.decodeClientMessage(again);
    check(redecoded.has_value() && *redecoded == *decoded, "a client frame survives encoding",
          again);
}

void serverFrame(const QByteArray &frame)
{
    const auto decoded = Codec.decodeServerMessage(frame);
    if (!decoded)
        return;
    const QByteArray again = JsonCodec::encode(*decoded);
    const auto redecoded = Codec.decodeServerMessage(again);
    check(redecoded.has_value() && *redecoded == *decoded, "a server frame survives encoding",
          again);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    const QByteArray input(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    switch (kindOf(data, KindCount)) {
    case PublishBody:
        publishBody(input);
        break;
    case ApplicationBody:
        applicationBody(input);
        break;
    case ChannelBody:
        channelBody(input);
        break;
    case AckBody:
        ackBody(input);
        break;
    case ClientFrame:
        clientFrame(input);
        break;
    case ServerFrame:
        serverFrame(input);
        break;
    }
    return 0;
}
