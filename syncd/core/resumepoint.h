// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/messages.h"
#include "store/storetypes.h"

namespace herald::syncd {

class ArrivalLog;
class ResumeBook;
struct Metrics;

// Where a resumed backlog (a register with lastNotificationId) starts.
// - A single node: after that id. Ids are made in the order they are stored and shown.
// - A node of a cluster, when the device's last session was live here, was sent that
//   notification, and follows the same channels again: after its arrival position, i.e. per
//   origin node from the oldest id that arrived after it. Exact: no repeat, no gap.
// - Any other resume on a cluster node: from 10 s of ids before it, because a notification
//   relayed from another node can arrive after newer ones made here; the client drops the
//   repeats by id.
class ResumePoint
{
public:
    static constexpr qint64 RelayLagMarginMs = 10'000;

    ResumePoint(const ArrivalLog &arrivals, ResumeBook &sessions, Metrics &metrics)
        : m_arrivals(arrivals), m_sessions(sessions), m_metrics(metrics)
    {
    }

    // Sets query.afterId, and query.fromIdByOrigin for an exact start, for `user`'s register
    // on this node, which is a node of a cluster or not.
    void apply(const QString &user, const RegisterMessage &message, bool clustered,
               BacklogQuery &query);

private:
    bool startsExactly(const QString &user, const RegisterMessage &message, BacklogQuery &query);

    const ArrivalLog &m_arrivals;
    ResumeBook &m_sessions;
    Metrics &m_metrics;
};

} // namespace herald::syncd
