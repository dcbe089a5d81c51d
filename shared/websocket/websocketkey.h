// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>

namespace herald {

// RFC 6455 §4: the nonce a client sends as Sec-WebSocket-Key (16 random bytes in base64) and
// the Sec-WebSocket-Accept a server proves with that it read the request as a WebSocket
// upgrade: base64(SHA-1(key + the RFC's GUID)). Qt Core's SHA-1: no TLS library is needed.
QByteArray newWebSocketKey();
QByteArray webSocketAcceptKey(const QByteArray &key);

} // namespace herald
