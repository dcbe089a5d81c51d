// SPDX-License-Identifier: Apache-2.0
// The outbox between nodes with databases of their own (schema 13): job, jobsTaken and jobsDone
// records of other nodes make and change this node's copies of their jobs, the same in any
// order; a takeover applies when it is a later change of hands (ties: the higher node), never
// to a finished copy; "done" wins over "failed"; a copy without its body is never due; a payload
// that does not read changes nothing but counts as taken in. With relayDeliveries, new jobs,
// takeovers and finishes become records, served to a peer catching up with their jobs (a job
// record with its body only while its row is here).
#include "sqlstorefixture.h"

#include "store/deliveryrecord.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::test;

namespace {

#define OUTBOX(...) MUST(m_store->outbox([&](OutboxQueries &q) { return q.__VA_ARGS__; }))
#define OUTBOX_OK(...)                                                                             \
    STORE_VERIFY(m_store->outbox([&](OutboxQueries &q) { return q.__VA_ARGS__; }))

constexpr int LocalNode = 2; // the node of the store under test
constexpr qint64 CreatedMs = 1'800'000'000'000;
constexpr qint64 FinishedMs = CreatedMs + 5000;
const QString Endpoint = u"hook"_s;
using Kind = RelayRecord::Kind;
constexpr DeliveryStatus Pending = DeliveryStatus::Pending;
constexpr DeliveryStatus Done = DeliveryStatus::Done;
constexpr DeliveryStatus Failed = DeliveryStatus::Failed;

DeliveryJob job(const QString &id, int node = 1)
{
    DeliveryJob j;
    j.id = id;
    j.endpoint = Endpoint;
    j.notificationId = 42;
    j.payload = R"({"id":42,"title":"t"})";
    j.node = node;
    j.createdMs = CreatedMs;
    j.nextAttemptMs = CreatedMs;
    return j;
}

DeliveryJob taken(DeliveryJob j, int node, int takeovers)
{
    j.node = node;
    j.takeovers = takeovers;
    return j;
}

DeliveryJob finished(DeliveryJob j, DeliveryStatus status, int attempts = 2)
{
    j.status = status;
    j.attempts = attempts;
    j.lastAttemptMs = FinishedMs;
    j.nextAttemptMs = FinishedMs;
    j.lastStatus = status == Done ? 200 : 500;
    j.lastError = status == Done ? QString() : u"HTTP 500"_s;
    return j;
}

DeliveryOutcome outcome(const QString &id, DeliveryStatus status)
{
    DeliveryOutcome o{id, Endpoint, status, FinishedMs, FinishedMs + 60'000};
    o.httpStatus = status == Done ? 200 : 500;
    o.error = status == Done ? QString() : u"HTTP 500"_s;
    return o;
}

// Every column of a copy, so that a failed comparison shows what differs; without the node
// that delivers it and its count of changes of hands unless `withOwner`.
QString describe(std::optional<DeliveryJob> j, bool withOwner = true)
{
    if (!j)
        return u"(no copy)"_s;
    if (!withOwner)
        j->node = j->takeovers = -1;
    return u"%1 endpoint=%2 notification=%3 created=%4 node=%5 status=%6 attempts=%7 next=%8 "
           "last=%9 http=%10 error='%11' takeovers=%12 payload=%13"_s.arg(
               j->id, j->endpoint, QString::number(j->notificationId),
               QString::number(j->createdMs), QString::number(j->node),
               deliveryStatusName(j->status), QString::number(j->attempts),
               QString::number(j->nextAttemptMs), QString::number(j->lastAttemptMs),
               QString::number(j->lastStatus), j->lastError, QString::number(j->takeovers),
               QString::fromUtf8(j->payload));
}

QStringList sortedIds(const QList<DeliveryJob> &jobs)
{
    QStringList ids;
    for (const DeliveryJob &j : jobs)
        ids.append(j.id);
    ids.sort();
    return ids;
}

// `payload` with `key` set to `value` (removed when undefined); in its first job for the
// payloads that list jobs.
QString edited(const QString &payload, const QString &key, const QJsonValue &value)
{
    QJsonObject o = QJsonDocument::fromJson(payload.toUtf8()).object();
    if (QJsonArray jobs = o.value(u"jobs").toArray(); !jobs.isEmpty()) {
        QJsonObject first = jobs.first().toObject();
        first.insert(key, value);
        jobs.replace(0, first);
        o.insert(u"jobs"_s, jobs);
    } else {
        o.insert(key, value);
    }
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

} // namespace

class TestOutboxReplicas : public QObject, public SqlStoreFixture
{
    Q_OBJECT

private slots:
    void initTestCase() { startBackend(); }
    void init()
    {
        openFreshStore();
        openLocalStore(false);
        m_seqs.clear();
    }
    void cleanup() { closeStore(); }

    void aJobRecordMakesAPendingCopyOfItsOrigin()
    {
        const DeliveryJob made = job(u"j1"_s);
        relayJob(made, 1);
        QCOMPARE(describe(copyOf(made.id)), describe(made));
        relayJob(made, 1); // the same record again, as the next of node 1's
        QCOMPARE(MUST(m_store->relayHave()).value(1), 2);
        QCOMPARE(describe(copyOf(made.id)), describe(made));
        QCOMPARE(OUTBOX(list(Endpoint, std::nullopt, 10)).size(), 1);
        // Taken over meanwhile: its job record does not give it back to its origin.
        relayTaken(made, 3, 1);
        relayJob(made, 1);
        QCOMPARE(describe(copyOf(made.id)), describe(taken(made, 3, 1)));
    }

    void anyOrderOfJobTakenAndDoneEndsTheSame()
    {
        // Node 1 made the job, node 3 took it over and delivered it. A store skips a record
        // past a gap in its origin's sequence, so each record gets the next sequence of its
        // origin as it arrives: the rules look at what the records say, not at their numbers.
        const QStringList steps{u"job"_s, u"taken"_s, u"done"_s};
        std::array<int, 3> order{0, 1, 2}; // indices in steps
        QStringList settled, expected;
        do {
            const QString orderName =
                steps[order[0]] + u',' + steps[order[1]] + u',' + steps[order[2]];
            const DeliveryJob made = job(u"order-"_s + orderName);
            for (int step : order) {
                if (step == 0)
                    relayJob(made, 1);
                else if (step == 1)
                    relayTaken(made, 3, 1);
                else
                    relayDone(finished(made, Done), 3);
            }
            std::optional<DeliveryJob> copy = copyOf(made.id);
            if (copy)
                copy->takeovers = 1; // ranks pending copies only (a finish first leaves 0)
            settled.append(orderName + u": "_s + describe(copy));
            expected.append(orderName + u": "_s + describe(taken(finished(made, Done), 3, 1)));
        } while (std::next_permutation(order.begin(), order.end()));
        QCOMPARE(settled.size(), 6);
        QCOMPARE(settled, expected);
    }

    void aCopyWithoutItsBodyIsNotDueUntilItsJobRecordComes()
    {
        const DeliveryJob made = job(u"taken-first"_s);
        relayTaken(made, 3, 1);
        const auto bodiless = copyOf(made.id);
        QVERIFY(bodiless);
        QVERIFY(bodiless->payload.isEmpty());
        QCOMPARE(bodiless->status, Pending);
        QCOMPARE(bodiless->node, 3);
        QVERIFY(OUTBOX(due(3, Endpoint, FinishedMs, 10, {})).isEmpty());
        relayJob(made, 1);
        const auto due = OUTBOX(due(3, Endpoint, FinishedMs, 10, {}));
        QCOMPARE(due.size(), 1);
        QCOMPARE(describe(due.first()), describe(taken(made, 3, 1)));
        QVERIFY(OUTBOX(due(1, Endpoint, FinishedMs, 10, {})).isEmpty());
    }

    void aLaterTakeoverWinsAndTiesGoToTheHigherNode()
    {
        const DeliveryJob later = job(u"later"_s);
        relayJob(later, 1);
        relayTaken(later, 2, 2);
        relayTaken(later, 3, 1); // an earlier change of hands, arriving late
        QCOMPARE(describe(copyOf(later.id)), describe(taken(later, 2, 2)));
        // The same count: the higher node, whichever arrives first (with or without the body).
        for (const bool lowerFirst : {true, false}) {
            for (const bool withJobRecord : {true, false}) {
                DeliveryJob tie = job(u"tie-%1-%2"_s.arg(lowerFirst).arg(withJobRecord));
                if (withJobRecord)
                    relayJob(tie, 1);
                relayTaken(tie, lowerFirst ? 2 : 3, 1);
                relayTaken(tie, lowerFirst ? 3 : 2, 1);
                if (!withJobRecord)
                    tie.payload.clear();
                QCOMPARE(describe(copyOf(tie.id)), describe(taken(tie, 3, 1)));
            }
        }
        // A finished copy stays with the node that finished it.
        for (const DeliveryStatus status : {Done, Failed}) {
            const DeliveryJob made = job(u"finished-"_s + deliveryStatusName(status));
            relayJob(made, 1);
            relayDone(finished(made, status), 1);
            relayTaken(made, 3, 5);
            QCOMPARE(describe(copyOf(made.id)), describe(finished(made, status)));
        }
    }

    void doneReplacesFailedButNotTheOtherWayRound()
    {
        // Which node a finished copy names is left out: the finishes are what is checked here.
        const DeliveryJob failedFirst = job(u"failed-first"_s);
        relayJob(failedFirst, 1);
        relayDone(finished(failedFirst, Failed, 5), 1);
        QCOMPARE(describe(copyOf(failedFirst.id), false),
                 describe(finished(failedFirst, Failed, 5), false));
        relayDone(finished(failedFirst, Done, 1), 3);
        QCOMPARE(describe(copyOf(failedFirst.id), false),
                 describe(finished(failedFirst, Done, 1), false));

        const DeliveryJob doneFirst = job(u"done-first"_s);
        relayJob(doneFirst, 1);
        relayDone(finished(doneFirst, Done, 2), 1);
        relayDone(finished(doneFirst, Failed, 7), 3);
        QCOMPARE(describe(copyOf(doneFirst.id), false),
                 describe(finished(doneFirst, Done, 2), false));
    }

    void newJobsAreRecordedOnlyWhenDeliveriesAreRelayed()
    {
        const QList<DeliveryJob> jobs{job(u"a"_s, LocalNode), job(u"b"_s, LocalNode)};
        STORE_VERIFY(m_store->addDeliveries(jobs));
        QVERIFY(OUTBOX(find(u"a"_s)));
        OUTBOX_OK(add({job(u"silent"_s, 1)}));
        QCOMPARE(MUST(m_store->takeOverDeliveries(1, LocalNode, FinishedMs)), 1);
        OUTBOX_OK(record(outcome(u"a"_s, Done)));
        STORE_VERIFY(m_store->relayFinishedDeliveries({u"a"_s}, FinishedMs));
        QVERIFY(MUST(m_store->relayRecordsAfter({}, 100)).isEmpty());

        openLocalStore(true);
        QList<DeliveryJob> relayed{job(u"c"_s, LocalNode), job(u"d"_s, LocalNode)};
        relayed[1].createdMs = relayed[1].nextAttemptMs = CreatedMs + 7;
        STORE_VERIFY(m_store->addDeliveries(relayed));
        const auto records = recordsOf(Kind::Job);
        QCOMPARE(records.size(), 2);
        for (qsizetype i = 0; i < records.size(); ++i) {
            QCOMPARE(records[i].origin, LocalNode);
            QCOMPARE(records[i].seq, qint64(i + 1));
            QCOMPARE(records[i].timeMs, relayed[i].createdMs);
            const auto read = readJobRecordPayload(records[i].payload);
            QVERIFY2(read, qPrintable(records[i].payload));
            QCOMPARE(describe(read, false), describe(relayed[i], false));
        }
    }

    void aTakeoverIsRecordedTwoHundredJobsARecord()
    {
        openLocalStore(true);
        QList<DeliveryJob> silentNodes;
        for (int i = 0; i < 450; ++i)
            silentNodes.append(job(u"silent-%1"_s.arg(i, 3, 10, QLatin1Char('0')), 1));
        OUTBOX_OK(add(silentNodes));
        QCOMPARE(MUST(m_store->takeOverDeliveries(1, LocalNode, FinishedMs)), 450);
        const auto records = recordsOf(Kind::JobsTaken);
        QCOMPARE(records.size(), 3);
        QList<DeliveryJob> read;
        QList<qsizetype> sizes;
        for (const RelayRecord &r : records) {
            QCOMPARE(r.origin, LocalNode);
            QCOMPARE(r.timeMs, FinishedMs);
            const auto jobs = readTakenRecordPayload(r.payload);
            QVERIFY2(jobs, qPrintable(r.payload.left(200)));
            sizes.append(jobs->size());
            read.append(*jobs);
        }
        QCOMPARE(sizes, (QList<qsizetype>{200, 200, 50}));
        QCOMPARE(sortedIds(read), sortedIds(silentNodes));
        for (DeliveryJob j : std::as_const(read)) {
            QCOMPARE(j.takeovers, 1);
            j.payload = job(j.id).payload; // not in the record
            QCOMPARE(describe(j, false), describe(job(j.id), false));
        }
        QCOMPARE(OUTBOX(find(u"silent-449"_s))->node, LocalNode);
        // Nothing left to take: no record.
        QCOMPARE(MUST(m_store->takeOverDeliveries(1, LocalNode, FinishedMs)), 0);
        QCOMPARE(recordsOf(Kind::JobsTaken).size(), 3);
    }

    void onlyFinishedJobsAreRecordedAsDone()
    {
        openLocalStore(true);
        STORE_VERIFY(m_store->addDeliveries(
            {job(u"ok"_s, LocalNode), job(u"gave-up"_s, LocalNode), job(u"retry"_s, LocalNode)}));
        OUTBOX_OK(record(outcome(u"ok"_s, Done)));
        OUTBOX_OK(record(outcome(u"gave-up"_s, Failed)));
        OUTBOX_OK(record(outcome(u"retry"_s, Pending)));
        STORE_VERIFY(m_store->relayFinishedDeliveries({u"retry"_s}, FinishedMs));
        QVERIFY(recordsOf(Kind::JobsDone).isEmpty());
        STORE_VERIFY(m_store->relayFinishedDeliveries(
            {u"ok"_s, u"gave-up"_s, u"retry"_s, u"unknown"_s}, FinishedMs));
        const auto records = recordsOf(Kind::JobsDone);
        QCOMPARE(records.size(), 1);
        const auto read = readDoneRecordPayload(records.first().payload);
        QVERIFY2(read, qPrintable(records.first().payload));
        QStringList described;
        for (DeliveryJob j : *read) {
            j.node = LocalNode; // not in the record: the record's origin
            j.payload = job(j.id).payload;
            described.append(describe(j));
        }
        described.sort();
        QCOMPARE(described,
                 (QStringList{describe(finished(job(u"gave-up"_s, LocalNode), Failed, 1)),
                              describe(finished(job(u"ok"_s, LocalNode), Done, 1))}));
    }

    void aPeerCatchingUpGetsJobsWhileTheirRowsAreHere()
    {
        openLocalStore(true);
        const DeliveryJob own = job(u"own"_s, LocalNode);
        STORE_VERIFY(m_store->addDeliveries({own}));
        const DeliveryJob theirs = job(u"theirs"_s, 1);
        relayJob(theirs, 1);
        relayTaken(theirs, 3, 1);
        // As read: the record does not say who delivers the job.
        QCOMPARE(jobServedBy(LocalNode), describe(job(own.id, 0)));
        QCOMPARE(jobServedBy(1), describe(job(theirs.id, 0)));
        const auto takenRecords = recordsOf(Kind::JobsTaken);
        QCOMPARE(takenRecords.size(), 1);
        QCOMPARE(takenRecords.first().payload, takenRecordPayload({taken(theirs, 3, 1)}));

        OUTBOX_OK(record(outcome(own.id, Done)));
        STORE_VERIFY(m_store->relayFinishedDeliveries({own.id}, FinishedMs));
        const QString donePayload = doneRecordPayload({*OUTBOX(find(own.id))});
        QCOMPARE(OUTBOX(purgeFinished(FinishedMs + 1, 100)), 1);
        QCOMPARE(jobServedBy(LocalNode), u"(empty payload)"_s);
        QCOMPARE(jobServedBy(1), describe(job(theirs.id, 0)));
        const auto doneRecords = recordsOf(Kind::JobsDone);
        QCOMPARE(doneRecords.size(), 1);
        QCOMPARE(doneRecords.first().payload, donePayload);
    }

    void aPayloadThatDoesNotReadChangesNothing_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("payload");
        const auto row = [](Kind kind, const QString &name, const QString &payload) {
            QTest::addRow("%s: %s", qPrintable(relayKindName(kind)), qPrintable(name))
                << int(kind) << payload;
        };
        // `good` with `field` set to `json` (removed when empty).
        const auto set = [&](Kind kind, const QString &good, const QString &field,
                             const QString &json) {
            const QJsonValue value =
                json.isEmpty()
                    ? QJsonValue(QJsonValue::Undefined)
                    : QJsonDocument::fromJson((u'[' + json + u']').toUtf8()).array().first();
            row(kind, field + u'=' + (json.isEmpty() ? u"(none)"_s : json.left(12)),
                edited(good, field, value));
        };
        // Read, each would change the store: a new copy, or the copy moved or finished.
        const QString newJob = jobRecordPayload(job(u"unread"_s));
        const QString take = takenRecordPayload({taken(job(u"copy"_s), 3, 1)});
        const QString done = doneRecordPayload({finished(job(u"copy"_s), Done)});
        for (const auto &[kind, good] :
             {std::pair{Kind::Job, newJob}, std::pair{Kind::JobsTaken, take},
              std::pair{Kind::JobsDone, done}}) {
            row(kind, u"empty"_s, QString());
            row(kind, u"not JSON"_s, u"{\"jobs\":"_s);
            row(kind, u"an array"_s, u"[]"_s);
            for (const QString &field : {u"id"_s, u"endpoint"_s, u"notification"_s, u"created"_s})
                set(kind, good, field, QString());
            set(kind, good, u"id"_s, u"\"\""_s);
            set(kind, good, u"id"_s, u'"' + QString(65, u'x') + u'"');
            set(kind, good, u"endpoint"_s, u'"' + QString(201, u'e') + u'"');
            for (const QString &json : {u"-42"_s, u"\"42\""_s, u"1.5"_s, u"1e300"_s}) {
                set(kind, good, u"notification"_s, json);
                set(kind, good, u"created"_s, json);
            }
        }
        set(Kind::Job, newJob, u"payload"_s, QString());
        set(Kind::Job, newJob, u"payload"_s, u"\"\""_s);
        set(Kind::Job, newJob, u"payload"_s, u"{\"id\":42}"_s);
        row(Kind::JobsTaken, u"no jobs"_s, u"{}"_s);
        row(Kind::JobsTaken, u"jobs an object"_s, u"{\"jobs\":{}}"_s);
        row(Kind::JobsTaken, u"a job a number"_s, u"{\"jobs\":[1]}"_s);
        for (const QString &json :
             {u"0"_s, u"-1"_s, u"1.5"_s, u"2147483648"_s, u"\"1\""_s, QString()})
            set(Kind::JobsTaken, take, u"takeovers"_s, json);
        // One job that does not read spoils the record.
        QJsonObject oneBad = QJsonDocument::fromJson(take.toUtf8()).object();
        oneBad[u"jobs"_s] =
            QJsonArray{oneBad[u"jobs"_s].toArray().first(), QJsonObject{{u"id"_s, u"other"_s}}};
        row(Kind::JobsTaken, u"one of two jobs unread"_s,
            QString::fromUtf8(QJsonDocument(oneBad).toJson()));
        for (const auto &[field, json] :
             {std::pair{"status", "\"pending\""}, std::pair{"status", "\"sent\""},
              std::pair{"status", ""}, std::pair{"attempts", "-1"}, std::pair{"at", "-1"},
              std::pair{"httpStatus", "1000"}, std::pair{"httpStatus", "-200"},
              std::pair{"error", "500"}, std::pair{"error", ""}})
            set(Kind::JobsDone, done, QLatin1StringView(field), QLatin1StringView(json));
    }
    void aPayloadThatDoesNotReadChangesNothing()
    {
        QFETCH(int, kind);
        QFETCH(QString, payload);
        const auto recordKind = Kind(kind);
        QVERIFY(recordKind == Kind::Job         ? !readJobRecordPayload(payload)
                : recordKind == Kind::JobsTaken ? !readTakenRecordPayload(payload)
                                                : !readDoneRecordPayload(payload));
        const DeliveryJob copy = job(u"copy"_s);
        relayJob(copy, 1);
        relay(recordKind, 3, payload);
        QCOMPARE(MUST(m_store->relayHave()).value(3), 1);
        QCOMPARE(describe(copyOf(copy.id)), describe(copy));
        QCOMPARE(OUTBOX(list(Endpoint, std::nullopt, 10)).size(), 1);
        // Taken in: node 3's next record is not past a gap.
        relayTaken(copy, 3, 1);
        QCOMPARE(copyOf(copy.id)->node, 3);
    }

private:
    void openLocalStore(bool relayDeliveries)
    {
        StoreOptions options;
        options.nodeId = LocalNode;
        options.relayDeliveries = relayDeliveries;
        openStore(options);
    }

    // Takes in a record of `origin` as the next of its sequence.
    void relay(Kind kind, int origin, const QString &payload)
    {
        const RelayRecord r{origin, ++m_seqs[origin], kind, 0, {}, CreatedMs, {}, payload};
        const auto accepted = m_store->applyRelayRecords({r}, 7);
        STORE_VERIFY(accepted);
        QCOMPARE(accepted->size(), 1);
    }
    void relayJob(const DeliveryJob &j, int origin)
    {
        relay(Kind::Job, origin, jobRecordPayload(j));
    }
    void relayTaken(const DeliveryJob &j, int taker, int takeovers)
    {
        relay(Kind::JobsTaken, taker, takenRecordPayload({taken(j, taker, takeovers)}));
    }
    void relayDone(const DeliveryJob &j, int finisher)
    {
        relay(Kind::JobsDone, finisher, doneRecordPayload({j}));
    }

    std::optional<DeliveryJob> copyOf(const QString &id) { return OUTBOX(find(id)); }

    // The records a peer that has nothing gets, of one kind.
    QList<RelayRecord> recordsOf(Kind kind)
    {
        QList<RelayRecord> records = MUST(m_store->relayRecordsAfter({}, 10'000));
        records.removeIf([kind](const RelayRecord &r) { return r.kind != kind; });
        return records;
    }

    // The job a peer catching up gets with `origin`'s only job record, as it reads.
    QString jobServedBy(int origin)
    {
        QList<RelayRecord> records = recordsOf(Kind::Job);
        records.removeIf([origin](const RelayRecord &r) { return r.origin != origin; });
        if (records.size() != 1)
            return u"%1 job records"_s.arg(records.size());
        if (records.first().payload.isEmpty())
            return u"(empty payload)"_s;
        return describe(readJobRecordPayload(records.first().payload));
    }

    QHash<int, qint64> m_seqs; // the last sequence taken in, per origin
};

QTEST_GUILESS_MAIN(TestOutboxReplicas)
#include "tst_outboxreplicas.moc"
