// SPDX-License-Identifier: Apache-2.0
#include "core/arrivallog.h"

#include "model/idgenerator.h"

#include <algorithm>

namespace herald::syncd {

ArrivalLog::ArrivalLog(qsizetype capacity) : m_capacity(std::max<qsizetype>(1, capacity)) {}

qint64 ArrivalLog::Stamper::stamp(const Notification &notification)
{
    if (notification.persistent)
        m_log.append(notification.id);
    return m_log.m_position;
}

void ArrivalLog::append(NotificationId id)
{
    if (qsizetype(m_ring.size()) < m_capacity)
        m_ring.push_back(id);
    else
        m_ring[size_t(m_position % m_capacity)] = id;
    ++m_position;
}

qint64 ArrivalLog::position() const
{
    QMutexLocker lock(&m_mutex);
    return m_position;
}

std::optional<ArrivalLog::After> ArrivalLog::after(NotificationId id) const
{
    QMutexLocker lock(&m_mutex);
    After after;
    // Newest first: visits only what arrived after `id` (a session is usually resumed soon).
    // The smallest id per origin, not the last seen, in case an origin's order was ever broken.
    const qint64 oldestKept = m_position - qint64(m_ring.size()) + 1;
    for (qint64 position = m_position; position >= oldestKept; --position) {
        const NotificationId found = m_ring[size_t((position - 1) % m_capacity)];
        if (found == id) {
            after.position = position;
            return after;
        }
        auto first = after.firstIdByOrigin.find(IdGenerator::nodeOf(found));
        if (first == after.firstIdByOrigin.end())
            after.firstIdByOrigin.insert(IdGenerator::nodeOf(found), found);
        else
            *first = std::min(*first, found);
    }
    return std::nullopt;
}

} // namespace herald::syncd
