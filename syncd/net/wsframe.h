// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>

namespace herald::syncd {

// A complete, unfragmented WebSocket text frame as a server sends it (RFC 6455 5.2: FIN, opcode
// 1, no mask) around `utf8`. Built once per message and written as it is to every session,
// instead of QWebSocket converting and framing the same text again for each of them.
// A text frame whose payload `writePayload(QByteArray &)` appends, made without copying the
// payload: room for the longest header is left in front, and what the header does not use is
// dropped (QByteArray drops a prefix by moving its start, not the bytes).
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

inline QByteArray webSocketTextFrame(const QByteArray &utf8)
{
    const quint64 length = quint64(utf8.size());
    QByteArray frame;
    frame.reserve(utf8.size() + 10);
    frame.append(char(0x81));
    if (length < 126) {
        frame.append(char(length));
    } else if (length <= 0xFFFF) {
        frame.append(char(126));
        frame.append(char(length >> 8)).append(char(length & 0xFF));
    } else {
        frame.append(char(127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((length >> shift) & 0xFF));
    }
    frame.append(utf8);
    return frame;
}

} // namespace herald::syncd
