// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QtGlobal>

#include <algorithm>
#include <cmath>

namespace herald::syncd {

// How a TokenBucket refills: `perSecond` tokens a second, holding at most `burst`.
// perSecond <= 0 means no limit at all.
struct BucketRate
{
    double perSecond = 0;
    double burst = 1;

    bool limited() const { return perSecond > 0; }
};

// A token bucket: it starts full, every request takes one token, and tokens come back
// continuously. Plain data for one thread; the caller passes the time (monotonic ms), so that
// tests need no clock and a map of buckets costs no timers.
class TokenBucket
{
public:
    TokenBucket() = default; // empty; for containers
    TokenBucket(const BucketRate &rate, qint64 nowMs) : m_tokens(rate.burst), m_updatedMs(nowMs) {}

    // Takes a token; false when none is left (then nothing changes).
    bool take(const BucketRate &rate, qint64 nowMs)
    {
        refill(rate, nowMs);
        if (m_tokens + Epsilon < 1)
            return false;
        m_tokens = std::max(0.0, m_tokens - 1);
        return true;
    }
    bool hasToken(const BucketRate &rate, qint64 nowMs)
    {
        refill(rate, nowMs);
        return m_tokens + Epsilon >= 1;
    }
    // How long until take() would succeed; 0 when it would now.
    qint64 msUntilToken(const BucketRate &rate, qint64 nowMs) const
    {
        const double tokens = refilled(rate, nowMs);
        if (tokens + Epsilon >= 1)
            return 0;
        return qint64(std::ceil((1 - tokens) * 1000 / rate.perSecond));
    }
    // A full bucket is the same as none: maps of buckets forget full ones.
    bool isFull(const BucketRate &rate, qint64 nowMs) const
    {
        return refilled(rate, nowMs) >= rate.burst;
    }

private:
    // Refills are fractions (20 a minute is 1/3000 a ms): what msUntilToken() promises must hold
    // despite rounding.
    static constexpr double Epsilon = 1e-9;

    double refilled(const BucketRate &rate, qint64 nowMs) const
    {
        if (nowMs <= m_updatedMs)
            return m_tokens;
        return std::min(rate.burst, m_tokens + double(nowMs - m_updatedMs) * rate.perSecond / 1000);
    }
    void refill(const BucketRate &rate, qint64 nowMs)
    {
        m_tokens = refilled(rate, nowMs);
        m_updatedMs = std::max(m_updatedMs, nowMs);
    }

    double m_tokens = 0;
    qint64 m_updatedMs = 0;
};

} // namespace herald::syncd
