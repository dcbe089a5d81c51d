// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "limits/tokenbucket.h"

#include <QHash>

namespace herald::syncd {

// One TokenBucket per key (a client address, a token id), for one thread: the front thread
// calls it for every request, so it takes no lock and allocates only for a new key. Full
// buckets are forgotten every few seconds, so the map holds only keys that spent tokens
// lately. When maxKeys keys are busy at once, a new key goes unlimited rather than growing
// the map without bound (a flood from that many addresses is beyond a per-key limit anyway).
template <typename Key> class KeyedBuckets
{
public:
    struct Verdict
    {
        bool allowed = true;
        qint64 retryAfterMs = 0; // when refused: until the key has a token again
    };

    explicit KeyedBuckets(BucketRate rate, qsizetype maxKeys = 100000)
        : m_rate(rate), m_maxKeys(maxKeys)
    {
    }

    bool limited() const { return m_rate.limited(); }
    const BucketRate &rate() const { return m_rate; }

    // Spends one of `key`'s tokens.
    Verdict take(const Key &key, qint64 nowMs)
    {
        TokenBucket *bucket = find(key, nowMs, true);
        if (!bucket || bucket->take(m_rate, nowMs))
            return {};
        return {false, bucket->msUntilToken(m_rate, nowMs)};
    }
    // Whether `key` has a token, spending none.
    Verdict peek(const Key &key, qint64 nowMs)
    {
        TokenBucket *bucket = find(key, nowMs, false);
        if (!bucket || bucket->hasToken(m_rate, nowMs))
            return {};
        return {false, bucket->msUntilToken(m_rate, nowMs)};
    }
    qsizetype size() const { return m_buckets.size(); }
    // Forgets full buckets (take() does it every SweepMs on its own).
    void sweep(qint64 nowMs)
    {
        m_lastSweepMs = nowMs;
        for (auto it = m_buckets.begin(); it != m_buckets.end();) {
            if (it.value().isFull(m_rate, nowMs))
                it = m_buckets.erase(it);
            else
                ++it;
        }
    }

    static constexpr qint64 SweepMs = 10000;

private:
    TokenBucket *find(const Key &key, qint64 nowMs, bool create)
    {
        if (!m_rate.limited())
            return nullptr;
        if (nowMs - m_lastSweepMs >= SweepMs)
            sweep(nowMs);
        auto it = m_buckets.find(key);
        if (it != m_buckets.end())
            return &it.value();
        if (!create)
            return nullptr; // an unknown key has a full bucket
        if (m_buckets.size() >= m_maxKeys) {
            sweep(nowMs);
            if (m_buckets.size() >= m_maxKeys)
                return nullptr;
        }
        return &m_buckets.insert(key, TokenBucket(m_rate, nowMs)).value();
    }

    BucketRate m_rate;
    qsizetype m_maxKeys;
    qint64 m_lastSweepMs = 0;
    QHash<Key, TokenBucket> m_buckets;
};

} // namespace herald::syncd
