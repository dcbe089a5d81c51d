// SPDX-License-Identifier: Apache-2.0
#include "core/outboxtakeover.h"

#include "core/fnv1a.h"
#include "core/peeroutlet.h"
#include "delivery/deliverylog.h"
#include "store/storethread.h"

#include <QDateTime>

#include <algorithm>

namespace herald::syncd {

namespace {

struct Taken
{
    int from = 0;
    int count = 0;
    qint64 silentMs = 0;
};

} // namespace

OutboxTakeover::OutboxTakeover(int nodeId, qint64 graceMs, StoreThread &store,
                               const PeerOutlet &peers, QObject *parent)
    : QObject(parent), m_nodeId(nodeId), m_graceMs(graceMs), m_store(store), m_peers(peers)
{
    m_timer.setParent(this);
    // Often enough that a silent node is noticed soon after its grace period ends, and that a
    // live one's heartbeat is never a grace old (a short grace beats faster than every 500 ms).
    m_timer.setInterval(
        int(std::clamp<qint64>(graceMs / 6, std::clamp<qint64>(graceMs / 4, 10, 500), 10000)));
    connect(&m_timer, &QTimer::timeout, this, &OutboxTakeover::beat);
}

void OutboxTakeover::start()
{
    if (m_graceMs <= 0)
        return; // takeover off
    // A node never heard of since this start counts as silent from now.
    m_startedMs = QDateTime::currentMSecsSinceEpoch();
    m_timer.start();
    beat();
}

quint64 OutboxTakeover::weight(int silent, int node)
{
    return fnv1a64(
        QByteArray("deliveries\n" + QByteArray::number(silent) + '\n' + QByteArray::number(node)));
}

int OutboxTakeover::turn(int silent, int self, const QList<int> &live)
{
    const quint64 mine = weight(silent, self);
    int ahead = 0;
    for (int node : live) {
        if (node == self || node == silent)
            continue;
        const quint64 theirs = weight(silent, node);
        if (theirs > mine || (theirs == mine && node < self))
            ++ahead;
    }
    return ahead;
}

void OutboxTakeover::beat()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_busy)
        return; // the store is slow: one look at a time
    m_busy = true;
    m_store.submit<QList<Taken>>(
        [self = m_nodeId, grace = m_graceMs, now, started = m_startedMs,
         linked = m_peers.lastLinkedMs()](SqlStore &store) -> Result<QList<Taken>> {
            auto beats = store.outbox([&](OutboxQueries &q) -> Result<QHash<int, qint64>> {
                if (auto alive = q.heartbeat(self, now); !alive)
                    return tl::unexpected(alive.error());
                return q.heartbeats();
            });
            if (!beats)
                return tl::unexpected(beats.error());
            auto owners = store.outbox([&](OutboxQueries &q) { return q.ownersOfPending(self); });
            if (!owners)
                return tl::unexpected(owners.error());
            auto heardOf = [&](int node) {
                return std::max({beats->value(node, 0), linked.value(node, 0), started});
            };
            QList<int> live;
            for (auto it = beats->cbegin(); it != beats->cend(); ++it) {
                if (heardOf(it.key()) >= now - grace)
                    live.append(it.key());
            }
            for (auto it = linked.cbegin(); it != linked.cend(); ++it) {
                if (it.value() >= now - grace && !live.contains(it.key()))
                    live.append(it.key());
            }
            QList<Taken> taken;
            for (int owner : std::as_const(*owners)) {
                const qint64 silent = now - heardOf(owner);
                if (silent < (turn(owner, self, live) + 1) * grace)
                    continue;
                auto moved = store.takeOverDeliveries(owner, self, now);
                if (!moved)
                    return tl::unexpected(moved.error());
                if (*moved > 0)
                    taken.append({owner, *moved, silent});
            }
            return taken;
        },
        this,
        [this](Result<QList<Taken>> taken) {
            m_busy = false;
            if (!taken) {
                qCWarning(lcDelivery)
                    << "cannot take part in the outbox's takeover:" << taken.error().message;
                return;
            }
            int total = 0;
            for (const Taken &t : std::as_const(*taken)) {
                qCWarning(lcDelivery).noquote()
                    << QStringLiteral("took over %1 pending deliveries of node %2, silent for "
                                      "over %3 ms")
                           .arg(t.count)
                           .arg(t.from)
                           .arg(t.silentMs);
                total += t.count;
            }
            if (total > 0)
                Q_EMIT deliveriesTaken(total);
        });
}

} // namespace herald::syncd
