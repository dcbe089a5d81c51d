// SPDX-License-Identifier: Apache-2.0
#include "relay/peermetrics.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

QByteArray escaped(const QString &value)
{
    QByteArray out = value.toUtf8();
    out.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    return out;
}

} // namespace

QByteArray renderPeerMetrics(int node, const QList<PeerStatus> &peers)
{
    struct Family
    {
        const char *name;
        const char *help;
        double (*value)(const PeerStatus &);
    };
    static const Family families[] = {
        {"herald_peer_up", "1 when the link to the peer is live or syncing",
         [](const PeerStatus &p) {
             return p.state == u"live"_s || p.state == u"syncing"_s ? 1.0 : 0.0;
         }},
        {"herald_peer_lag_records", "Records sent to the peer and not yet confirmed",
         [](const PeerStatus &p) { return double(p.lagRecords); }},
        {"herald_peer_lag_seconds", "How long the peer has been behind this node",
         [](const PeerStatus &p) { return p.lagSeconds; }},
        {"herald_peer_queue_depth", "Records waiting for the link's sync to finish",
         [](const PeerStatus &p) { return double(p.queued); }},
    };
    QByteArray out;
    for (const Family &family : families) {
        out.append("# HELP ").append(family.name).append(' ').append(family.help);
        out.append("\n# TYPE ").append(family.name).append(" gauge\n");
        for (const PeerStatus &peer : peers) {
            out.append(family.name).append("{node=\"").append(QByteArray::number(node));
            out.append("\",peer=\"").append(escaped(peer.name));
            out.append("\",peer_node=\"").append(QByteArray::number(peer.node));
            out.append("\",direction=\"").append(escaped(peer.direction));
            out.append("\",state=\"").append(escaped(peer.state)).append("\"} ");
            out.append(QByteArray::number(family.value(peer), 'g', 17)).append('\n');
        }
    }
    return out;
}

QJsonArray peersToJson(const QList<PeerStatus> &peers)
{
    QJsonArray array;
    for (const PeerStatus &peer : peers) {
        array.append(QJsonObject{{u"peer"_s, peer.name},
                                 {u"direction"_s, peer.direction},
                                 {u"node"_s, peer.node},
                                 {u"state"_s, peer.state},
                                 {u"lagRecords"_s, QJsonValue(peer.lagRecords)},
                                 {u"lagSeconds"_s, peer.lagSeconds},
                                 {u"queued"_s, QJsonValue(peer.queued)}});
    }
    return array;
}

} // namespace herald::syncd
