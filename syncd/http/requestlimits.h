// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "auth/principal.h"
#include "http/httpmessage.h"
#include "limits/addresskey.h"
#include "limits/keyedbuckets.h"

#include <QElapsedTimer>
#include <QObject>

#include <functional>
#include <optional>

namespace herald::syncd {

class Authenticator;
class FailedAuthLimiter;
struct Metrics;
struct TrafficLimits;

// The request limits of PROTOCOL.md (Limits), for REST requests (Router) and WebSocket
// upgrades (UpgradeGate) alike: a rate per client address, a rate per token, and the
// failed-auth limiter (shared with the WebSocket workers' `register` frames), which stops
// token lookups for an address that keeps sending bad tokens. Token buckets, counted by
// HttpRequest::client (so by the real client behind a trusted proxy). Lives on the front
// thread and is called only there.
class RequestLimits : public QObject
{
    Q_OBJECT
public:
    RequestLimits(const TrafficLimits &limits, Authenticator &authenticator,
                  FailedAuthLimiter &failures, Metrics &metrics, QObject *parent = nullptr);

    // Spends one of the client address's requests: nullopt to go on, else the 429 to answer.
    std::optional<HttpResponse> admit(const HttpRequest &request);

    struct Outcome
    {
        enum class Kind
        {
            Accepted, // `principal` holds who it is
            NoToken,  // the request carries none
            Invalid,  // looked up and not valid
            Refused,  // `refusal` (429) says why: too many bad tokens, or the token's rate
        };
        Kind kind = Kind::NoToken;
        Principal principal;
        std::optional<HttpResponse> refusal;
    };
    using Callback = std::function<void(const Outcome &)>;
    // Authenticates the request's token (Authorization, or the query for upgrades). While its
    // address has spent its failures, only tokens known without the store are taken and the
    // rest are refused without a lookup. A valid token then spends one of its requests.
    // `callback` runs on this thread, at once or after the store answered (if `context`
    // still exists then).
    void authenticate(const HttpRequest &request, QObject *context, Callback callback);

    // Spends one of the token's requests for something other than an HTTP request (a
    // WebSocket `publish` frame): nullopt to go on, else the `rate_limited` error to answer.
    // Tokenless admin (--no-auth) is not limited.
    std::optional<Error> spendTokenRequest(const Principal &principal);

private:
    qint64 nowMs() const { return m_clock.elapsed(); }
    void accepted(const Principal &principal, const Callback &callback);

    Authenticator &m_authenticator;
    FailedAuthLimiter &m_failures;
    Metrics &m_metrics;
    QElapsedTimer m_clock;
    KeyedBuckets<AddressKey> m_addresses;
    KeyedBuckets<qint64> m_tokens; // by token id
};

} // namespace herald::syncd
