// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QObject>
#include <QTimer>

namespace herald::syncd {

class PeerOutlet;
class StoreThread;

// Takes over the pending deliveries of a node that fell silent (PROTOCOL.md, Routing to
// endpoints; docs/RELAY.md). Every few seconds this node says it is alive (for the nodes that
// share its database) and looks at which other nodes own pending jobs in its outbox: on a
// shared database their own jobs, on a database of its own its copies of them (the relay's
// job records). A node is silent when neither its heartbeat in the database nor a live peer
// link to it has been seen for the grace period.
//
// So that one live node takes a silent node's jobs, the live nodes rank themselves alike for
// it (turn()); the n-th takes them over once the node has been silent for n + 1 grace
// periods, by when the first one's record of the takeover has reached it and left it nothing.
// Main thread.
class OutboxTakeover : public QObject
{
    Q_OBJECT
public:
    OutboxTakeover(int nodeId, qint64 graceMs, StoreThread &store, const PeerOutlet &peers,
                   QObject *parent = nullptr);

    void start();

    // This node's place (0: first) among `live` and itself in taking over `silent`'s jobs:
    // the highest weight first (64-bit FNV-1a of the UTF-8 "deliveries\n<silent>\n<node>"),
    // ties to the lower node. Every node computes the same order.
    static int turn(int silent, int self, const QList<int> &live);
    static quint64 weight(int silent, int node);

Q_SIGNALS:
    // Jobs became this node's to deliver.
    void deliveriesTaken(int count);

private:
    void beat();

    const int m_nodeId;
    const qint64 m_graceMs;
    StoreThread &m_store;
    const PeerOutlet &m_peers;
    qint64 m_startedMs = 0;
    bool m_busy = false;
    QTimer m_timer;
};

} // namespace herald::syncd
