// SPDX-License-Identifier: Apache-2.0
// DigestScheduler on a real store thread, as one node of a cluster whose nodes keep their own
// queues: it sends a due digest only at its turn in the order (DigestSenderOrder) and writes
// the digest record the others drop their items by; and a period another node's record
// already covers is not sent again, its items left queued for the next one.
#include "core/digestscheduler.h"
#include "core/preferencebook.h"
#include "fakes.h"
#include "model/timestamps.h"
#include "store/digestrecord.h"
#include "storethreadfixture.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::testing;

namespace {
constexpr qint64 GraceMs = 400;
const QString Key = u"daily@08:00|desktop"_s;

DigestItem item(NotificationId id, qint64 dueMs)
{
    DigestItem i;
    i.user = u"alice"_s;
    i.key = Key;
    i.timeZone = u"UTC"_s;
    i.dueMs = dueMs;
    i.notificationId = id;
    i.application = u"app"_s;
    i.channel = u"alerts"_s;
    i.payload = QByteArray(R"({"id":)") + QByteArray::number(id) + "}";
    return i;
}

// A node that goes second for alice's digest among nodes 1 and 2, or first.
int nodeRanked(int rank)
{
    const bool oneFirst = DigestSenderOrder::weight(u"alice"_s, Key, 1) >
                          DigestSenderOrder::weight(u"alice"_s, Key, 2);
    return (rank == 0) == oneFirst ? 1 : 2;
}
} // namespace

class TestDigestScheduler : public StoreThreadFixture
{
    Q_OBJECT

private slots:
    void cleanup() { stopStore(); }

    void theSecondNodeSendsOnlyAtItsTurn()
    {
        const int node = nodeRanked(1);
        QVERIFY(startStore(node));
        m_peers.clustered = true;
        m_peers.known = {3 - node};
        DigestScheduler scheduler(node, GraceMs, *m_store, m_sessions, m_preferences, {},
                                  DigestSenderOrder(node, GraceMs, m_peers));
        const qint64 due = utcNow().toMSecsSinceEpoch() - 100;
        QVERIFY(queue({item(11, due), item(12, due)}));
        QCOMPARE(runDue(scheduler), 0); // the first node's turn: it waits
        QTest::qWait(GraceMs);
        QCOMPARE(runDue(scheduler), 1);
        // Its record names what it held, for the others to drop.
        QList<SentDigest> relayed;
        QVERIFY(runOnStore<bool>([&](SqlStore &store) -> Result<bool> {
            auto records = store.relayRecordsAfter({}, 100);
            if (!records)
                return tl::unexpected(records.error());
            for (const RelayRecord &r : *records) {
                if (auto d = readDigestRecordPayload(r.payload, r.user, r.origin, r.seq, r.timeMs))
                    relayed.append(*d);
            }
            return true;
        }));
        QCOMPARE(relayed.size(), 1);
        QCOMPARE(relayed[0].itemIds, (QList<NotificationId>{11, 12}));
        QCOMPARE(relayed[0].periodEndMs, due);
        QVERIFY(relayed[0].nextDueMs > due);
    }

    void aPeriodAnotherNodeSentIsNotSentAgain()
    {
        const int node = nodeRanked(0);
        QVERIFY(startStore(node));
        DigestScheduler scheduler(node, GraceMs, *m_store, m_sessions, m_preferences, {},
                                  DigestSenderOrder(node, GraceMs, m_peers));
        const qint64 due = utcNow().toMSecsSinceEpoch() - 100;
        QVERIFY(queue({item(11, due), item(12, due)}));
        // The other node's digest of the same period, which held item 11 only and left this
        // node's run where it was: its id is the one this node would give the period.
        QVERIFY(runOnStore<bool>([&](SqlStore &store) -> Result<bool> {
            SentDigest other;
            other.id = DigestScheduler::idOf(u"alice"_s, Key, due);
            other.user = u"alice"_s;
            other.key = Key;
            other.periodEndMs = due;
            other.count = 1;
            other.frame = R"({"type":"digest","data":{}})";
            other.itemIds = {11};
            other.nextDueMs = due; // as a peer that does not move runs on would send it
            RelayRecord r;
            r.origin = 3 - node;
            r.seq = 1;
            r.kind = RelayRecord::Kind::Digest;
            r.user = other.user;
            r.timeMs = due;
            r.payload = digestRecordPayload(other);
            auto applied = store.applyRelayRecords({r}, 9);
            if (!applied)
                return tl::unexpected(applied.error());
            return true;
        }));
        QCOMPARE(runDue(scheduler), 0);
        // Item 12 is still queued, for the next period.
        bool queued = false;
        QVERIFY(runOnStore<bool>([&](SqlStore &store) -> Result<bool> {
            auto left = store.digests([](DigestQueries &q) { return q.take(u"alice"_s, Key, 10); });
            if (!left)
                return tl::unexpected(left.error());
            queued = left->itemIds == QList<NotificationId>{12};
            return true;
        }));
        QVERIFY(queued);
    }

private:
    bool queue(const QList<DigestItem> &items)
    {
        return runOnStore<int>([items](SqlStore &store) {
            return store.digests([&](DigestQueries &q) { return q.add(items); });
        });
    }

    // Runs the due digests; how many were sent.
    int runDue(DigestScheduler &scheduler)
    {
        int sent = 0;
        bool done = false;
        scheduler.run(
            Principal::admin(), QString(), false,
            [&](const QList<DigestScheduler::Sent> &batch) { sent += int(batch.size()); },
            [&](Result<void> result) {
                if (!result)
                    qWarning() << result.error().message;
                done = true;
            });
        if (!QTest::qWaitFor([&] { return done; }, 5000))
            return -1;
        return sent;
    }

    FakeFanOut m_sessions;
    PreferenceBook m_preferences;
    FakePeers m_peers;
};

QTEST_GUILESS_MAIN(TestDigestScheduler)
#include "tst_digestscheduler.moc"
