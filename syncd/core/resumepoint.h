// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/messages.h"
#include "store/storetypes.h"

#include <QMap>
#include <QSet>

#include <optional>

namespace herald::syncd {

class ArrivalLog;
class ResumeBook;
struct Metrics;

// Where a resumed backlog (a register with lastNotificationId) starts.
// - A single node: after that id. Ids are made in the order they are stored and shown.
// - A node of a cluster, when the device's last session was live here, was sent that
//   notification, and follows the same channels again: after its arrival position, i.e. per
//   origin node from the oldest id that arrived after it. Exact: no repeat, no gap.
// - When its last session was on another node that can tell the same (forPeer()), per origin
//   from where that node says (fromPeer()): exact too. The core asks (RemoteResume).
// - Any other resume on a cluster node: from 10 s of ids before it, because a notification
//   relayed from another node can arrive after newer ones made here; the client drops the
//   repeats by id.
class ResumePoint
{
public:
    static constexpr qint64 RelayLagMarginMs = 10'000;

    enum class Start
    {
        AfterId, // a single node, or no resume
        Exact,   // from this node's arrival position
        Margin,  // from 10 s of ids before; another node may know better
    };

    ResumePoint(const ArrivalLog &arrivals, ResumeBook &sessions, Metrics &metrics)
        : m_arrivals(arrivals), m_sessions(sessions), m_metrics(metrics)
    {
    }

    // Sets query.afterId, and query.fromIdByOrigin for an exact start, for `user`'s register
    // on this node, which is a node of a cluster or not. A Margin start is not counted yet:
    // fromPeer() or margin() settles it.
    Start apply(const QString &user, const RegisterMessage &message, bool clustered,
                BacklogQuery &query);
    // Another node's answer (ResumeAnswer::fromIdByOrigin) for a Margin start: per origin from
    // the id it names, the origins it does not name from their first one.
    void fromPeer(const QMap<int, NotificationId> &fromIdByOrigin, BacklogQuery &query);
    // No other node could tell: the margin apply() set stays.
    void margin();

    // For another node: where the missed notifications of a device whose last session was
    // here start, per origin (every origin that arrived here: the device lacks what came
    // after the id, and has what came before); nullopt when this node cannot tell. Forgets
    // the device's session here.
    std::optional<QMap<int, NotificationId>> forPeer(const QString &user, const QString &clientId,
                                                     NotificationId lastId,
                                                     const QSet<QString> &channelKeys);

private:
    struct Known
    {
        qint64 position = 0;
        QMap<int, NotificationId> firstIdByOrigin;
        QMap<int, NotificationId> newestIdByOrigin;
    };
    // What arrived here after `lastId`, when the device's last session here was sent it live
    // while following `channelKeys`.
    std::optional<Known> knownAfter(const QString &user, const QString &clientId,
                                    NotificationId lastId, const QSet<QString> &channelKeys);

    const ArrivalLog &m_arrivals;
    ResumeBook &m_sessions;
    Metrics &m_metrics;
};

} // namespace herald::syncd
