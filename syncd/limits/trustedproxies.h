// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>

namespace herald::syncd {

// The reverse proxies whose X-Forwarded-For is believed ([limits] trustedProxies): limits
// then count by the client the proxy names, not by the proxy. From any other peer the header
// is ignored, so a client cannot choose the address it is counted as.
class TrustedProxies
{
public:
    using Subnet = QPair<QHostAddress, int>; // address and prefix length

    TrustedProxies() = default;
    explicit TrustedProxies(const QList<Subnet> &subnets);

    bool isEmpty() const { return m_subnets.isEmpty(); }
    bool contains(const QHostAddress &address) const;

    // The client of a request that came from `peer` with these X-Forwarded-For values (each
    // header's value, in order). `peer` itself unless it is trusted. Otherwise the addresses
    // are read from the right (the hop nearest to us): every trusted one is another proxy,
    // and the first that is not is the client; when all are trusted, the leftmost is. A
    // malformed entry ends the walk: the client is then the last hop read before it.
    QHostAddress clientOf(const QHostAddress &peer, const QList<QByteArray> &forwardedFor) const;

private:
    QList<Subnet> m_subnets;
};

} // namespace herald::syncd
