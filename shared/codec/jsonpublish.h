// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/error.h"
#include "protocol/messages.h"

#include <QByteArray>
#include <QJsonObject>

namespace herald {
class JsonCodec;
}

namespace herald::json {

// The publish frames of the native wire (PROTOCOL.md, Publishing over the WebSocket):
// {"type":"publish","ref":...,"notification":{...}} and {"type":"published","ref":...,"id":N}.
// JsonCodec's, kept apart.
QByteArray encodeFrame(const PublishMessage &message);
QByteArray encodeFrame(const PublishedMessage &message);
void appendFrame(QByteArray &out, const PublishedMessage &message);
// `publishRef` (may be null) receives the ref as soon as it is read, so that a publish refused
// for its notification can be answered with it. The notification is checked as a single REST
// publish body is, and its errors name the fields the same way.
Result<ClientMessage> decodePublishFrame(const QJsonObject &frame, const JsonCodec &codec,
                                         QString *publishRef);
Result<ServerMessage> decodePublishedFrame(const QJsonObject &frame);
// Whether decodePublishFrame would take this ref and notification as they are.
bool acceptsPublish(const PublishMessage &message, const JsonCodec &codec);

} // namespace herald::json
