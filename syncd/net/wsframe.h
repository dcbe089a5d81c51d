// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>

namespace herald::syncd {

// A complete, unfragmented WebSocket text frame as a server sends it (RFC 6455 5.2: FIN, opcode
// 1, no mask), whose payload `writePayload(QByteArray &)` appends. Built once per message and
// written as it is to every session. The payload is written in place: room for the longest
// header is left in front, and what the header does not use is dropped (QByteArray drops a
// prefix by moving its start, not the bytes).
template <typename WritePayload> QByteArray webSocketTextFrameOf(WritePayload &&writePayload)
{
    constexpr qsizetype Room = 10;
    QByteArray frame(Room, '\0');
    writePayload(frame);
    const quint64 length = quint64(frame.size() - Room);
    qsizetype at = Room;
    if (length < 126) {
        frame[--at] = char(length);
    } else if (length <= 0xFFFF) {
        frame[--at] = char(length & 0xFF);
        frame[--at] = char(length >> 8);
        frame[--at] = char(126);
    } else {
        for (int shift = 0; shift <= 56; shift += 8)
            frame[--at] = char((length >> shift) & 0xFF);
        frame[--at] = char(127);
    }
    frame[--at] = char(0x81);
    frame.remove(0, at);
    return frame;
}

// The same around a text already made.
inline QByteArray webSocketTextFrame(const QByteArray &utf8)
{
    return webSocketTextFrameOf([&utf8](QByteArray &out) { out += utf8; });
}

} // namespace herald::syncd
