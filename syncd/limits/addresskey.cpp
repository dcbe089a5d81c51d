// SPDX-License-Identifier: Apache-2.0
#include "addresskey.h"

namespace herald::syncd {

QHostAddress plainAddress(const QHostAddress &address)
{
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        bool mapped = false;
        const quint32 v4 = address.toIPv4Address(&mapped);
        if (mapped)
            return QHostAddress(v4);
    }
    return address;
}

AddressKey AddressKey::of(const QHostAddress &address)
{
    const QHostAddress plain = plainAddress(address);
    if (plain.protocol() == QAbstractSocket::IPv4Protocol)
        return {0, 0xffff00000000ULL | plain.toIPv4Address()};
    if (plain.protocol() != QAbstractSocket::IPv6Protocol)
        return {}; // no address (a socket already gone): all such count as one
    const Q_IPV6ADDR bytes = plain.toIPv6Address();
    quint64 network = 0;
    for (int i = 0; i < 8; ++i)
        network = (network << 8) | bytes[i];
    // The high bit marks IPv6, so no /64 can equal a mapped IPv4 key.
    return {network, 1ULL << 63};
}

} // namespace herald::syncd
