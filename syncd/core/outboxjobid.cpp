// SPDX-License-Identifier: Apache-2.0
#include "core/outboxjobid.h"

#include <QByteArray>
#include <QRandomGenerator>
#include <QUuid>

namespace herald::syncd {

QString newOutboxJobId(qint64 nowMs)
{
    // Random first, then the time and the version and variant bits over it.
    quint32 random[4];
    QRandomGenerator::global()->fillRange(random);
    QByteArray bytes(reinterpret_cast<const char *>(random), sizeof(random));
    const quint64 ms = quint64(nowMs) & 0xFFFF'FFFF'FFFFull;
    for (int i = 0; i < 6; ++i)
        bytes[i] = char(quint8(ms >> (8 * (5 - i))));
    bytes[6] = char(0x70 | (quint8(bytes[6]) & 0x0F)); // version 7
    bytes[8] = char(0x80 | (quint8(bytes[8]) & 0x3F)); // variant 10
    return QUuid::fromRfc4122(bytes).toString(QUuid::WithoutBraces);
}

} // namespace herald::syncd
