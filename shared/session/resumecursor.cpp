// SPDX-License-Identifier: Apache-2.0
#include "resumecursor.h"

namespace herald {

ResumeCursor::ResumeCursor(int recentIdsCapacity) : m_recent(recentIdsCapacity) {}

bool ResumeCursor::setLastId(NotificationId id)
{
    if (id == m_lastId)
        return false;
    m_lastId = id;
    return true;
}

std::optional<NotificationId> ResumeCursor::resumePoint() const
{
    if (m_lastId > 0)
        return m_lastId;
    return std::nullopt;
}

bool ResumeCursor::advanceTo(NotificationId id)
{
    return id > m_lastId && setLastId(id);
}

void ResumeCursor::setRecentIdsCapacity(int capacity)
{
    if (m_recent.capacity() != capacity)
        m_recent = RecentIds(capacity);
}

} // namespace herald
