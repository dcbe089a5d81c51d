// SPDX-License-Identifier: Apache-2.0
// The peer path of one herald-syncd, its peer played by the test: no path at all without a
// cluster secret, and a peer admitted there counted as linked at once. Whole clusters are
// tst_cluster's; the relay's back-pressure is tst_relaylimits'.
#include "httpclient.h"
#include "peerhello.h"
#include "syncdprocess.h"
#include "wait.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {
const QString ClusterSecret = u"cluster-secret-for-tests"_s;
} // namespace

class TestPeerPath : public QObject
{
    Q_OBJECT

private slots:
    void cleanup()
    {
        if (m_node)
            m_node->dumpLogIfFailed();
        m_node.reset();
    }

    void nodeWithoutSecretHasNoPeerPath()
    {
        // Decided at the upgrade, before any frame: no cluster secret, no peer endpoint.
        m_node = std::make_unique<SyncdProcess>();
        SyncdProcess &lone = *m_node;
        QVERIFY(lone.start({u"--no-auth"_s}));
        WsClient peer;
        QVERIFY(!peer.open(peerPathOf(lone)));
        QVERIFY2(peer.errorString().contains("404"_L1), qPrintable(peer.errorString()));
        WsClient client;
        QVERIFY(client.open(lone.wsUrl())); // the client path is unaffected
    }

    void anAdmittedPeerCountsAsLinkedAtOnce()
    {
        // The status a node takes when it admits a peer (between its once-a-second looks)
        // already has the peer linked: a peer that dies within its first second was still
        // seen, so the takeover of its jobs waits a grace period from then (tst_webhookmesh),
        // not from when the node started.
        m_node = std::make_unique<SyncdProcess>();
        SyncdProcess &node = *m_node;
        QVERIFY(node.start({u"--no-auth"_s, u"--node-id"_s, u"1"_s, u"--cluster"_s, u"test"_s,
                            u"--cluster-secret"_s, ClusterSecret}));
        HttpClient health(node.httpUrl());
        WsClient peer;
        QVERIFY2(peer.open(peerPathOf(node)), qPrintable(peer.errorString()));
        peer.sendJson(peerHelloFrame(7, u"test"_s, ClusterSecret));
        QString firstState;
        QVERIFY(waitUntil(
            [&] {
                const auto peers = health.get(u"/healthz"_s).object().value("peers"_L1).toArray();
                for (const QJsonValue &p : peers) {
                    if (p.toObject().value("node"_L1).toInt() == 7)
                        firstState = p.toObject().value("state"_L1).toString();
                }
                return !firstState.isEmpty();
            },
            5000, 2));
        QVERIFY2(firstState == "syncing"_L1 || firstState == "live"_L1, qPrintable(firstState));
    }

private:
    std::unique_ptr<SyncdProcess> m_node;
};

QTEST_GUILESS_MAIN(TestPeerPath)
#include "tst_peerpath.moc"
