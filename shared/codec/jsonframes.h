// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/messages.h"

#include <QByteArray>

namespace herald::json {

// The frames of the native wire as PROTOCOL.md shows them, "type" first: the server's (the
// digest, publish and error frames have files of their own) and the client's. JsonCodec's,
// kept apart.
QByteArray encodeFrame(const RegisteredMessage &m);
QByteArray encodeFrame(const NotificationMessage &m);
// The notification frame appended to `out`, without a copy of the notification's text.
void appendFrame(QByteArray &out, const NotificationMessage &m);
QByteArray encodeFrame(const BacklogDoneMessage &m);
QByteArray encodeFrame(const AcknowledgedMessage &m);
QByteArray encodeFrame(const DeletedMessage &m);
QByteArray encodeFrame(const UnseenMessage &m);
QByteArray encodeFrame(const SeenMessage &m);
QByteArray encodeFrame(const ClearedMessage &m);
QByteArray encodeFrame(const PreferencesMessage &m);
QByteArray encodeFrame(const PongMessage &m);
QByteArray encodeFrame(const RegisterMessage &m);
QByteArray encodeFrame(const AckMessage &m);
QByteArray encodeFrame(const PingMessage &m);

} // namespace herald::json
