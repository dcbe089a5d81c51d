// SPDX-License-Identifier: Apache-2.0
#include "backoff.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace herald {

using std::chrono::milliseconds;

Backoff::Backoff(milliseconds min, milliseconds max, RandomSource random)
    : m_min(std::max(min, milliseconds(0))), m_max(std::max(max, m_min)), m_cap(m_min),
      m_random(std::move(random))
{
}

milliseconds Backoff::nextDelay()
{
    return nextDelay(milliseconds(0));
}

milliseconds Backoff::nextDelay(milliseconds floor)
{
    floor = std::clamp(floor, milliseconds(0), m_max);
    const milliseconds cap = std::max(m_cap, floor);
    const double span = double((cap - floor).count());
    const milliseconds delay = floor + milliseconds(std::llround(random() * span));
    // Grow from the cap actually used, so a 1013 jump is not undone by the next failure.
    // Compare before multiplying: no overflow however long the outage lasts.
    // A zero minimum still grows (from 1 ms).
    m_cap = cap > m_max / Factor ? m_max : std::min(m_max, std::max(cap * Factor, milliseconds(1)));
    return std::min(delay, cap);
}

void Backoff::reset()
{
    m_cap = m_min;
}

void Backoff::setRandomSource(RandomSource random)
{
    m_random = std::move(random);
}

double Backoff::random() const
{
    const double r = m_random ? m_random() : QRandomGenerator::global()->generateDouble();
    return std::isnan(r) ? 0.0 : std::clamp(r, 0.0, 1.0);
}

} // namespace herald
