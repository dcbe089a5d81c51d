// SPDX-License-Identifier: Apache-2.0
#include "recentids.h"

#include <algorithm>

namespace herald {

RecentIds::RecentIds(int capacity) : m_capacity(std::max(capacity, 1))
{
    m_set.reserve(m_capacity);
}

bool RecentIds::insert(NotificationId id)
{
    if (m_set.contains(id))
        return false;
    if (m_order.size() < std::size_t(m_capacity)) {
        m_order.push_back(id);
    } else {
        m_set.remove(m_order[m_oldest]);
        m_order[m_oldest] = id;
        m_oldest = (m_oldest + 1) % m_order.size();
    }
    m_set.insert(id);
    return true;
}

void RecentIds::clear()
{
    m_set.clear();
    m_order.clear();
    m_oldest = 0;
}

} // namespace herald
