// SPDX-License-Identifier: Apache-2.0
#include "delivery/addresspolicy.h"

#include <QStringList>

#include <array>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

struct V4Range
{
    quint32 base;
    int bits;
};

constexpr quint32 v4(quint32 a, quint32 b, quint32 c, quint32 d)
{
    return (a << 24) | (b << 16) | (c << 8) | d;
}

// IANA's special-purpose registry, less what is routable on the Internet (the documentation
// networks are left out: nothing answers there, and they are handy public examples).
constexpr std::array<V4Range, 11> kPrivateV4 = {{
    {v4(0, 0, 0, 0), 8},      // "this network"; 0.0.0.0 reaches the host itself on Linux
    {v4(10, 0, 0, 0), 8},     // RFC 1918
    {v4(100, 64, 0, 0), 10},  // CGNAT: the carrier's network, not the receiver's
    {v4(127, 0, 0, 0), 8},    // loopback
    {v4(169, 254, 0, 0), 16}, // link-local, incl. the cloud metadata service
    {v4(172, 16, 0, 0), 12},  // RFC 1918
    {v4(192, 0, 0, 0), 24},   // IETF protocol assignments
    {v4(192, 168, 0, 0), 16}, // RFC 1918
    {v4(198, 18, 0, 0), 15},  // benchmarking
    {v4(224, 0, 0, 0), 4},    // multicast
    {v4(240, 0, 0, 0), 4},    // reserved, incl. the broadcast address
}};

bool isPrivateV4(quint32 address)
{
    for (const V4Range &range : kPrivateV4) {
        const quint32 mask = ~quint32(0) << (32 - range.bits);
        if ((address & mask) == range.base)
            return true;
    }
    return false;
}

bool startsWith(const Q_IPV6ADDR &bytes, std::initializer_list<quint8> prefix)
{
    int i = 0;
    for (quint8 byte : prefix) {
        if (bytes[i++] != byte)
            return false;
    }
    return true;
}

quint32 v4At(const Q_IPV6ADDR &bytes, int offset)
{
    return v4(bytes[offset], bytes[offset + 1], bytes[offset + 2], bytes[offset + 3]);
}

bool isPrivateV6(const Q_IPV6ADDR &bytes)
{
    // IPv4 inside IPv6 reaches the IPv4 address: judge that one. ::/96 (compatible) also
    // holds :: and ::1, which land in 0.0.0.0/8.
    if (startsWith(bytes, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}))
        return isPrivateV4(v4At(bytes, 12));
    if (startsWith(bytes, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff})) // mapped
        return isPrivateV4(v4At(bytes, 12));
    if (startsWith(bytes, {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0})) // NAT64
        return isPrivateV4(v4At(bytes, 12));
    if (startsWith(bytes, {0, 0x64, 0xff, 0x9b, 0, 1})) // local-use NAT64 (RFC 8215)
        return true;
    if (startsWith(bytes, {0x20, 0x02})) // 6to4: the relay decapsulates to the IPv4 address
        return isPrivateV4(v4At(bytes, 2));
    if ((bytes[0] & 0xfe) == 0xfc) // unique local fc00::/7
        return true;
    if (bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80) // link-local fe80::/10
        return true;
    if (bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0xc0) // site-local fec0::/10 (deprecated)
        return true;
    return bytes[0] == 0xff; // multicast
}

// WHATWG's rule: a host whose last label is a number is meant as an IPv4 address.
bool endsInNumber(const QString &host)
{
    const QString last = host.section(u'.', -1);
    if (last.isEmpty())
        return false;
    const bool hex = last.startsWith("0x"_L1);
    for (QChar c : hex ? QStringView(last).mid(2) : QStringView(last)) {
        if (!(c.isDigit() || (hex && QStringView(u"abcdef").contains(c))))
            return false;
    }
    return true;
}

} // namespace

bool AddressPolicy::isPrivate(const QHostAddress &address)
{
    switch (address.protocol()) {
    case QAbstractSocket::IPv4Protocol:
        return isPrivateV4(address.toIPv4Address());
    case QAbstractSocket::IPv6Protocol:
        return isPrivateV6(address.toIPv6Address());
    default:
        return true;
    }
}

Result<QUrl> AddressPolicy::checkEndpointUrl(const QString &text, bool allowPrivateNetworks)
{
    if (text.isEmpty())
        return fail(ErrorCode::BadRequest, u"url: must not be empty"_s);
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid())
        return fail(ErrorCode::BadRequest, u"url: not a valid URL ("_s + url.errorString() + u')');
    if (url.scheme() != "http"_L1 && url.scheme() != "https"_L1)
        return fail(ErrorCode::BadRequest, u"url: the scheme must be http or https"_s);
    if (url.host().isEmpty())
        return fail(ErrorCode::BadRequest, u"url: must name a host"_s);
    if (!url.userInfo().isEmpty())
        return fail(ErrorCode::BadRequest,
                    u"url: must not contain user-info (credentials in URLs end up in logs)"_s);
    if (url.hasFragment())
        return fail(ErrorCode::BadRequest, u"url: must not have a fragment"_s);

    // QUrl already lowercases names and rewrites 2130706433, 0x7f.1 and 017700000001 as
    // 127.0.0.1; a trailing dot stops it, and a resolver ignores that dot.
    QString host = url.host();
    if (host.endsWith(u'.'))
        host.chop(1);
    QHostAddress literal;
    if (literal.setAddress(host)) {
        if (!allowPrivateNetworks && isPrivate(literal))
            return fail(ErrorCode::BadRequest,
                        u"url: "_s + url.host() +
                            u" is a private or loopback address; set [endpoints] "
                            u"allowPrivateNetworks=true to allow it"_s);
        return url;
    }
    // Neither an address nor a name: resolvers disagree on such hosts, so none is sent out.
    if (endsInNumber(host))
        return fail(ErrorCode::BadRequest,
                    u"url: "_s + url.host() + u" is not a valid IPv4 address"_s);
    return url;
}

} // namespace herald::syncd
