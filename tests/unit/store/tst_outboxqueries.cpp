// SPDX-License-Identifier: Apache-2.0
// Routing to endpoints in the store (schema 6): endpoints and behaviour groups
// (EndpointQueries), and the outbox (OutboxQueries): what is due and for whom, what an attempt
// records, the run of failures that disables an endpoint, the delivery log, and that a job
// commits or rolls back with the notification it belongs to.
#include "sqlstorefixture.h"

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::test;

namespace {

#define ENDPOINTS(...) MUST(m_store->endpoints([&](EndpointQueries &q) { return q.__VA_ARGS__; }))
#define OUTBOX(...) MUST(m_store->outbox([&](OutboxQueries &q) { return q.__VA_ARGS__; }))
#define OUTBOX_OK(...)                                                                             \
    STORE_VERIFY(m_store->outbox([&](OutboxQueries &q) { return q.__VA_ARGS__; }))

EndpointRecord webhook(const QString &name)
{
    EndpointRecord e;
    e.name = name;
    e.kind = u"webhook"_s;
    e.url = u"https://hooks.example.org/"_s + name;
    e.secret = u"whsec_0123456789abcdef"_s;
    e.updatedMs = 1000;
    return e;
}

DeliveryJob job(const QString &id, const QString &endpoint, qint64 dueMs, int node = 0)
{
    DeliveryJob j;
    j.id = id;
    j.endpoint = endpoint;
    j.notificationId = 42;
    j.payload = R"({"id":42,"title":"t"})";
    j.node = node;
    j.createdMs = 100;
    j.nextAttemptMs = dueMs;
    return j;
}

QStringList jobIds(const QList<DeliveryJob> &jobs)
{
    QStringList ids;
    for (const DeliveryJob &j : jobs)
        ids.append(j.id);
    return ids;
}

DeliveryOutcome outcome(const QString &id, const QString &endpoint, DeliveryStatus status,
                        qint64 atMs, qint64 nextMs = 0)
{
    DeliveryOutcome o;
    o.id = id;
    o.endpoint = endpoint;
    o.status = status;
    o.attemptMs = atMs;
    o.nextAttemptMs = nextMs;
    o.httpStatus = status == DeliveryStatus::Done ? 200 : 500;
    o.error = status == DeliveryStatus::Done ? QString() : u"HTTP 500"_s;
    o.endpointFailed = status != DeliveryStatus::Done;
    return o;
}

} // namespace

class TestOutboxQueries : public QObject, public SqlStoreFixture
{
    Q_OBJECT

private slots:
    void initTestCase() { startBackend(); }
    void init() { openFreshStore(); }
    void cleanup() { closeStore(); }

    void endpointsArePutFoundListedAndRemoved()
    {
        QCOMPARE(ENDPOINTS(put(webhook(u"b"_s))), true);
        QCOMPARE(ENDPOINTS(put(webhook(u"a"_s))), true);
        EndpointRecord changed = webhook(u"a"_s);
        changed.url = u"https://other.example.org/"_s;
        QCOMPARE(ENDPOINTS(put(changed)), false); // replaced, not new
        const auto found = ENDPOINTS(find(u"a"_s));
        QVERIFY(found.has_value());
        QCOMPARE(found->url, changed.url);
        QCOMPARE(found->secret, changed.secret);
        QVERIFY(found->enabled);
        const auto all = ENDPOINTS(all());
        QCOMPARE(all.size(), 2);
        QCOMPARE(all[0].name, u"a"_s); // by name
        QCOMPARE(ENDPOINTS(remove(u"a"_s)), true);
        QCOMPARE(ENDPOINTS(remove(u"a"_s)), false);
        QVERIFY(!ENDPOINTS(find(u"a"_s)).has_value());
    }

    void failuresInARowDisableAndEnableForgetsThem()
    {
        ENDPOINTS(put(webhook(u"hook"_s)));
        for (int i = 1; i < 3; ++i)
            QCOMPARE(ENDPOINTS(recordAttempt(u"hook"_s, true, 3, u"why"_s, 5000)), false);
        ENDPOINTS(recordAttempt(u"hook"_s, false, 3, u"why"_s, 5000)); // a success resets
        QCOMPARE(ENDPOINTS(find(u"hook"_s))->failuresInRow, 0);
        QCOMPARE(ENDPOINTS(recordAttempt(u"hook"_s, true, 3, u"why"_s, 5000)), false);
        QCOMPARE(ENDPOINTS(recordAttempt(u"hook"_s, true, 3, u"why"_s, 5000)), false);
        QCOMPARE(ENDPOINTS(recordAttempt(u"hook"_s, true, 3, u"last: HTTP 500"_s, 6000)), true);
        auto off = ENDPOINTS(find(u"hook"_s));
        QVERIFY(!off->enabled);
        QCOMPARE(off->disabledReason, u"last: HTTP 500"_s);
        QCOMPARE(off->failuresInRow, 3);
        // Disabled once: later failures do not disable it again.
        QCOMPARE(ENDPOINTS(recordAttempt(u"hook"_s, true, 3, u"x"_s, 7000)), false);
        // A PUT that does not say enabled keeps it disabled; enable() brings it back.
        EndpointRecord again = webhook(u"hook"_s);
        again.enabled = false;
        ENDPOINTS(put(again));
        QVERIFY(!ENDPOINTS(find(u"hook"_s))->enabled);
        QCOMPARE(ENDPOINTS(enable(u"hook"_s)), true);
        off = ENDPOINTS(find(u"hook"_s));
        QVERIFY(off->enabled);
        QCOMPARE(off->failuresInRow, 0);
        QVERIFY(off->disabledReason.isEmpty());
        QCOMPARE(ENDPOINTS(enable(u"nope"_s)), false);
    }

    void behaviorsArePerApplicationAndGoWithIt()
    {
        addCatalog();
        const BehaviorRecord errors{
            u"app"_s, u"errors"_s, uR"({"minLevel":"error"})"_s, {u"hook"_s, u"chat"_s}};
        QCOMPARE(ENDPOINTS(putBehavior(errors)), true);
        QCOMPARE(ENDPOINTS(putBehavior(errors)), false);
        ENDPOINTS(putBehavior(BehaviorRecord{u"other"_s, u"all"_s, u"{}"_s, {u"hook"_s}}));
        const auto found = ENDPOINTS(behavior(u"app"_s, u"errors"_s));
        QVERIFY(found.has_value());
        QCOMPARE(found->endpoints, (QStringList{u"hook"_s, u"chat"_s}));
        QCOMPARE(found->matchJson, errors.matchJson);
        QCOMPARE(ENDPOINTS(behaviors()).size(), 2);
        QCOMPARE(ENDPOINTS(behaviors(u"app"_s)).size(), 1);
        STORE_VERIFY(m_store->deleteApplication(u"app"_s));
        QCOMPARE(ENDPOINTS(behaviors()).size(), 1);
        QCOMPARE(ENDPOINTS(removeBehavior(u"other"_s, u"all"_s)), true);
        QCOMPARE(ENDPOINTS(removeBehavior(u"other"_s, u"all"_s)), false);
    }

    void dueJobsAreThisNodesPerEndpointEarliestFirst()
    {
        ENDPOINTS(put(webhook(u"a"_s)));
        ENDPOINTS(put(webhook(u"b"_s)));
        OUTBOX_OK(add({job(u"late"_s, u"a"_s, 300), job(u"early"_s, u"a"_s, 100),
                       job(u"future"_s, u"a"_s, 9000), job(u"node1"_s, u"a"_s, 50, 1),
                       job(u"onb"_s, u"b"_s, 200), job(u"onb-later"_s, u"b"_s, 7000)}));
        QCOMPARE(jobIds(OUTBOX(due(0, u"a"_s, 1000, 10, {}))),
                 (QStringList{u"early"_s, u"late"_s}));
        QCOMPARE(jobIds(OUTBOX(due(0, u"a"_s, 1000, 1, {}))), (QStringList{u"early"_s}));
        // In flight: left out, and the limit still fills.
        QCOMPARE(jobIds(OUTBOX(due(0, u"a"_s, 1000, 1, {u"early"_s}))), (QStringList{u"late"_s}));
        QCOMPARE(jobIds(OUTBOX(due(0, u"b"_s, 1000, 10, {}))), (QStringList{u"onb"_s}));
        QCOMPARE(OUTBOX(nextDue(0, u"a"_s, 1000)), std::optional<qint64>(9000));
        QCOMPARE(OUTBOX(nextDue(0, u"b"_s, 1000)), std::optional<qint64>(7000));
        QCOMPARE(OUTBOX(nextDue(0, u"b"_s, 8000)), std::optional<qint64>());
        QCOMPARE(jobIds(OUTBOX(due(1, u"a"_s, 1000, 10, {}))), (QStringList{u"node1"_s}));
        QVERIFY(OUTBOX(due(1, u"b"_s, 1000, 10, {})).isEmpty());
    }

    void attemptsAreRecordedOnPendingJobsOnly()
    {
        ENDPOINTS(put(webhook(u"a"_s)));
        OUTBOX_OK(add({job(u"j1"_s, u"a"_s, 100), job(u"j2"_s, u"a"_s, 100)}));
        OUTBOX_OK(record(outcome(u"j1"_s, u"a"_s, DeliveryStatus::Pending, 150, 2150)));
        auto j1 = OUTBOX(find(u"j1"_s));
        QCOMPARE(j1->status, DeliveryStatus::Pending);
        QCOMPARE(j1->attempts, 1);
        QCOMPARE(j1->nextAttemptMs, 2150);
        QCOMPARE(j1->lastStatus, 500);
        QCOMPARE(j1->lastError, u"HTTP 500"_s);
        QCOMPARE(jobIds(OUTBOX(due(0, u"a"_s, 1000, 10, {}))), (QStringList{u"j2"_s}));
        OUTBOX_OK(record(outcome(u"j1"_s, u"a"_s, DeliveryStatus::Done, 2200)));
        OUTBOX_OK(record(outcome(u"j1"_s, u"a"_s, DeliveryStatus::Failed, 2300))); // too late
        j1 = OUTBOX(find(u"j1"_s));
        QCOMPARE(j1->status, DeliveryStatus::Done);
        QCOMPARE(j1->attempts, 2);
        QCOMPARE(j1->lastAttemptMs, 2200);
        const auto counts = OUTBOX(counts());
        QCOMPARE(counts.value(u"a"_s).done, 1);
        QCOMPARE(counts.value(u"a"_s).pending, 1);
        QCOMPARE(OUTBOX(pendingCounts()), (QHash<QString, qint64>{{u"a"_s, 1}}));
    }

    void theLogListsNewestFirstByStatus()
    {
        ENDPOINTS(put(webhook(u"a"_s)));
        DeliveryJob older = job(u"older"_s, u"a"_s, 100);
        DeliveryJob newer = job(u"newer"_s, u"a"_s, 100);
        newer.createdMs = 200;
        OUTBOX_OK(add({older, newer, job(u"elsewhere"_s, u"b"_s, 100)}));
        OUTBOX_OK(record(outcome(u"older"_s, u"a"_s, DeliveryStatus::Failed, 300)));
        QCOMPARE(jobIds(OUTBOX(list(u"a"_s, std::nullopt, 10))),
                 (QStringList{u"newer"_s, u"older"_s}));
        QCOMPARE(jobIds(OUTBOX(list(u"a"_s, DeliveryStatus::Failed, 10))),
                 (QStringList{u"older"_s}));
        QCOMPARE(jobIds(OUTBOX(list(u"a"_s, DeliveryStatus::Pending, 10))),
                 (QStringList{u"newer"_s}));
        QCOMPARE(OUTBOX(list(u"a"_s, std::nullopt, 1)).size(), 1);
        // Finished jobs older than the cut go; pending ones stay whatever their age.
        QCOMPARE(OUTBOX(purgeFinished(1000, 100)), 1);
        QCOMPARE(jobIds(OUTBOX(list(u"a"_s, std::nullopt, 10))), (QStringList{u"newer"_s}));
    }

    void removingAnEndpointRemovesItsPendingJobs()
    {
        ENDPOINTS(put(webhook(u"a"_s)));
        OUTBOX_OK(add({job(u"pending"_s, u"a"_s, 100), job(u"done"_s, u"a"_s, 100)}));
        OUTBOX_OK(record(outcome(u"done"_s, u"a"_s, DeliveryStatus::Done, 150)));
        QCOMPARE(ENDPOINTS(remove(u"a"_s)), true);
        QVERIFY(!OUTBOX(find(u"pending"_s)).has_value());
        QVERIFY(OUTBOX(find(u"done"_s)).has_value()); // the log keeps what happened
    }

    void aSilentNodesPendingJobsAreTakenOverOnce()
    {
        ENDPOINTS(put(webhook(u"a"_s)));
        OUTBOX_OK(add({job(u"n1-pending"_s, u"a"_s, 100, 1), job(u"n1-done"_s, u"a"_s, 100, 1),
                       job(u"n2"_s, u"a"_s, 100, 2), job(u"n9"_s, u"a"_s, 100, 9)}));
        OUTBOX_OK(record(outcome(u"n1-done"_s, u"a"_s, DeliveryStatus::Done, 150)));
        // Heartbeats: the latest of each node.
        OUTBOX_OK(heartbeat(1, 1000));
        OUTBOX_OK(heartbeat(2, 900));
        OUTBOX_OK(heartbeat(1, 1200));
        QCOMPARE(OUTBOX(heartbeats()), (QHash<int, qint64>{{1, 1200}, {2, 900}}));
        // Owners of pending jobs, other than the node asking.
        QList<int> owners = OUTBOX(ownersOfPending(2));
        std::sort(owners.begin(), owners.end());
        QCOMPARE(owners, (QList<int>{1, 9}));
        // Node 3 takes node 1's pending job (not its finished one), counting the change of hands.
        const QList<DeliveryJob> taken = OUTBOX(takeOver(1, 3));
        QCOMPARE(jobIds(taken), (QStringList{u"n1-pending"_s}));
        QCOMPARE(taken.first().takeovers, 1);
        QCOMPARE(taken.first().endpoint, u"a"_s);
        QCOMPARE(taken.first().notificationId, 42);
        QCOMPARE(taken.first().createdMs, 100);
        // A second taker finds nothing left; finished jobs stay where they were.
        QVERIFY(OUTBOX(takeOver(1, 2)).isEmpty());
        QCOMPARE(OUTBOX(find(u"n1-done"_s))->node, 1);
        QCOMPARE(jobIds(OUTBOX(due(3, u"a"_s, 2000, 10, {}))), (QStringList{u"n1-pending"_s}));
        QVERIFY(OUTBOX(due(1, u"a"_s, 2000, 10, {})).isEmpty());
        // Taken on again: the count goes on.
        QCOMPARE(OUTBOX(takeOver(3, 2)).first().takeovers, 2);
    }

    void heldJobsAndCopiesWithoutABodyAreNotDue()
    {
        ENDPOINTS(put(webhook(u"a"_s)));
        DeliveryJob old = job(u"old"_s, u"a"_s, 100, 1);
        DeliveryJob fresh = job(u"fresh"_s, u"a"_s, 100, 1);
        fresh.createdMs = 5000;
        DeliveryJob bodiless = job(u"bodiless"_s, u"a"_s, 100, 1);
        bodiless.payload.clear();
        OUTBOX_OK(add({old, fresh, bodiless}));
        QStringList due = jobIds(OUTBOX(due(1, u"a"_s, 6000, 10, {})));
        due.sort();
        QCOMPARE(due, (QStringList{u"fresh"_s, u"old"_s}));
        QCOMPARE(jobIds(OUTBOX(due(1, u"a"_s, 6000, 10, {}, 5000))), (QStringList{u"fresh"_s}));
    }

    void aJobCommitsAndRollsBackWithItsNotification()
    {
        addCatalog();
        ENDPOINTS(put(webhook(u"a"_s)));
        STORE_VERIFY(m_store->begin());
        STORE_VERIFY(m_store->savepoint(u"publish"_s));
        insert({notification(1, u"app"_s, u"alerts"_s)});
        OUTBOX_OK(add({job(u"kept"_s, u"a"_s, 100)}));
        STORE_VERIFY(m_store->releaseSavepoint(u"publish"_s));
        STORE_VERIFY(m_store->savepoint(u"failed"_s));
        insert({notification(2, u"app"_s, u"alerts"_s)});
        OUTBOX_OK(add({job(u"dropped"_s, u"a"_s, 100)}));
        m_store->rollbackToSavepoint(u"failed"_s);
        STORE_VERIFY(m_store->commit());
        QVERIFY(OUTBOX(find(u"kept"_s)).has_value());
        QVERIFY(!OUTBOX(find(u"dropped"_s)).has_value());
        QVERIFY(MUST(m_store->findNotification(1)).has_value());
        QVERIFY(!MUST(m_store->findNotification(2)).has_value());
    }
};

QTEST_GUILESS_MAIN(TestOutboxQueries)
#include "tst_outboxqueries.moc"
