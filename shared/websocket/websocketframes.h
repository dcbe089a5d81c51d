// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace herald {

// RFC 6455 §5.2's opcodes, as they stand in the low bits of a frame's first byte.
namespace WebSocketOpcodes {
constexpr quint8 Continuation = 0x0;
constexpr quint8 Text = 0x1;
constexpr quint8 Binary = 0x2;
constexpr quint8 Close = 0x8;
constexpr quint8 Ping = 0x9;
constexpr quint8 Pong = 0xA;
} // namespace WebSocketOpcodes

// The opcodes that Herald sends.
enum class WebSocketOpcode : quint8
{
    Text = WebSocketOpcodes::Text,
    Close = WebSocketOpcodes::Close,
    Ping = WebSocketOpcodes::Ping,
    Pong = WebSocketOpcodes::Pong
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
