// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"

#include <QSet>

#include <vector>

namespace herald {

// A bounded set of recently seen notification ids, to drop notifications the server repeats
// (relay lag, backlog overlapping what a previous session already delivered). insert() and
// contains() are O(1); beyond capacity the id inserted longest ago is forgotten (first in,
// first out: inserting an id that is already present does not refresh it).
//
// A plain value type, not thread-safe. In shared/util, not shared/session: the client's
// SyncSession and the daemon's peer relay both use it.
class RecentIds
{
public:
    static constexpr int DefaultCapacity = 10'000;

    // capacity is clamped to at least 1.
    explicit RecentIds(int capacity = DefaultCapacity);

    // Adds id; returns false (and changes nothing) when it is already present.
    bool insert(NotificationId id);
    bool contains(NotificationId id) const { return m_set.contains(id); }

    int size() const { return int(m_set.size()); }
    int capacity() const { return m_capacity; }
    void clear();

private:
    int m_capacity;
    QSet<NotificationId> m_set;
    // Ring buffer of the ids in insertion order; m_oldest is the next one to evict once full.
    std::vector<NotificationId> m_order;
    std::size_t m_oldest = 0;
};

} // namespace herald
