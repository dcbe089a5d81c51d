// SPDX-License-Identifier: Apache-2.0
#include "relay/peeradmission.h"

#include <QCryptographicHash>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

// Compares without an early exit, so the time taken says nothing about the secret.
bool sameSecret(const QString &a, const QString &b)
{
    const QByteArray x = QCryptographicHash::hash(a.toUtf8(), QCryptographicHash::Sha256);
    const QByteArray y = QCryptographicHash::hash(b.toUtf8(), QCryptographicHash::Sha256);
    unsigned char difference = 0;
    for (qsizetype i = 0; i < x.size(); ++i)
        difference |= static_cast<unsigned char>(x[i] ^ y[i]);
    return difference == 0;
}

} // namespace

QString peerRefusal(const PeerHello &hello, const Config &config)
{
    if (config.clusterSecret.isEmpty())
        return u"this node has no cluster secret: it takes no peers"_s;
    if (hello.cluster != config.clusterName) {
        return u"cluster: '%1' is not this node's cluster '%2'"_s.arg(hello.cluster,
                                                                      config.clusterName);
    }
    if (!sameSecret(hello.secret, config.clusterSecret))
        return u"secret: not this cluster's secret"_s;
    if (hello.node == config.nodeId)
        return u"node: %1 is this node's own id (node ids must be unique)"_s.arg(hello.node);
    return {};
}

} // namespace herald::syncd
