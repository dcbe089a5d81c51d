// SPDX-License-Identifier: Apache-2.0
#include "core/digestsenderorder.h"

#include "core/fnv1a.h"
#include "core/peeroutlet.h"

namespace herald::syncd {

quint64 DigestSenderOrder::weight(const QString &user, const QString &key, int node)
{
    return fnv1a64(
        QByteArray(user.toUtf8() + '\n' + key.toUtf8() + '\n' + QByteArray::number(node)));
}

qint64 DigestSenderOrder::waitMs(const QString &user, const QString &key,
                                 const QList<int> &sameDatabase) const
{
    if (!m_peers.isClustered())
        return 0;
    const quint64 mine = weight(user, key, m_nodeId);
    qint64 ahead = 0;
    for (int node : m_peers.knownNodes()) {
        if (sameDatabase.contains(node))
            continue;
        const quint64 theirs = weight(user, key, node);
        if (theirs > mine || (theirs == mine && node < m_nodeId))
            ++ahead;
    }
    return ahead * m_graceMs;
}

} // namespace herald::syncd
