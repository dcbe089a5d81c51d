// SPDX-License-Identifier: Apache-2.0
// DigestSenderOrder: every node of a cluster ranks the senders of a user's digest alike, so
// that exactly one node goes first and each other one waits a grace period more than the one
// before it; the weights are fixed across versions and platforms (nodes of different builds
// must agree); a node alone, or not in a cluster, sends at once.
#include "core/digestsenderorder.h"
#include "fakes.h"

#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace herald::syncd;
using namespace herald::syncd::testing;

namespace {
constexpr qint64 GraceMs = 60'000;
const QString Key = u"daily@08:00|desktop"_s;
} // namespace

class TestDigestSenderOrder : public QObject
{
    Q_OBJECT

private slots:
    void weightsAreTheSameOnEveryBuild()
    {
        // 64-bit FNV-1a of "alice\ndaily@08:00|desktop\n<node>", computed independently.
        QCOMPARE(DigestSenderOrder::weight(u"alice"_s, Key, 1), 16861680703406743491ULL);
        QCOMPARE(DigestSenderOrder::weight(u"alice"_s, Key, 2), 16861681802918371702ULL);
        QCOMPARE(DigestSenderOrder::weight(u"alice"_s, Key, 3), 16861682902429999913ULL);
    }

    void threeNodesWaitZeroOneAndTwoGracesForEveryUser()
    {
        const QList<int> nodes{1, 2, 3};
        QSet<int> firsts;
        for (int u = 0; u < 200; ++u) {
            const QString user = u"user%1"_s.arg(u);
            QList<qint64> waits;
            for (int node : nodes) {
                FakePeers peers;
                peers.clustered = true;
                for (int other : nodes) {
                    if (other != node)
                        peers.known.append(other);
                }
                waits.append(DigestSenderOrder(node, GraceMs, peers).waitMs(user, Key));
            }
            QList<qint64> sorted = waits;
            std::sort(sorted.begin(), sorted.end());
            QCOMPARE(sorted, (QList<qint64>{0, GraceMs, 2 * GraceMs}));
            firsts.insert(nodes[waits.indexOf(0)]);
        }
        QCOMPARE(firsts.size(), 3); // the first sender differs between users: load spreads
    }

    void aNodeAloneOrOutsideAClusterSendsAtOnce()
    {
        FakePeers alone;
        alone.clustered = true;
        QCOMPARE(DigestSenderOrder(2, GraceMs, alone).waitMs(u"alice"_s, Key), 0);
        FakePeers single;
        single.known = {1, 3}; // records of other origins, but no cluster secret
        QCOMPARE(DigestSenderOrder(2, GraceMs, single).waitMs(u"alice"_s, Key), 0);
    }

    void nodesOnThisNodesDatabaseAreLeftOut()
    {
        // Nodes 1 and 3 share node 2's database: one queue, sent by its owner without a wait.
        FakePeers peers;
        peers.clustered = true;
        peers.known = {1, 3};
        for (int u = 0; u < 50; ++u) {
            const QString user = u"user%1"_s.arg(u);
            QCOMPARE(DigestSenderOrder(2, GraceMs, peers).waitMs(user, Key, {1, 3}), 0);
            const qint64 withOne = DigestSenderOrder(2, GraceMs, peers).waitMs(user, Key, {3});
            const bool oneAhead =
                DigestSenderOrder::weight(user, Key, 1) > DigestSenderOrder::weight(user, Key, 2);
            QCOMPARE(withOne, oneAhead ? GraceMs : 0);
        }
    }

    void aNodeThatLeftMovesOnlyTheDigestsItWasAheadIn()
    {
        // Node 4 known or not: a node's wait changes only where node 4 ranked before it.
        for (int u = 0; u < 100; ++u) {
            const QString user = u"user%1"_s.arg(u);
            FakePeers three;
            three.clustered = true;
            three.known = {1, 3};
            FakePeers four = three;
            four.known.append(4);
            const qint64 without = DigestSenderOrder(2, GraceMs, three).waitMs(user, Key);
            const qint64 with = DigestSenderOrder(2, GraceMs, four).waitMs(user, Key);
            const bool fourAhead =
                DigestSenderOrder::weight(user, Key, 4) > DigestSenderOrder::weight(user, Key, 2);
            QCOMPARE(with, without + (fourAhead ? GraceMs : 0));
        }
    }
};

QTEST_GUILESS_MAIN(TestDigestSenderOrder)
#include "tst_digestsenderorder.moc"
