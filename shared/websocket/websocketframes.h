// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace herald {

// RFC 6455 §5.2's opcodes that Herald sends.
enum class WebSocketOpcode : quint8
{
    Text = 0x1,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA
};

// Cuts `reason` to what fits a close frame after its two-byte code (a control payload holds
// 125 bytes), on a UTF-8 character boundary.
QByteArrayView fitCloseReason(QByteArrayView reason);

// A close frame's payload: the code, then the reason cut by fitCloseReason().
QByteArray closePayload(int code, QByteArrayView reason);

// One unfragmented frame as a client sends it (§5.3): FIN set, `payload` masked with `mask`.
// The caller draws the mask afresh for every frame (QRandomGenerator), as §5.3 demands, so
// that a script in the page cannot predict the bytes on the wire.
QByteArray maskedFrame(WebSocketOpcode opcode, QByteArrayView payload, quint32 mask);

} // namespace herald
