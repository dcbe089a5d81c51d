// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/idgenerator.h"
#include "model/notification.h"

#include <QMap>
#include <QMutex>

#include <array>
#include <optional>
#include <vector>

namespace herald::syncd {

// The order in which this node hands persistent notifications to its sessions, its own and
// those relayed from peers alike: each gets the next arrival position. A session that was
// live here received, of its channels, exactly what arrived between its start and the last
// notification it got, so "what arrived after notification X" is what such a session's
// client missed, with no repeat and no gap, whatever the ids' times say (a relayed
// notification can arrive long after newer ones made here, e.g. after a partition).
//
// Keeps the newest `capacity` positions. Thread-safe: the fan-out stamps under the log's lock
// (Stamper), so that what it hands on in that time reaches every worker in position order.
class ArrivalLog
{
public:
    static constexpr qsizetype DefaultCapacity = 131'072; // 1 MiB of ids

    explicit ArrivalLog(qsizetype capacity = DefaultCapacity);

    // Holds the lock for its lifetime: stamp, then hand on, then let it go.
    class [[nodiscard]] Stamper
    {
    public:
        explicit Stamper(ArrivalLog &log) : m_log(log), m_lock(&log.m_mutex) {}
        // A persistent notification's position (the next one); a transient one takes none and
        // gets the current position.
        qint64 stamp(const Notification &notification);

    private:
        ArrivalLog &m_log;
        QMutexLocker<QMutex> m_lock;
    };
    Stamper stamper() { return Stamper(*this); }

    // The position of the newest stamped notification (0 before the first).
    qint64 position() const;

    // What arrived after notification `id`: for each origin node, the oldest id (ids of one
    // origin arrive in increasing order, so the rest of that origin is newer). Origins with
    // nothing after it are absent. Nullopt when `id` is not among the kept positions.
    struct After
    {
        qint64 position = 0; // that of `id`
        QMap<int, NotificationId> firstIdByOrigin;
        // Every origin that ever arrived here (since this node started): its newest id. The
        // origins in firstIdByOrigin are newer than `id` from that id on; the others' up to
        // this one arrived before it.
        QMap<int, NotificationId> newestIdByOrigin;
    };
    std::optional<After> after(NotificationId id) const;

private:
    void append(NotificationId id);

    const qsizetype m_capacity;
    mutable QMutex m_mutex;
    std::vector<NotificationId> m_ring; // position p at index (p - 1) % capacity
    std::array<NotificationId, IdGenerator::MaxNode + 1> m_newestByOrigin{};
    qint64 m_position = 0;
};

} // namespace herald::syncd
