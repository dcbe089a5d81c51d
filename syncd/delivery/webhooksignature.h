// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>

namespace herald::syncd {

// What lets a receiver trust a webhook (PROTOCOL.md, Routing to endpoints): the
// Herald-Signature header, an HMAC over the time and the exact body bytes, so neither can be
// changed or replayed later without the secret; and the secrets that go with it.
// Pure functions, any thread.
class WebhookSignature
{
public:
    // "t=<unixSeconds>,v1=<lowercase hex HMAC-SHA256(secret, "<unixSeconds>." + body)>".
    // The receiver recomputes it and compares, and rejects a t too far from its clock.
    static QByteArray header(const QByteArray &secret, qint64 unixSeconds, const QByteArray &body);

    // A new endpoint secret: "whsec_" and 32 bytes from the system's CSPRNG, base64url
    // without padding (49 characters).
    static QByteArray newSecret();
};

} // namespace herald::syncd
