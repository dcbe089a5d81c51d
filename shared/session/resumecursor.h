// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"
#include "util/recentids.h"

#include <optional>

namespace herald {

// Where a SyncSession resumes and what it has delivered: the highest notification id
// delivered (the lastNotificationId of the next register) and the recently delivered ids,
// so that a notification the server sends again (backlog overlapping the last session, relay
// lag) is dropped. The resume point survives a changed dedupe capacity; the ids do not.
//
// A plain value type, not thread-safe.
class ResumeCursor
{
public:
    explicit ResumeCursor(int recentIdsCapacity = RecentIds::DefaultCapacity);

    // The highest id delivered, or the one set; 0 for none.
    NotificationId lastId() const { return m_lastId; }
    // Sets the resume point (also lower than before, e.g. a persisted one); returns whether
    // it changed.
    bool setLastId(NotificationId id);
    // The lastNotificationId of a register frame: none while lastId() is 0 (or below).
    std::optional<NotificationId> resumePoint() const;

    // Records id as delivered; false (nothing changes) when it was delivered recently.
    bool admit(NotificationId id) { return m_recent.insert(id); }
    // Raises the resume point to id when id is higher; returns whether it changed.
    bool advanceTo(NotificationId id);

    // Starts a new set of recent ids when capacity differs from the one in use.
    void setRecentIdsCapacity(int capacity);

private:
    NotificationId m_lastId = 0;
    RecentIds m_recent;
};

} // namespace herald
