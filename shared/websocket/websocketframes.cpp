// SPDX-License-Identifier: Apache-2.0
#include "websocketframes.h"

#include <algorithm>

namespace herald {

namespace {
constexpr qsizetype MaxControlPayload = 125;
constexpr quint8 Fin = 0x80;
constexpr quint8 MaskBit = 0x80;
} // namespace

QByteArrayView fitCloseReason(QByteArrayView reason)
{
    qsizetype size = std::min<qsizetype>(reason.size(), MaxControlPayload - 2);
    if (size < reason.size()) {
        while (size > 0 && (quint8(reason[size]) & 0xC0) == 0x80)
            --size;
    }
    return reason.first(size);
}

QByteArray closePayload(int code, QByteArrayView reason)
{
    QByteArray payload;
    payload.append(char(code >> 8)).append(char(code & 0xFF));
    payload.append(fitCloseReason(reason));
    return payload;
}

QByteArray maskedFrame(WebSocketOpcode opcode, QByteArrayView payload, quint32 mask)
{
    const quint64 length = quint64(payload.size());
    QByteArray frame;
    frame.reserve(payload.size() + 14);
    frame.append(char(Fin | quint8(opcode)));
    if (length < 126) {
        frame.append(char(MaskBit | length));
    } else if (length <= 0xFFFF) {
        frame.append(char(MaskBit | 126));
        frame.append(char(length >> 8)).append(char(length & 0xFF));
    } else {
        frame.append(char(MaskBit | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((length >> shift) & 0xFF));
    }
    const char key[4] = {char(mask >> 24), char(mask >> 16), char(mask >> 8), char(mask)};
    frame.append(key, 4);
    const qsizetype start = frame.size();
    frame.append(payload);
    char *masked = frame.data() + start;
    for (qsizetype i = 0; i < payload.size(); ++i)
        masked[i] ^= key[i & 3];
    return frame;
}

} // namespace herald
