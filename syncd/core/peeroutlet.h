// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/peerresume.h"
#include "model/notification.h"

#include <QHash>
#include <QList>
#include <QString>

namespace herald::syncd {

// What the core needs from the peer relay (implemented by Relay). Persistent changes reach
// the peers from the store's relay log, in the transaction of the change; only transient
// notifications, which are never stored, are handed over here. Callable from any thread.
class PeerOutlet
{
public:
    virtual ~PeerOutlet() = default;

    // True when this node is part of a cluster (it has a cluster secret).
    virtual bool isClustered() const = 0;
    // Transient notifications published on this node, for every peer.
    virtual void relayTransient(const QList<Notification> &notifications) = 0;
    // Closes `user`'s sessions on every node this one reaches now, if it has peers (live only, like
    // transient notifications: a node out of reach keeps them; they re-register there).
    virtual void relayDrop(const QString &user) = 0;
    // Floods `ask` to every node this one reaches now; their answers come to the core's
    // ResumeWitness::answered. False when no peer link is live (nobody would answer).
    virtual bool askResume(const ResumeAsk &ask) = 0;
    // The other nodes this one has heard of (origins of records it holds, linked peers), live
    // or not: the ranks of digest senders (DigestSenderOrder).
    virtual QList<int> knownNodes() const { return {}; }
    // By other node, when this one last had a live peer link to it (now, while it has one):
    // who is alive, for the takeover of a silent node's deliveries (OutboxTakeover). A link
    // that came and went between two looks still counts.
    virtual QHash<int, qint64> lastLinkedMs() const { return {}; }
};

} // namespace herald::syncd
