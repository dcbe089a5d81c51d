// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/error.h"
#include "protocol/messages.h"

#include <QByteArray>
#include <QJsonObject>

namespace herald::json {

// The error frame of the native wire: {"type":"error","code":...,"message":...} with the
// `ref` of the publish it answers, if any (PROTOCOL.md). JsonCodec's, kept apart with the
// REST error body (JsonCodec::errorBody).
QByteArray encodeFrame(const ErrorMessage &message);
Result<ServerMessage> decodeErrorFrame(const QJsonObject &frame);

} // namespace herald::json
