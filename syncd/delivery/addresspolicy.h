// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/error.h"

#include <QHostAddress>
#include <QString>
#include <QUrl>

namespace herald::syncd {

// Where webhooks may go. An admin who can configure an endpoint must not be able to make the
// daemon reach what only it can reach (its own loopback services, the cloud metadata address,
// the private network behind it) unless [endpoints] allowPrivateNetworks says so. Endpoint
// URLs are checked when they are configured (checkEndpointUrl); names are checked again on
// every address they resolve to, at connect time (HttpSender), so DNS cannot rebind them.
// Pure functions, any thread.
class AddressPolicy
{
public:
    // True for every address that is not a public unicast destination: loopback, unspecified,
    // RFC 1918, CGNAT (100.64/10), link-local (incl. 169.254.169.254), IPv6 ULA (fc00::/7) and
    // site-local, multicast, broadcast and reserved (240/4), 192.0.0.0/24, 198.18/15 and the
    // local-use NAT64 prefix 64:ff9b:1::/48. IPv4 addresses embedded in IPv6 (mapped
    // ::ffff:a.b.c.d, compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged as
    // the IPv4 address they reach. A null address counts as private (nothing to connect to).
    static bool isPrivate(const QHostAddress &address);

    // Checks an endpoint URL as an admin typed it: http or https, a host, no user-info
    // (credentials in URLs end up in logs) and no fragment. A host that is a literal address
    // (in any form a resolver accepts: 2130706433, 0x7f.1, [::ffff:127.0.0.1]) in a private
    // range is refused unless allowPrivateNetworks; a host whose last label is a number but
    // that is no valid IPv4 address (999.1.1.1, 1.2.3.4.5) is refused always. Names pass:
    // their addresses are checked at connect time. Returns the parsed URL, or BadRequest
    // naming the field ("url: ...").
    static Result<QUrl> checkEndpointUrl(const QString &url, bool allowPrivateNetworks);
};

} // namespace herald::syncd
