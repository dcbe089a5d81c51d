// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArrayView>

namespace herald::syncd {

// 64-bit FNV-1a of `bytes`: the weights of the rendezvous orders every node of a cluster must
// compute alike (DigestSenderOrder, OutboxTakeover), on every version and platform.
inline quint64 fnv1a64(QByteArrayView bytes)
{
    quint64 hash = 14695981039346656037ULL;
    for (const char c : bytes) {
        hash ^= quint8(c);
        hash *= 1099511628211ULL;
    }
    return hash;
}

} // namespace herald::syncd
