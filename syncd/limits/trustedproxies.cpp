// SPDX-License-Identifier: Apache-2.0
#include "trustedproxies.h"

#include "limits/addresskey.h"

#include <algorithm>

namespace herald::syncd {

TrustedProxies::TrustedProxies(const QList<Subnet> &subnets)
{
    for (const Subnet &subnet : subnets) {
        const QHostAddress plain = plainAddress(subnet.first);
        int bits = subnet.second;
        // A mapped IPv4 subnet (::ffff:10.0.0.0/104) is the IPv4 one (10.0.0.0/8).
        if (plain.protocol() != subnet.first.protocol())
            bits = std::max(0, bits - 96);
        m_subnets.append({plain, bits});
    }
}

bool TrustedProxies::contains(const QHostAddress &address) const
{
    if (m_subnets.isEmpty())
        return false;
    const QHostAddress plain = plainAddress(address);
    for (const Subnet &subnet : m_subnets) {
        if (plain.isInSubnet(subnet))
            return true;
    }
    return false;
}

QHostAddress TrustedProxies::clientOf(const QHostAddress &peer,
                                      const QList<QByteArray> &forwardedFor) const
{
    QHostAddress client = plainAddress(peer);
    if (!contains(client))
        return client;
    QList<QByteArray> hops;
    for (const QByteArray &value : forwardedFor)
        hops += value.split(',');
    for (auto it = hops.crbegin(); it != hops.crend(); ++it) {
        QByteArray text = it->trimmed();
        // "[2001:db8::1]:443" and "192.0.2.1:443" carry a port some proxies add.
        if (text.startsWith('[')) {
            text = text.mid(1, text.indexOf(']') - 1);
        } else if (text.count(':') == 1) {
            text.truncate(text.indexOf(':'));
        }
        QHostAddress hop;
        if (!hop.setAddress(QString::fromLatin1(text)))
            break;
        client = plainAddress(hop);
        if (!contains(client))
            break;
    }
    return client;
}

} // namespace herald::syncd
