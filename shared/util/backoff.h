// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <functional>

namespace herald {

// Exponential backoff with full jitter (the AWS architecture blog's "full jitter"): the cap
// starts at min, doubles after every delay handed out and stops at max; each delay is drawn
// uniformly from [0, cap]. Full jitter spreads a crowd of clients that lost the same server so
// they do not all come back in the same instant.
//
// A plain value type, not thread-safe; the random source is called on the caller's thread.
// In shared/util, not shared/session: the client's SyncSession and the daemon's peer dialer
// both use it, and server code takes nothing from the client session.
class Backoff
{
public:
    // Returns a number in [0, 1]; values outside are clamped. Tests inject a fixed one.
    using RandomSource = std::function<double()>;

    static constexpr int Factor = 2;

    // min and max are clamped to at least 0 and max to at least min. An empty random source
    // means QRandomGenerator::global().
    Backoff(std::chrono::milliseconds min, std::chrono::milliseconds max, RandomSource random = {});

    // The delay to wait before the next attempt, in [0, cap]; then the cap grows by Factor up
    // to max.
    std::chrono::milliseconds nextDelay();

    // Like nextDelay(), but the delay is at least floor (clamped to max): for a server that
    // asked us to come back later (close 1013). The cap continues growing from there.
    std::chrono::milliseconds nextDelay(std::chrono::milliseconds floor);

    // Back to the first step (cap = min), e.g. after a connection that worked.
    void reset();

    // The cap the next delay is drawn under.
    std::chrono::milliseconds currentCap() const { return m_cap; }
    std::chrono::milliseconds minimum() const { return m_min; }
    std::chrono::milliseconds maximum() const { return m_max; }

    // Replaces the random source; an empty one means QRandomGenerator::global().
    void setRandomSource(RandomSource random);

private:
    double random() const;

    std::chrono::milliseconds m_min;
    std::chrono::milliseconds m_max;
    std::chrono::milliseconds m_cap;
    RandomSource m_random;
};

} // namespace herald
