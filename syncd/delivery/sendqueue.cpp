// SPDX-License-Identifier: Apache-2.0
#include "delivery/sendqueue.h"

#include <algorithm>

namespace herald::syncd {

SendQueue::SendQueue(int maxConcurrent, int maxPerEndpoint)
    : m_maxConcurrent(std::max(maxConcurrent, 1)), m_maxPerEndpoint(std::max(maxPerEndpoint, 1))
{
}

void SendQueue::push(SendRequest request)
{
    Endpoint &endpoint = m_endpoints[request.endpoint];
    endpoint.waiting.push_back({m_nextSequence++, std::move(request)});
    ++m_waiting;
}

std::optional<SendRequest> SendQueue::takeNext()
{
    if (m_running >= m_maxConcurrent || m_waiting == 0)
        return std::nullopt;
    // Endpoints are few (an admin configures them), so a scan beats keeping an order.
    auto next = m_endpoints.end();
    for (auto it = m_endpoints.begin(); it != m_endpoints.end(); ++it) {
        const Endpoint &endpoint = it.value();
        if (endpoint.waiting.empty() || endpoint.running >= m_maxPerEndpoint)
            continue;
        if (next == m_endpoints.end() ||
            endpoint.waiting.front().sequence < next.value().waiting.front().sequence)
            next = it;
    }
    if (next == m_endpoints.end())
        return std::nullopt;
    SendRequest request = std::move(next.value().waiting.front().request);
    next.value().waiting.pop_front();
    ++next.value().running;
    --m_waiting;
    ++m_running;
    return request;
}

void SendQueue::release(const QString &endpoint)
{
    const auto it = m_endpoints.find(endpoint);
    if (it == m_endpoints.end() || it.value().running == 0)
        return;
    --it.value().running;
    --m_running;
    if (it.value().running == 0 && it.value().waiting.empty())
        m_endpoints.erase(it);
}

} // namespace herald::syncd
