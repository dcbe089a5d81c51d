// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QString>

namespace herald::syncd {

class PeerOutlet;

// Who sends a digest first when the nodes of a cluster each keep their own queue of it (nodes
// on separate databases, docs/RELAY.md): every node ranks the nodes it knows of for the user
// and digest alike (rendezvous hashing, so a node joining or leaving moves few digests); the
// first sends when the digest falls due, the next waits one grace period and sends only if no
// record of the first one's digest has reached it by then, and so on. A node alone waits for
// nobody. Any thread.
class DigestSenderOrder
{
public:
    DigestSenderOrder(int nodeId, qint64 graceMs, const PeerOutlet &peers)
        : m_nodeId(nodeId), m_graceMs(graceMs), m_peers(peers)
    {
    }

    // How long after the digest is due this node sends it. `sameDatabase`: nodes that share
    // this node's database, and so its queue (one of them sends it: DigestScheduler), left
    // out of the order.
    qint64 waitMs(const QString &user, const QString &key,
                  const QList<int> &sameDatabase = {}) const;

    // The node's weight for the digest: the highest goes first. Every version and platform
    // computes the same (64-bit FNV-1a of the UTF-8 "user\nkey\nnode").
    static quint64 weight(const QString &user, const QString &key, int node);

private:
    const int m_nodeId;
    const qint64 m_graceMs;
    const PeerOutlet &m_peers;
};

} // namespace herald::syncd
