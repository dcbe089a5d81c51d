// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QHashFunctions>
#include <QHostAddress>

namespace herald::syncd {

// The address IPv4 clients have inside IPv4-mapped IPv6 (::ffff:a.b.c.d, as a dual-stack
// listener sees them), so that a client is one address whichever way it came in.
QHostAddress plainAddress(const QHostAddress &address);

// What per-address limits count by: an IPv4 address, or the /64 network of an IPv6 one (one
// host usually holds a whole /64, so counting single IPv6 addresses would limit nothing).
// 16 bytes, cheap to hash and compare.
struct AddressKey
{
    quint64 high = 0;
    quint64 low = 0;

    static AddressKey of(const QHostAddress &address);

    friend bool operator==(const AddressKey &a, const AddressKey &b)
    {
        return a.high == b.high && a.low == b.low;
    }
    friend bool operator!=(const AddressKey &a, const AddressKey &b) { return !(a == b); }
    friend size_t qHash(const AddressKey &key, size_t seed = 0)
    {
        return qHashMulti(seed, key.high, key.low);
    }
};

} // namespace herald::syncd
