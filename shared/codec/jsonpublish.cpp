// SPDX-License-Identifier: Apache-2.0
#include "jsonpublish.h"

#include "jsoncodec.h"
#include "jsonfields.h"
#include "jsontext.h"
#include "jsonwriter.h"
#include "protocol/fieldpath.h"

using namespace Qt::StringLiterals;

namespace herald::json {

QByteArray encodeFrame(const PublishMessage &m)
{
    QJsonObject notification = JsonCodec::toJson(m.notification);
    for (const QString &serverField : {u"id"_s, u"time"_s, u"node"_s})
        notification.remove(serverField);
    return OrderedObject()
        .addString(u"type", u"publish")
        .addString(u"ref", m.ref)
        .addValue(u"notification", notification)
        .toJson();
}

void appendFrame(QByteArray &out, const PublishedMessage &m)
{
    // One per publish over the WebSocket: written straight into the frame.
    appendSized(out, [&m](auto &text) {
        text.raw(R"({"type":"published","ref":)").quoted(m.ref);
        text.raw(R"(,"id":)").integer(qint64(m.id)).raw("}");
    });
}

QByteArray encodeFrame(const PublishedMessage &m)
{
    QByteArray out;
    appendFrame(out, m);
    return out;
}

namespace {
bool isValidRef(const QString &ref)
{
    return !ref.isEmpty() && ref.size() <= PublishMessage::MaxRefChars;
}
} // namespace

bool acceptsPublish(const PublishMessage &m, const JsonCodec &codec)
{
    return isValidRef(m.ref) && codec.validator().checkNotification(m.notification, QString());
}

Result<ClientMessage> decodePublishFrame(const QJsonObject &frame, const JsonCodec &codec,
                                         QString *publishRef)
{
    FieldReader r(frame);
    const QString ref = r.requiredString(u"ref"_s);
    if (!r.ok())
        return r.unexpected();
    if (!isValidRef(ref))
        return failField(u"ref"_s,
                         u"must be 1 to %1 characters"_s.arg(PublishMessage::MaxRefChars));
    if (publishRef)
        *publishRef = ref;
    const QJsonValue notification = frame.value(u"notification"_s);
    if (!notification.isObject())
        return failField(u"notification"_s, u"must be an object"_s);
    auto n = codec.parsePublish(notification.toObject());
    if (!n)
        return tl::unexpected(n.error());
    return PublishMessage{ref, *n};
}

Result<ServerMessage> decodePublishedFrame(const QJsonObject &frame)
{
    FieldReader r(frame);
    PublishedMessage m;
    m.ref = r.requiredString(u"ref"_s);
    r.require(u"id"_s);
    m.id = r.id(u"id"_s).value_or(0);
    if (!r.ok())
        return r.unexpected();
    return m;
}

} // namespace herald::json
