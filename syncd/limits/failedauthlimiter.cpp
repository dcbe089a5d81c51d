// SPDX-License-Identifier: Apache-2.0
#include "failedauthlimiter.h"

#include <QMutexLocker>

namespace herald::syncd {

namespace {
BucketRate failureRate(int failures, int windowMs)
{
    // `failures` at once, then as many again per window.
    return failures > 0 ? BucketRate{failures * 1000.0 / windowMs, double(failures)} : BucketRate{};
}
} // namespace

FailedAuthLimiter::FailedAuthLimiter(int failures, int windowMs)
    : m_failures(failureRate(failures, windowMs))
{
    m_clock.start();
}

FailedAuthLimiter::Verdict FailedAuthLimiter::check(const AddressKey &address)
{
    QMutexLocker lock(&m_mutex);
    return m_failures.peek(address, m_clock.elapsed());
}

void FailedAuthLimiter::failed(const AddressKey &address)
{
    QMutexLocker lock(&m_mutex);
    m_failures.take(address, m_clock.elapsed());
}

} // namespace herald::syncd
