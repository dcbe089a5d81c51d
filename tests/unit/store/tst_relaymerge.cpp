// SPDX-License-Identifier: Apache-2.0
#include "storebackend.h"
#include "storetestdata.h"

#include "store/sqlstore.h"

#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::test;

namespace {

constexpr int Origins = 3;
const QStringList Users{u"alice"_s, u"bob"_s};

// What a set of records must leave in any store, whatever order they came in.
struct ExpectedState
{
    std::map<NotificationId, Notification> notifications;
    std::map<std::pair<QString, NotificationId>, qint64> receipts; // earliest time
};

// A random history of three nodes: notifications made on each, acknowledged (also on nodes
// that did not make them, several times by one user on different nodes) and deleted.
struct History
{
    QList<QList<RelayRecord>> byOrigin; // index origin - 1, in sequence order
    ExpectedState expected;
};

History makeHistory(QRandomGenerator &random)
{
    History history;
    history.byOrigin.resize(Origins);
    QList<Notification> made;
    QSet<NotificationId> deleted;
    std::map<std::pair<QString, NotificationId>, qint64> receiptTimes;
    const int events = 20 + int(random.bounded(40));
    NotificationId nextId = 1000;
    for (int e = 0; e < events; ++e) {
        const int origin = 1 + int(random.bounded(Origins));
        auto &records = history.byOrigin[origin - 1];
        RelayRecord record;
        record.origin = origin;
        record.seq = records.size() + 1;
        const quint32 dice = random.bounded(10);
        if (made.isEmpty() || dice < 4) {
            Notification n = notification(nextId++, u"app"_s, dice % 2 ? u"c1"_s : u"c2"_s,
                                          dice == 3 ? QStringList{u"alice"_s} : QStringList{});
            n.node = origin;
            made.append(n);
            record.kind = RelayRecord::Kind::Notification;
            record.notificationId = n.id;
            record.timeMs = n.time.toMSecsSinceEpoch();
            record.notification = n;
        } else if (dice < 9) {
            const Notification &n = made.at(random.bounded(int(made.size())));
            record.kind = RelayRecord::Kind::Receipt;
            record.notificationId = n.id;
            record.user = Users.at(random.bounded(int(Users.size())));
            record.timeMs = baseTime().toMSecsSinceEpoch() + random.bounded(100000);
            auto key = std::make_pair(record.user, n.id);
            auto it = receiptTimes.find(key);
            if (it == receiptTimes.end() || record.timeMs < it->second)
                receiptTimes[key] = record.timeMs;
        } else {
            const Notification &n = made.at(random.bounded(int(made.size())));
            record.kind = RelayRecord::Kind::Deleted;
            record.notificationId = n.id;
            record.timeMs = baseTime().toMSecsSinceEpoch();
            deleted.insert(n.id);
        }
        records.append(record);
    }
    for (const Notification &n : std::as_const(made)) {
        if (!deleted.contains(n.id))
            history.expected.notifications[n.id] = n;
    }
    for (const auto &[key, time] : receiptTimes) {
        if (history.expected.notifications.count(key.second))
            history.expected.receipts[key] = time;
    }
    return history;
}

// The record as a sender would put it on the wire: a notification that is gone at the sender
// (it has a delete) may travel without its body.
RelayRecord asSent(const RelayRecord &record, bool deletedAtSender, QRandomGenerator &random)
{
    RelayRecord sent = record;
    if (record.kind == RelayRecord::Kind::Notification && deletedAtSender && random.bounded(2))
        sent.notification.reset();
    return sent;
}

} // namespace

// The relay's merge (SqlStore::applyRelayRecords): records of several origins, interleaved
// at random, duplicated, and with gaps (records past a gap are refused and come again, as
// the relay resends them after a sync) always leave the same store.
class TestRelayMerge : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void anyInterleavingConverges();
    void applyingEverythingAgainChangesNothing();
    void localChangesBecomeNumberedRecords();
    void rolledBackChangesLeaveNoRecord();

private:
    std::unique_ptr<SqlStore> freshStore(QTemporaryDir &dir, int nodeId = 9);
    void deliverRandomly(SqlStore &store, const History &history, QRandomGenerator &random);
    void compareWithExpected(SqlStore &store, const ExpectedState &expected);

    StoreBackend m_backend;
    int m_databases = 0;
};

void TestRelayMerge::initTestCase()
{
    const QString error = m_backend.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

std::unique_ptr<SqlStore> TestRelayMerge::freshStore(QTemporaryDir &dir, int nodeId)
{
    const QString database =
        m_backend.freshDatabase(dir.filePath(u"merge%1.db"_s.arg(++m_databases)));
    StoreOptions options;
    options.nodeId = nodeId;
    options.synchronous = u"NORMAL"_s;
    auto store = SqlStore::open(database, options);
    if (!store) {
        qWarning("%s", qPrintable(store.error().message));
        return nullptr;
    }
    return std::move(*store);
}

void TestRelayMerge::deliverRandomly(SqlStore &store, const History &history,
                                     QRandomGenerator &random)
{
    QSet<NotificationId> deletedAtSender;
    for (const auto &records : history.byOrigin) {
        for (const RelayRecord &record : records) {
            if (record.kind == RelayRecord::Kind::Deleted)
                deletedAtSender.insert(record.notificationId);
        }
    }
    HaveVector complete;
    for (int o = 0; o < Origins; ++o) {
        if (!history.byOrigin[o].isEmpty())
            complete.insert(o + 1, history.byOrigin[o].size());
    }
    for (int round = 0; round < 10000; ++round) {
        auto have = store.relayHave();
        QVERIFY2(have, qPrintable(have ? QString() : have.error().message));
        if (*have == complete)
            return;
        // A batch from a random mix of origins, each origin's records near where the store
        // stands: some already held (duplicates), some next, some past a gap.
        QList<RelayRecord> batch;
        const int size = 1 + int(random.bounded(6));
        for (int i = 0; i < size; ++i) {
            const int origin = 1 + int(random.bounded(Origins));
            const auto &records = history.byOrigin[origin - 1];
            if (records.isEmpty())
                continue;
            const qint64 held = have->value(origin, 0);
            const qint64 seq = std::clamp<qint64>(held - 1 + random.bounded(4), 1, records.size());
            const RelayRecord &record = records.at(seq - 1);
            batch.append(asSent(record, deletedAtSender.contains(record.notificationId), random));
        }
        auto applied = store.applyRelayRecords(batch, 1);
        QVERIFY2(applied, qPrintable(applied ? QString() : applied.error().message));
    }
    QFAIL("the records never all arrived");
}

void TestRelayMerge::compareWithExpected(SqlStore &store, const ExpectedState &expected)
{
    ListQuery everything;
    everything.limit = 100000;
    everything.now = baseTime();
    auto page = store.list(everything);
    QVERIFY2(page, qPrintable(page ? QString() : page.error().message));
    QList<NotificationId> storedIds;
    for (const ListedNotification &listed : std::as_const(page->items)) {
        Notification n = listed.notification;
        storedIds.prepend(n.id);
        auto it = expected.notifications.find(n.id);
        QVERIFY2(it != expected.notifications.end(),
                 qPrintable(u"notification %1 should be gone"_s.arg(n.id)));
        Notification want = it->second;
        n.applicationId = want.applicationId = 0;
        n.channelId = want.channelId = 0;
        QCOMPARE(n, want);
    }
    QList<NotificationId> expectedIds;
    for (const auto &[id, n] : expected.notifications)
        expectedIds.append(id);
    QCOMPARE(storedIds, expectedIds);

    std::map<std::pair<QString, NotificationId>, qint64> receipts;
    for (const QString &user : Users) {
        auto stored = store.receipts(user);
        QVERIFY2(stored, qPrintable(stored ? QString() : stored.error().message));
        for (const Receipt &receipt : std::as_const(*stored))
            receipts[{user, receipt.notificationId}] = receipt.time.toMSecsSinceEpoch();
    }
    QVERIFY2(receipts == expected.receipts,
             qPrintable(u"%1 receipts stored, %2 expected"_s.arg(receipts.size())
                            .arg(expected.receipts.size())));
}

void TestRelayMerge::anyInterleavingConverges()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // Fewer rounds on PostgreSQL: each apply is a round trip to the server.
    const int histories = m_backend.isPostgresql() ? 8 : 40;
    const int ordersPerHistory = 3;
    for (int h = 0; h < histories; ++h) {
        QRandomGenerator random(quint32(1000 + h));
        const History history = makeHistory(random);
        for (int order = 0; order < ordersPerHistory; ++order) {
            auto store = freshStore(dir);
            QVERIFY(store);
            deliverRandomly(*store, history, random);
            if (!QTest::currentTestFailed())
                compareWithExpected(*store, history.expected);
            if (QTest::currentTestFailed()) {
                qWarning("history %d (seed %d), delivery order %d", h, 1000 + h, order);
                return;
            }
        }
    }
}

void TestRelayMerge::applyingEverythingAgainChangesNothing()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QRandomGenerator random(7);
    const History history = makeHistory(random);
    auto store = freshStore(dir);
    QVERIFY(store);
    deliverRandomly(*store, history, random);
    QList<RelayRecord> all;
    for (const auto &records : history.byOrigin)
        all.append(records);
    auto again = store->applyRelayRecords(all, 2);
    STORE_VERIFY(again);
    // Already held: taken in again (another node's clients may need them) but not stored.
    compareWithExpected(*store, history.expected);
    auto have = store->relayHave();
    STORE_VERIFY(have);
    for (int o = 0; o < Origins; ++o)
        QCOMPARE(have->value(o + 1), qint64(history.byOrigin[o].size()));
}

void TestRelayMerge::localChangesBecomeNumberedRecords()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto store = freshStore(dir, 5);
    QVERIFY(store);
    QList<QList<AcceptedRecord>> committed;
    store->setRelaySink([&](QList<AcceptedRecord> records) { committed.append(records); });
    STORE_VERIFY(store->upsertApplication(application(u"app"_s)));
    QList<Notification> batch{notification(1, u"app"_s, u"c"_s), notification(2, u"app"_s, u"c"_s)};
    Notification transient = notification(3, u"app"_s, u"c"_s);
    transient.persistent = false;
    batch.append(transient);
    STORE_VERIFY(store->insertNotifications(batch));
    STORE_VERIFY(store->acknowledge(u"alice"_s, {1, 2}, baseTime()));
    STORE_VERIFY(store->acknowledge(u"alice"_s, {1}, baseTime())); // not new: no record
    STORE_VERIFY(store->deleteNotification(2));

    QList<RelayRecord> records;
    for (const auto &group : std::as_const(committed)) {
        for (const AcceptedRecord &accepted : group) {
            QCOMPARE(accepted.source, LocalSource);
            records.append(accepted.record);
        }
    }
    QCOMPARE(records.size(), 5); // 2 notifications (not the transient), 2 receipts, 1 delete
    for (int i = 0; i < records.size(); ++i) {
        QCOMPARE(records[i].origin, 5);
        QCOMPARE(records[i].seq, qint64(i + 1));
    }
    QCOMPARE(records[0].kind, RelayRecord::Kind::Notification);
    QVERIFY(records[0].notification.has_value());
    QCOMPARE(records[2].kind, RelayRecord::Kind::Receipt);
    QCOMPARE(records[2].user, u"alice"_s);
    QCOMPARE(records[4].kind, RelayRecord::Kind::Deleted);
    QCOMPARE(records[4].notificationId, NotificationId(2));
    QVERIFY(records[4].notification.has_value()); // clients elsewhere learn where it was

    // What a peer that holds nothing gets: the same, with the deleted one's body gone.
    auto served = store->relayRecordsAfter({}, 100);
    STORE_VERIFY(served);
    QCOMPARE(served->size(), 5);
    QVERIFY(served->at(0).notification.has_value());
    QVERIFY(!served->at(1).notification.has_value());
    auto rest = store->relayRecordsAfter({{5, 3}}, 100);
    STORE_VERIFY(rest);
    QCOMPARE(rest->size(), 2);
    QCOMPARE(rest->first().seq, qint64(4));
}

void TestRelayMerge::rolledBackChangesLeaveNoRecord()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto store = freshStore(dir, 5);
    QVERIFY(store);
    int sunk = 0;
    store->setRelaySink([&](QList<AcceptedRecord> records) { sunk += int(records.size()); });
    STORE_VERIFY(store->upsertApplication(application(u"app"_s)));
    STORE_VERIFY(store->begin());
    STORE_VERIFY(store->savepoint(u"op"_s));
    QList<Notification> one{notification(1, u"app"_s, u"c"_s)};
    STORE_VERIFY(store->insertNotifications(one));
    store->rollbackToSavepoint(u"op"_s);
    STORE_VERIFY(store->savepoint(u"op"_s));
    QList<Notification> two{notification(2, u"app"_s, u"c"_s)};
    STORE_VERIFY(store->insertNotifications(two));
    STORE_VERIFY(store->releaseSavepoint(u"op"_s));
    QCOMPARE(sunk, 0); // nothing before the commit
    STORE_VERIFY(store->commit());
    QCOMPARE(sunk, 1);
    auto have = store->relayHave();
    STORE_VERIFY(have);
    QCOMPARE(have->value(5), qint64(1)); // no gap where the rolled-back one was
    auto served = store->relayRecordsAfter({}, 10);
    STORE_VERIFY(served);
    QCOMPARE(served->size(), 1);
    QCOMPARE(served->first().notificationId, NotificationId(2));
}

QTEST_GUILESS_MAIN(TestRelayMerge)
#include "tst_relaymerge.moc"
