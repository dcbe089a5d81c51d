// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "notification.h"

#include <QMutex>

namespace herald {

// Makes notification ids: 41 bits of milliseconds since 2025-01-01T00:00:00Z, 6 bits of node
// id, 6 bits of sequence. Ids from one generator strictly increase even when the clock stalls
// or steps back (the sequence borrows from the next millisecond). Thread-safe.
class IdGenerator
{
public:
    static constexpr qint64 Epoch = 1735689600000; // 2025-01-01T00:00:00Z in ms since 1970
    static constexpr int NodeBits = 6;
    static constexpr int SequenceBits = 6;
    static constexpr int MaxNode = (1 << NodeBits) - 1;

    explicit IdGenerator(int node);

    NotificationId next();
    NotificationId next(qint64 nowMsSinceUnixEpoch); // for tests: a given clock reading

    int node() const { return m_node; }

    static int nodeOf(NotificationId id) { return int((id >> SequenceBits) & MaxNode); }
    static QDateTime timeOf(NotificationId id);
    // The smallest id that any node could have made at `time`; handy for time cursors.
    static NotificationId firstIdAt(const QDateTime &time);

private:
    const int m_node;
    QMutex m_mutex;
    qint64 m_lastMs = 0;
    int m_sequence = 0;
};

} // namespace herald
