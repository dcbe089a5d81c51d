// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "limits/addresskey.h"
#include "limits/keyedbuckets.h"

#include <QElapsedTimer>
#include <QMutex>

namespace herald::syncd {

// The failed-auth limiter of PROTOCOL.md (Limits): an address that keeps presenting invalid
// tokens gets `authFailures` at once and as many again per window; past that its unknown
// tokens are refused without a store lookup. Tokens come in on the front thread (REST,
// upgrades) and on every WebSocket worker (`register` frames), and all of them count against
// one budget per address: so it locks (once per token lookup, never per cached token).
class FailedAuthLimiter
{
public:
    using Verdict = KeyedBuckets<AddressKey>::Verdict;

    // `failures` 0: no limit.
    FailedAuthLimiter(int failures, int windowMs);

    // Whether `address` may still have an unknown token looked up (spends nothing).
    Verdict check(const AddressKey &address);
    // A token from `address` was looked up and not valid.
    void failed(const AddressKey &address);

private:
    QMutex m_mutex;
    QElapsedTimer m_clock;
    KeyedBuckets<AddressKey> m_failures;
};

} // namespace herald::syncd
