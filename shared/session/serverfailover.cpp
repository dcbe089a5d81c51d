// SPDX-License-Identifier: Apache-2.0
#include "serverfailover.h"

#include "protocol/messages.h"

#include <utility>

namespace herald {

using std::chrono::milliseconds;

ServerFailover::ServerFailover(QList<QUrl> servers, milliseconds backoffMin,
                               milliseconds backoffMax)
    : m_servers(std::move(servers)), m_backoff(backoffMin, backoffMax)
{
}

void ServerFailover::reconfigure(QList<QUrl> servers, milliseconds backoffMin,
                                 milliseconds backoffMax)
{
    m_servers = std::move(servers);
    m_backoff = Backoff(backoffMin, backoffMax, m_random);
    if (m_index >= m_servers.size())
        m_index = 0;
}

void ServerFailover::setRandomSource(Backoff::RandomSource random)
{
    m_random = random;
    m_backoff.setRandomSource(std::move(random));
}

void ServerFailover::restart()
{
    m_index = 0;
    m_backoff.reset();
}

milliseconds ServerFailover::connectionLost(bool wasRegistered, int closeCode, ConnectionLoss loss)
{
    const bool tryLater = loss == ConnectionLoss::TryLater;
    // No servers left (a new configuration took them away): nothing to move on to.
    if (!m_servers.isEmpty() && (!wasRegistered || closeCode == CloseCode::GoingAway || tryLater))
        m_index = (m_index + 1) % m_servers.size();
    return tryLater ? m_backoff.nextDelay(m_backoff.maximum() / 2) : m_backoff.nextDelay();
}

} // namespace herald
