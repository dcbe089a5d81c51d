// SPDX-License-Identifier: Apache-2.0
// OutboxTakeover on a real store thread: a node's pending deliveries stay its own while it is
// alive (a live peer link to it, or a recent heartbeat of it in the shared database), and
// become this node's once it has been silent for (turn + 1) grace periods, never sooner: the
// first-ranked live node after one grace, the second after two; a node never heard of counts
// as silent from the takeover's start. The ranks (turn()) are the same on every build (FNV-1a
// recomputed here) and spread the first place over the nodes. A grace of 0 turns it all off.
#include "core/outboxtakeover.h"
#include "fakes.h"
#include "storethreadfixture.h"

#include <QDateTime>
#include <QMutex>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::testing;

namespace {
constexpr qint64 GraceMs = 600;
// How often it looks at such a grace: clamp(grace / 6, 500, 10000).
constexpr qint64 BeatMs = 500;
// What a takeover already due may still take on a busy machine: upper bounds are loose, the
// lower bounds (never before the grace) are exact.
constexpr int SlackMs = 5000;
const QString Hook = u"hook"_s;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// 64-bit FNV-1a of "deliveries\n<silent>\n<node>", written again here so that a change of
// the daemon's weights (which all nodes must agree on) fails.
quint64 fnv1a(int silent, int node)
{
    const QByteArray text =
        "deliveries\n" + QByteArray::number(silent) + '\n' + QByteArray::number(node);
    quint64 hash = 14695981039346656037ULL;
    for (const char c : text) {
        hash ^= quint8(c);
        hash *= 1099511628211ULL;
    }
    return hash;
}

// The takeover's log lines, caught from the message handler (category and text).
struct LoggedTakeover
{
    int count = 0;
    int from = 0;
    qint64 silentMs = 0;
};
QMutex loggedMutex;
QList<LoggedTakeover> logged;
QtMessageHandler previousHandler = nullptr;

void catchTakeoverLines(QtMsgType type, const QMessageLogContext &context, const QString &text)
{
    static const QRegularExpression line(
        u"^took over (\\d+) pending deliveries of node (\\d+), silent for over (\\d+) ms$"_s);
    if (type == QtWarningMsg && qstrcmp(context.category, "herald.syncd.delivery") == 0) {
        if (const auto m = line.match(text); m.hasMatch()) {
            QMutexLocker lock(&loggedMutex);
            logged.append(
                {m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toLongLong()});
            return; // expected: kept out of the test's output
        }
    }
    previousHandler(type, context, text);
}

QList<LoggedTakeover> loggedTakeovers()
{
    QMutexLocker lock(&loggedMutex);
    return logged;
}

DeliveryJob job(const QString &id, int owner)
{
    DeliveryJob j;
    j.id = id;
    j.endpoint = Hook; // no endpoint row: taking over does not look at endpoints
    j.notificationId = 42;
    j.payload = R"({"id":42})";
    j.node = owner;
    j.createdMs = nowMs();
    j.nextAttemptMs = j.createdMs;
    return j;
}

struct Taken
{
    int count = 0;
    qint64 atMs = 0; // when deliveriesTaken arrived: not before the look that took them
};
} // namespace

class TestOutboxTakeover : public StoreThreadFixture
{
    Q_OBJECT

private slots:
    void initTestCase() { previousHandler = qInstallMessageHandler(catchTakeoverLines); }
    void cleanupTestCase() { qInstallMessageHandler(previousHandler); }
    void init()
    {
        m_peers.live.clear();
        m_taken.clear();
        QMutexLocker lock(&loggedMutex);
        logged.clear();
    }
    void cleanup()
    {
        // The store first: its answers must find the takeover still there.
        stopStore();
        m_takeover.reset();
    }

    void turnsFollowTheWeightsHighestFirst()
    {
        QCOMPARE(OutboxTakeover::weight(1, 3), 13993700333416353535ULL);
        QCOMPARE(OutboxTakeover::weight(1, 2), 13993699233904725324ULL);
        for (int silent : {1, 7, 123, 100000}) {
            for (int node : {1, 2, 3, 42})
                QCOMPARE(OutboxTakeover::weight(silent, node), fnv1a(silent, node));
        }
        // For silent node 1, node 3 weighs more than node 2.
        QCOMPARE(OutboxTakeover::turn(1, 3, {2, 3}), 0);
        QCOMPARE(OutboxTakeover::turn(1, 2, {2, 3}), 1);
        // Itself in `live` or not: the same.
        QCOMPARE(OutboxTakeover::turn(1, 3, {2}), 0);
        QCOMPARE(OutboxTakeover::turn(1, 2, {3}), 1);
        QCOMPARE(OutboxTakeover::turn(1, 2, {}), 0);
        // The silent node outweighs both, yet takes no place among those taking over.
        QVERIFY(fnv1a(1, 1) > fnv1a(1, 3));
        QCOMPARE(OutboxTakeover::turn(1, 3, {1, 2}), 0);
        QCOMPARE(OutboxTakeover::turn(1, 2, {1, 3}), 1);
    }

    void threeCandidatesTakeDistinctTurnsAndEachIsFirstSomewhere()
    {
        const QList<int> nodes{1, 2, 3};
        QSet<int> firsts;
        for (int silent = 100; silent < 300; ++silent) {
            QList<int> turns;
            for (int node : nodes)
                turns.append(OutboxTakeover::turn(silent, node, nodes));
            QList<int> sorted = turns;
            std::sort(sorted.begin(), sorted.end());
            QCOMPARE(sorted, (QList<int>{0, 1, 2}));
            // The first is the heaviest by the weights computed here.
            const int heaviest = *std::max_element(nodes.cbegin(), nodes.cend(), [&](int a, int b) {
                return fnv1a(silent, a) < fnv1a(silent, b);
            });
            QCOMPARE(turns[nodes.indexOf(heaviest)], 0);
            firsts.insert(heaviest);
        }
        QCOMPARE(firsts.size(), 3); // the silent nodes' jobs spread over the live ones
    }

    void aLinkedNodeKeepsItsJobsUntilSilentForAGrace()
    {
        QVERIFY(startStore(3));
        QVERIFY(addJobs({job(u"a"_s, 1), job(u"b"_s, 1), job(u"c"_s, 1)}));
        QVERIFY(addFinishedJob(job(u"done"_s, 1)));
        m_peers.live = {1};
        startTakeover(3, GraceMs);
        // Linked all along, well past the start's own grace: nothing moves.
        QTest::qWait(3 * GraceMs);
        QCOMPARE(m_taken.size(), 0);
        QCOMPARE(ownersById(),
                 (QHash<QString, int>{{u"a"_s, 1}, {u"b"_s, 1}, {u"c"_s, 1}, {u"done"_s, 1}}));

        const qint64 lastSeenLive = waitForBeat(3);
        QVERIFY(lastSeenLive > 0);
        m_peers.live.clear();
        QVERIFY(QTest::qWaitFor([&] { return !m_taken.isEmpty(); }, GraceMs + BeatMs + SlackMs));
        QCOMPARE(m_taken[0].count, 3);
        QVERIFY2(m_taken[0].atMs >= lastSeenLive + GraceMs,
                 qPrintable(u"taken %1 ms after the link was last seen"_s.arg(m_taken[0].atMs -
                                                                              lastSeenLive)));
        verifyLogged(1, 3, GraceMs, m_taken[0].atMs - lastSeenLive);
        const QList<DeliveryJob> jobs = allJobs();
        QCOMPARE(jobs.size(), 4);
        for (const DeliveryJob &j : jobs) {
            const bool finished = j.id == u"done"_s;
            QCOMPARE(j.node, finished ? 1 : 3); // a finished job stays as it was
            QCOMPARE(j.takeovers, finished ? 0 : 1);
        }
        // Nothing left to take: no second signal.
        QTest::qWait(2 * BeatMs);
        QCOMPARE(m_taken.size(), 1);
    }

    void theSecondRankedNodeWaitsTwoGraces()
    {
        // For silent node 1, node 3 ranks first and node 2 second: this node is 2.
        QCOMPARE(OutboxTakeover::turn(1, 2, {1, 3}), 1);
        QVERIFY(startStore(2));
        QVERIFY(addJobs({job(u"a"_s, 1), job(u"b"_s, 1)}));
        m_peers.live = {1, 3};
        startTakeover(2, GraceMs);
        const qint64 lastSeenLive = waitForBeat(2);
        QVERIFY(lastSeenLive > 0);
        m_peers.live = {3};
        // The first look at which node 1 has been silent for a grace (about 1.5 graces on):
        // the first node's turn, not this one's. A late look already in this node's turn
        // proves nothing here.
        const qint64 firstsTurn = waitForBeat(2, lastSeenLive + GraceMs);
        QVERIFY(firstsTurn > 0);
        if (firstsTurn < lastSeenLive + 2 * GraceMs) {
            QCOMPARE(m_taken.size(), 0);
            QCOMPARE(ownersById(), (QHash<QString, int>{{u"a"_s, 1}, {u"b"_s, 1}}));
        }

        QVERIFY(QTest::qWaitFor([&] { return !m_taken.isEmpty(); }, GraceMs + BeatMs + SlackMs));
        QCOMPARE(m_taken[0].count, 2);
        QVERIFY2(m_taken[0].atMs >= lastSeenLive + 2 * GraceMs,
                 qPrintable(u"taken %1 ms after the link was last seen"_s.arg(m_taken[0].atMs -
                                                                              lastSeenLive)));
        verifyLogged(1, 2, 2 * GraceMs, m_taken[0].atMs - lastSeenLive);
        QCOMPARE(ownersById(), (QHash<QString, int>{{u"a"_s, 2}, {u"b"_s, 2}}));
    }

    void aHeartbeatInTheSharedDatabaseKeepsANodeAlive()
    {
        QVERIFY(startStore(3));
        QVERIFY(addJobs({job(u"a"_s, 1)}));
        startTakeover(3, GraceMs); // no peer link to node 1: only its heartbeat
        // Node 1 beats often, for three graces (the start's own grace long over).
        qint64 lastHeartbeat = 0;
        // Shared with the answers, which may come after a failed check returned.
        auto unanswered = std::make_shared<int>(0);
        QTimer heartbeats;
        heartbeats.setInterval(50);
        connect(&heartbeats, &QTimer::timeout, this, [&] {
            lastHeartbeat = nowMs();
            ++*unanswered;
            m_store->submit<bool>(
                [at = lastHeartbeat](SqlStore &store) -> Result<bool> {
                    auto written =
                        store.outbox([&](OutboxQueries &q) { return q.heartbeat(1, at); });
                    if (!written)
                        return tl::unexpected(written.error());
                    return true;
                },
                this,
                [unanswered](Result<bool> written) {
                    if (!written)
                        qWarning() << "cannot write a heartbeat:" << written.error().message;
                    --*unanswered;
                });
        });
        heartbeats.start();
        QTest::qWait(3 * GraceMs);
        heartbeats.stop();
        QVERIFY(QTest::qWaitFor([&] { return *unanswered == 0; }, SlackMs));
        QCOMPARE(m_taken.size(), 0);
        QCOMPARE(ownersById(), (QHash<QString, int>{{u"a"_s, 1}}));

        // Its heartbeat grows old: one grace after it, the jobs move.
        QVERIFY(QTest::qWaitFor([&] { return !m_taken.isEmpty(); }, GraceMs + BeatMs + SlackMs));
        QCOMPARE(m_taken[0].count, 1);
        QVERIFY2(m_taken[0].atMs >= lastHeartbeat + GraceMs,
                 qPrintable(u"taken %1 ms after the last heartbeat"_s.arg(m_taken[0].atMs -
                                                                          lastHeartbeat)));
        verifyLogged(1, 1, GraceMs, m_taken[0].atMs - lastHeartbeat);
        QCOMPARE(ownersById(), (QHash<QString, int>{{u"a"_s, 3}}));
    }

    void aNodeNeverHeardOfIsSilentFromTheStart()
    {
        QVERIFY(startStore(3));
        QVERIFY(addJobs({job(u"a"_s, 9), job(u"b"_s, 9)}));
        const qint64 startedMs = startTakeover(3, GraceMs);
        // The first look (made in start()) has answered by the time this read does: nothing.
        QVERIFY(heartbeats().contains(3));
        QCOMPARE(m_taken.size(), 0);
        QVERIFY(QTest::qWaitFor([&] { return !m_taken.isEmpty(); }, GraceMs + BeatMs + SlackMs));
        QCOMPARE(m_taken[0].count, 2);
        QVERIFY2(m_taken[0].atMs >= startedMs + GraceMs,
                 qPrintable(u"taken %1 ms after the start"_s.arg(m_taken[0].atMs - startedMs)));
        verifyLogged(9, 2, GraceMs, m_taken[0].atMs - startedMs);
        QCOMPARE(ownersById(), (QHash<QString, int>{{u"a"_s, 3}, {u"b"_s, 3}}));
    }

    void aGraceOfZeroTurnsTakeoverOff()
    {
        QVERIFY(startStore(3));
        QVERIFY(addJobs({job(u"a"_s, 9)}));
        startTakeover(3, 0);
        QTest::qWait(2 * BeatMs); // two looks, had it started
        QVERIFY(heartbeats().isEmpty());
        QCOMPARE(m_taken.size(), 0);
        QCOMPARE(ownersById(), (QHash<QString, int>{{u"a"_s, 9}}));
        QVERIFY(loggedTakeovers().isEmpty());
    }

private:
    // Starts a takeover for `node`; the time just before it started.
    qint64 startTakeover(int node, qint64 graceMs)
    {
        m_takeover = std::make_unique<OutboxTakeover>(node, graceMs, *m_store, m_peers);
        connect(m_takeover.get(), &OutboxTakeover::deliveriesTaken, this, [this](int count) {
            m_taken.append({count, nowMs()});
        });
        const qint64 before = nowMs();
        m_takeover->start();
        return before;
    }

    bool addJobs(const QList<DeliveryJob> &jobs)
    {
        return runOnStore<bool>([jobs](SqlStore &store) -> Result<bool> {
            auto added = store.outbox([&](OutboxQueries &q) { return q.add(jobs); });
            if (!added)
                return tl::unexpected(added.error());
            return true;
        });
    }

    bool addFinishedJob(const DeliveryJob &finished)
    {
        return runOnStore<bool>([finished](SqlStore &store) -> Result<bool> {
            auto added = store.outbox([&](OutboxQueries &q) -> Result<void> {
                if (auto made = q.add({finished}); !made)
                    return made;
                DeliveryOutcome done;
                done.id = finished.id;
                done.endpoint = finished.endpoint;
                done.status = DeliveryStatus::Done;
                done.attemptMs = finished.createdMs;
                done.httpStatus = 200;
                return q.record(done);
            });
            if (!added)
                return tl::unexpected(added.error());
            return true;
        });
    }

    QList<DeliveryJob> allJobs()
    {
        QList<DeliveryJob> jobs;
        if (!runOnStore<bool>([&](SqlStore &store) -> Result<bool> {
                auto listed =
                    store.outbox([](OutboxQueries &q) { return q.list(Hook, std::nullopt, 100); });
                if (!listed)
                    return tl::unexpected(listed.error());
                jobs = *listed;
                return true;
            }))
            qWarning("cannot read the outbox");
        return jobs;
    }

    QHash<QString, int> ownersById()
    {
        QHash<QString, int> owners;
        for (const DeliveryJob &j : allJobs())
            owners.insert(j.id, j.node);
        return owners;
    }

    QHash<int, qint64> heartbeats()
    {
        QHash<int, qint64> beats;
        if (!runOnStore<bool>([&](SqlStore &store) -> Result<bool> {
                auto read = store.outbox([](OutboxQueries &q) { return q.heartbeats(); });
                if (!read)
                    return tl::unexpected(read.error());
                beats = *read;
                return true;
            }))
            qWarning("cannot read the heartbeats");
        return beats;
    }

    // Waits for `node`'s next look, at `notBeforeMs` or later, and returns its time: the peer
    // links it saw are as recent as that, so a link dropped right after was last seen then;
    // and its answer has been handled by now. 0: no such look came.
    qint64 waitForBeat(int node, qint64 notBeforeMs = 0)
    {
        const qint64 before = heartbeats().value(node, 0);
        const qint64 deadline = std::max(nowMs(), notBeforeMs) + BeatMs + SlackMs;
        while (nowMs() < deadline) {
            if (const qint64 beat = heartbeats().value(node, 0);
                beat > before && beat >= notBeforeMs)
                return beat;
            QTest::qWait(5);
        }
        return 0;
    }

    // The one log line of the takeover: `count` jobs of `from`, silent for at least
    // `atLeastMs` and no longer than the test saw it silent.
    void verifyLogged(int from, int count, qint64 atLeastMs, qint64 atMostMs)
    {
        const QList<LoggedTakeover> lines = loggedTakeovers();
        QCOMPARE(lines.size(), 1);
        QCOMPARE(lines[0].from, from);
        QCOMPARE(lines[0].count, count);
        QVERIFY2(lines[0].silentMs >= atLeastMs && lines[0].silentMs <= atMostMs,
                 qPrintable(u"logged silent for %1 ms, expected %2..%3"_s.arg(lines[0].silentMs)
                                .arg(atLeastMs)
                                .arg(atMostMs)));
    }

    FakePeers m_peers;
    std::unique_ptr<OutboxTakeover> m_takeover;
    QList<Taken> m_taken;
};

QTEST_GUILESS_MAIN(TestOutboxTakeover)
#include "tst_outboxtakeover.moc"
