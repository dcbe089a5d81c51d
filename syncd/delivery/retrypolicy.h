// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "delivery/sendrequest.h"

#include <QByteArray>
#include <QDateTime>

#include <optional>

namespace herald::syncd {

// The three numbers of the retry schedule; the daemon's config and the tests set them.
struct RetryTiming
{
    qint64 initialDelayMs = 1000;          // the first retry's wait, before jitter
    qint64 maxDelayMs = 10 * 60 * 1000;    // no wait between two attempts is longer
    qint64 maxAgeMs = 24 * 60 * 60 * 1000; // after this long since the first attempt, give up
};

// When a delivery (a webhook, a mail) is retried (PROTOCOL.md, Routing to endpoints). Pure: no I/O,
// no clock, no random source of its own; time and randomness are passed in. Any thread.
class RetryPolicy
{
public:
    enum class Verdict
    {
        Done,  // delivered
        Retry, // worth another attempt later
        Fail,  // another attempt would end the same way
    };

    explicit RetryPolicy(RetryTiming timing = {}) : m_timing(timing) {}

    const RetryTiming &timing() const { return m_timing; }

    // 2xx: Done. No answer (network errors, timeouts), 408, 429 and 5xx: Retry. Other 4xx,
    // 3xx (a redirect not followed, too many of them), a TLS verification failure, an
    // address refused by policy and a request that cannot be sent: Fail.
    // A mail: taken with a 2xx reply, Done; a 4xx reply, no reply or a connection lost,
    // Retry; a 5xx reply, TLS not verified (or STARTTLS required and not offered), Fail.
    static Verdict classify(const SendResult &result);

    // How long to wait after failed attempt number `attempt` (1 for the first). The backoff
    // is initialDelayMs * 2^(attempt-1), capped at maxDelayMs, with ±25 % jitter taken from
    // `randomValue` (uniform over quint32): jobs that failed together do not all come back
    // together, and the first retry still comes after about a second. A Retry-After longer
    // than that is waited instead (a shorter one is not: a receiver cannot make us retry
    // sooner than the schedule). The result never exceeds maxDelayMs, Retry-After included:
    // a "Retry-After: 86400" must not park a job past its give-up time, and every wait stays
    // within the one knob an admin sets.
    qint64 nextDelayMs(int attempt, std::optional<qint64> retryAfterMs, quint32 randomValue) const;

    // True once maxAgeMs have passed since the first attempt (at exactly maxAgeMs too).
    bool givesUp(qint64 firstAttemptMs, qint64 nowMs) const;

    // A Retry-After value (RFC 9110 10.2.3) in milliseconds from `now`: delay-seconds
    // ("120"; over 2^31 counts as 2^31, as RFC 9111 says) or an HTTP-date (IMF-fixdate
    // "Sun, 06 Nov 1994 08:49:37 GMT"; also the obsolete RFC 850 and asctime forms, which
    // RFC 9110 asks recipients to accept). A date in the past is 0. nullopt when malformed
    // or negative.
    static std::optional<qint64> parseRetryAfter(const QByteArray &value, const QDateTime &now);

private:
    RetryTiming m_timing;
};

} // namespace herald::syncd
