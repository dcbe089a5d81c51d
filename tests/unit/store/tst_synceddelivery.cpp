// SPDX-License-Identifier: Apache-2.0
// Commits that wait for the disk off the store thread: SyncedDelivery hands batches on only
// after a sync that began after they were pushed; WalSync syncs SQLite's write-ahead log and
// says clearly when it cannot; SqlStore::deferFullSync() takes the sync off the commit only
// where that keeps FULL's promise (SQLite in WAL mode, FULL).

#include "storebackend.h"
#include "storetestdata.h"

#include "store/sqlstore.h"
#include "store/synceddelivery.h"
#include "store/walsync.h"

#include <QFile>
#include <QScopeGuard>
#include <QSemaphore>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::test;

namespace {
// Every delivery thread syncs through the same function.
SyncedDelivery::SyncFactory one(SyncedDelivery::Sync sync)
{
    return [sync] { return sync; };
}
} // namespace

class TestSyncedDelivery : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void handsOnOnlyAfterASyncThatBeganLater();
    void handsOnInOrderWithTheSyncsOutcome();
    void aSecondThreadSyncsWhileTheFirstWaits();
    void stopAndDrainHandsOnEverything();
    void walSyncSyncsTheLogAndNamesItWhenMissing();
    void deferFullSyncOnlyAtFullInWalMode();

private:
    StoreBackend m_backend;
};

void TestSyncedDelivery::initTestCase()
{
    const QString error = m_backend.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestSyncedDelivery::handsOnOnlyAfterASyncThatBeganLater()
{
    // The first sync blocks until released; a batch pushed while it runs must wait for the
    // second one, since the first began before that batch's commit.
    QSemaphore syncing, release;
    std::atomic<int> syncs{0};
    std::atomic<int> handedOn{0};
    SyncedDelivery delivery(one([&]() -> Result<void> {
        const int n = ++syncs;
        if (n == 1) {
            syncing.release();
            release.acquire();
        }
        return {};
    }));
    // A failed check below must not leave the delivery thread blocked in the first sync.
    const auto unblock = qScopeGuard([&] { release.release(); });
    std::atomic<int> batchOneAfterSync{0}, batchTwoAfterSync{0};
    std::atomic<bool> batchOneSynced{false};
    delivery.push([&](const Result<void> &synced) {
        batchOneSynced = synced.has_value();
        batchOneAfterSync = syncs.load();
        ++handedOn;
    });
    QVERIFY(syncing.tryAcquire(1, 5000)); // the first sync runs, batch one is not handed on
    QCOMPARE(handedOn.load(), 0);
    delivery.push([&](const Result<void> &) {
        batchTwoAfterSync = syncs.load();
        ++handedOn;
    });
    QTest::qWait(50);
    QCOMPARE(handedOn.load(), 0); // nothing while the disk works
    release.release();
    QTRY_COMPARE(handedOn.load(), 2);
    QVERIFY(batchOneSynced);
    QCOMPARE(batchOneAfterSync.load(), 1);
    QCOMPARE(batchTwoAfterSync.load(), 2); // not released by the sync that began before it
}

void TestSyncedDelivery::handsOnInOrderWithTheSyncsOutcome()
{
    std::atomic<bool> failing{true};
    SyncedDelivery delivery(one([&]() -> Result<void> {
        if (failing)
            return fail(ErrorCode::Unavailable, u"disk on fire"_s);
        return {};
    }));
    QMutex mutex;
    QStringList seen;
    const auto record = [&](const QString &name) {
        return [&, name](const Result<void> &synced) {
            QMutexLocker lock(&mutex);
            seen.append(name + (synced ? u" ok"_s : u" "_s + synced.error().message));
        };
    };
    delivery.push(record(u"a"_s));
    QTRY_COMPARE(seen.size(), 1);
    failing = false;
    delivery.push(record(u"b"_s));
    delivery.push(record(u"c"_s));
    QTRY_COMPARE(seen.size(), 3);
    QCOMPARE(seen, (QStringList{u"a disk on fire"_s, u"b ok"_s, u"c ok"_s}));
}

void TestSyncedDelivery::aSecondThreadSyncsWhileTheFirstWaits()
{
    // Two threads: the first sync hangs; a batch pushed meanwhile gets a sync of its own at
    // once, and when that one ends first it hands on both batches, in order (it began after
    // both were committed). The first sync's end then hands on nothing again.
    QSemaphore firstSyncing, releaseFirst;
    std::atomic<int> syncs{0};
    SyncedDelivery delivery(one([&]() -> Result<void> {
                                if (++syncs == 1) {
                                    firstSyncing.release();
                                    releaseFirst.acquire();
                                }
                                return {};
                            }),
                            2);
    const auto unblock = qScopeGuard([&] { releaseFirst.release(); });
    QMutex mutex;
    QStringList handedOn;
    const auto record = [&](const QString &name) {
        return [&, name](const Result<void> &synced) {
            QMutexLocker lock(&mutex);
            handedOn.append(name + (synced ? u" after %1"_s.arg(syncs.load()) : u" failed"_s));
        };
    };
    const auto seen = [&] {
        QMutexLocker lock(&mutex);
        return handedOn;
    };
    delivery.push(record(u"a"_s));
    QVERIFY(firstSyncing.tryAcquire(1, 5000));
    delivery.push(record(u"b"_s));
    QTRY_COMPARE(syncs.load(), 2); // b did not wait for the first sync to end
    QTRY_COMPARE(seen(), (QStringList{u"a after 2"_s, u"b after 2"_s}));
    releaseFirst.release();
    delivery.push(record(u"c"_s));
    QTRY_COMPARE(seen().size(), 3);
    QCOMPARE(seen().last(), u"c after 3"_s);
}

void TestSyncedDelivery::stopAndDrainHandsOnEverything()
{
    std::atomic<int> handedOn{0};
    {
        SyncedDelivery delivery(one([] {
                                    QThread::msleep(5);
                                    return Result<void>{};
                                }),
                                2);
        for (int i = 0; i < 100; ++i)
            delivery.push([&](const Result<void> &) { ++handedOn; });
        delivery.stopAndDrain();
        QCOMPARE(handedOn.load(), 100);
    }
    QCOMPARE(handedOn.load(), 100);
}

void TestSyncedDelivery::walSyncSyncsTheLogAndNamesItWhenMissing()
{
    if (!WalSync::isSupported())
        QSKIP("WalSync is Linux only");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString database = dir.filePath(u"h.db"_s);
    QFile(database).open(QIODevice::WriteOnly);
    WalSync sync(database);
    auto missing = sync.sync();
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, ErrorCode::Unavailable);
    QVERIFY2(missing.error().message.contains(u"h.db-wal"_s), qPrintable(missing.error().message));

    QFile log(database + u"-wal"_s);
    QVERIFY(log.open(QIODevice::WriteOnly));
    log.write("frames");
    log.close();
    QVERIFY(sync.sync());
    // A log removed and made again is the new file from then on, not the old descriptor.
    QVERIFY(QFile::remove(database + u"-wal"_s));
    QVERIFY(!sync.sync());
    QVERIFY(log.open(QIODevice::WriteOnly));
    log.close();
    QVERIFY(sync.sync());
}

void TestSyncedDelivery::deferFullSyncOnlyAtFullInWalMode()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto synchronousOf = [](SqlStore &store) {
        QSqlQuery query(store.database());
        return query.exec(u"PRAGMA synchronous"_s) && query.next() ? query.value(0).toInt() : -1;
    };
    for (const QString &level : {u"FULL"_s, u"NORMAL"_s}) {
        const QString database = m_backend.freshDatabase(dir.filePath(level + u".db"_s));
        StoreOptions options;
        options.synchronous = level;
        auto store = SqlStore::open(database, options);
        STORE_VERIFY(store);
        auto walSync = (*store)->deferFullSync();
        STORE_VERIFY(walSync);
        const bool expected =
            !m_backend.isPostgresql() && level == u"FULL" && WalSync::isSupported();
        QCOMPARE(bool(*walSync), expected);
        if (!m_backend.isPostgresql())
            QCOMPARE(synchronousOf(**store), expected || level == u"NORMAL" ? 1 : 2);
        if (*walSync) {
            QList<Notification> none;
            STORE_VERIFY((*store)->insertNotifications(none));
            QVERIFY((*walSync)->sync());
        }
    }
}

QTEST_GUILESS_MAIN(TestSyncedDelivery)
#include "tst_synceddelivery.moc"
