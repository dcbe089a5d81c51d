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

// The digest frame of the native wire (PROTOCOL.md, Delivery policy):
// {"type":"digest","data":{id, period, periodEnd, count, channels, items}}, every item a
// full stored notification; `count` never below the items carried. JsonCodec's, kept apart.
QByteArray encodeFrame(const DigestMessage &message);
Result<ServerMessage> decodeDigestFrame(const QJsonObject &frame, const JsonCodec &codec);

} // namespace herald::json
