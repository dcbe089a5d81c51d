// SPDX-License-Identifier: Apache-2.0
#include "storebackend.h"
#include "storetestdata.h"

#include "store/sqlstore.h"
#include "store/storethread.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::test;

// Two stores on one database, as two herald-syncd nodes sharing one PostgreSQL database
// (on SQLite: two processes on one file). Each sees what the other committed, and their
// concurrent writes neither fail nor duplicate anything.
class TestSharedStore : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void nodesSeeEachOthersNotificationsAndReceipts();
    void nodesShareUsersAndTokens();
    void sameIdFromTwoNodesIsConflict();
    void concurrentChannelCreationAgrees();
    void twoGroupCommittingNodesWriteConcurrently();

private:
    std::unique_ptr<SqlStore> openNode();
    QList<NotificationId> backlogIds(SqlStore &store, const QString &user);

    StoreBackend m_backend;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_database;
    std::unique_ptr<SqlStore> m_nodeA;
    std::unique_ptr<SqlStore> m_nodeB;
};

void TestSharedStore::initTestCase()
{
    const QString error = m_backend.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestSharedStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_database = m_backend.freshDatabase(m_dir->filePath(u"shared.db"_s));
    QVERIFY(!m_database.isEmpty());
    m_nodeA = openNode();
    m_nodeB = openNode();
    QVERIFY(m_nodeA);
    QVERIFY(m_nodeB);
    STORE_VERIFY(m_nodeA->upsertApplication(application(u"app"_s)));
    STORE_VERIFY(m_nodeA->upsertChannel(Channel{0, u"app"_s, u"alerts"_s, {}, {}}));
}

void TestSharedStore::cleanup()
{
    m_nodeA.reset();
    m_nodeB.reset();
    m_dir.reset();
}

std::unique_ptr<SqlStore> TestSharedStore::openNode()
{
    auto store = SqlStore::open(m_database);
    if (!store) {
        qWarning() << store.error().message;
        return nullptr;
    }
    return std::move(*store);
}

QList<NotificationId> TestSharedStore::backlogIds(SqlStore &store, const QString &user)
{
    BacklogQuery query;
    query.user = user;
    query.subscriptions = {{u"app"_s, {}}};
    query.limit = 100;
    query.now = baseTime();
    auto found = store.backlog(query);
    if (!found) {
        qWarning() << "backlog failed:" << found.error().message;
        return {-1};
    }
    return idsOf(*found);
}

void TestSharedStore::nodesSeeEachOthersNotificationsAndReceipts()
{
    Notification fromA = notification(1, u"app"_s, u"alerts"_s);
    fromA.node = 1;
    Notification fromB = notification(2, u"app"_s, u"alerts"_s, {u"alice"_s});
    fromB.node = 2;
    fromB.tags = {{u"env"_s, u"prod"_s}};
    QList<Notification> batchA{fromA};
    QList<Notification> batchB{fromB};
    STORE_VERIFY(m_nodeA->insertNotifications(batchA));
    STORE_VERIFY(m_nodeB->insertNotifications(batchB));

    // Each node reads the other's notification as it was written.
    auto onA = m_nodeA->findNotification(2);
    STORE_VERIFY(onA);
    QVERIFY(onA->has_value());
    QCOMPARE(**onA, batchB.first());
    auto onB = m_nodeB->findNotification(1);
    STORE_VERIFY(onB);
    QVERIFY(onB->has_value());
    QCOMPARE(**onB, batchA.first());
    QCOMPARE(backlogIds(*m_nodeA, u"alice"_s), (QList<NotificationId>{1, 2}));
    QCOMPARE(backlogIds(*m_nodeB, u"alice"_s), (QList<NotificationId>{1, 2}));
    QCOMPARE(backlogIds(*m_nodeA, u"bob"_s), QList<NotificationId>{1});

    // alice acknowledges on B; A knows at once.
    auto acked = m_nodeB->acknowledge(u"alice"_s, {1}, baseTime());
    STORE_VERIFY(acked);
    QCOMPARE(*acked, QList<NotificationId>{1});
    auto receipts = m_nodeA->receipts(u"alice"_s);
    STORE_VERIFY(receipts);
    QCOMPARE(*receipts, (QList<Receipt>{{u"alice"_s, 1, baseTime()}}));
    QCOMPARE(backlogIds(*m_nodeA, u"alice"_s), QList<NotificationId>{2});
    ListQuery list;
    list.user = u"alice"_s;
    list.now = baseTime();
    auto page = m_nodeA->list(list);
    STORE_VERIFY(page);
    QCOMPARE(page->items.size(), 2);
    QCOMPARE(page->items.at(0).acknowledged, false); // 2
    QCOMPARE(page->items.at(1).acknowledged, true);  // 1

    // The same acknowledgement again on A keeps B's time.
    STORE_VERIFY(m_nodeA->acknowledge(u"alice"_s, {1, 2}, baseTime().addSecs(60)));
    receipts = m_nodeB->receipts(u"alice"_s);
    STORE_VERIFY(receipts);
    QCOMPARE(*receipts, (QList<Receipt>{{u"alice"_s, 1, baseTime()},
                                        {u"alice"_s, 2, baseTime().addSecs(60)}}));

    // A deletes; B no longer finds it, nor its receipt.
    auto deleted = m_nodeA->deleteNotification(2);
    STORE_VERIFY(deleted);
    QVERIFY(*deleted);
    auto gone = m_nodeB->findNotification(2);
    STORE_VERIFY(gone);
    QVERIFY(!gone->has_value());
    receipts = m_nodeB->receipts(u"alice"_s);
    STORE_VERIFY(receipts);
    QCOMPARE(receipts->size(), 1);
}

void TestSharedStore::nodesShareUsersAndTokens()
{
    STORE_VERIFY(m_nodeA->createUser(u"alice"_s));
    auto twice = m_nodeB->createUser(u"alice"_s);
    QVERIFY(!twice);
    QCOMPARE(twice.error().code, ErrorCode::Conflict);
    auto exists = m_nodeB->userExists(u"alice"_s);
    STORE_VERIFY(exists);
    QVERIFY(*exists);

    // A token made through one node authenticates on the other.
    TokenRecord token;
    token.hash = QByteArray(64, 'c');
    token.kind = TokenKind::User;
    token.user = u"alice"_s;
    token.createdAt = baseTime();
    auto id = m_nodeA->insertToken(token);
    STORE_VERIFY(id);
    auto found = m_nodeB->findTokenByHash(token.hash);
    STORE_VERIFY(found);
    QVERIFY(found->has_value());
    QCOMPARE((*found)->id, *id);
    QCOMPARE((*found)->user, u"alice"_s);
    auto duplicate = m_nodeB->insertToken(token);
    QVERIFY(!duplicate);
    QCOMPARE(duplicate.error().code, ErrorCode::Conflict);

    auto revoked = m_nodeB->deleteToken(*id);
    STORE_VERIFY(revoked);
    QVERIFY(*revoked);
    auto stale = m_nodeA->findTokenByHash(token.hash);
    STORE_VERIFY(stale);
    QVERIFY(!stale->has_value());
    // ...and node A learns of it, to close the sessions opened with it there.
    auto revocations = m_nodeA->revocationsSince(QDateTime::currentMSecsSinceEpoch() - 60'000);
    STORE_VERIFY(revocations);
    QCOMPARE(revocations->size(), 1);
    QCOMPARE(revocations->first().tokenId, *id);

    // Deleting a user on node A revokes their tokens; both nodes see every revocation once.
    token.hash = QByteArray(64, 'd');
    auto second = m_nodeB->insertToken(token);
    STORE_VERIFY(second);
    auto gone = m_nodeA->deleteUser(u"alice"_s);
    STORE_VERIFY(gone);
    QCOMPARE(*gone, QList<qint64>{*second});
    auto seenByB = m_nodeB->revocationsSince(QDateTime::currentMSecsSinceEpoch() - 60'000);
    STORE_VERIFY(seenByB);
    QCOMPARE(seenByB->size(), 2);
    QCOMPARE(seenByB->at(1).tokenId, *second);
    QVERIFY(seenByB->at(0).seq < seenByB->at(1).seq);
    auto userGone = m_nodeB->userExists(u"alice"_s);
    STORE_VERIFY(userGone);
    QVERIFY(!*userGone);
    // Old rows are purged; recent ones stay.
    STORE_VERIFY(m_nodeB->purgeRevocations(QDateTime::currentMSecsSinceEpoch() - 60'000));
    auto kept = m_nodeA->revocationsSince(0);
    STORE_VERIFY(kept);
    QCOMPARE(kept->size(), 2);
    STORE_VERIFY(m_nodeB->purgeRevocations(QDateTime::currentMSecsSinceEpoch() + 1));
    auto purged = m_nodeA->revocationsSince(0);
    STORE_VERIFY(purged);
    QVERIFY(purged->isEmpty());
}

void TestSharedStore::sameIdFromTwoNodesIsConflict()
{
    // What a relay must expect on a shared database: the peer stored it already.
    QList<Notification> first{notification(7, u"app"_s, u"alerts"_s)};
    STORE_VERIFY(m_nodeA->insertNotifications(first));
    QList<Notification> again{notification(7, u"app"_s, u"alerts"_s)};
    auto stored = m_nodeB->insertNotifications(again);
    QVERIFY(!stored);
    QCOMPARE(stored.error().code, ErrorCode::Conflict);
    QVERIFY2(stored.error().message.startsWith(u"[0].id"_s), qPrintable(stored.error().message));
    auto count = m_nodeB->countNotifications();
    STORE_VERIFY(count);
    QCOMPARE(*count, 1);
}

void TestSharedStore::concurrentChannelCreationAgrees()
{
    // A creates channel "fresh" (auto-created by a notification) in a transaction still
    // open when B, on another thread, sends to the same new channel. B must wait for A and
    // then use A's channel, not fail on the unique constraint.
    STORE_VERIFY(m_nodeA->begin());
    QList<Notification> batchA{notification(1, u"app"_s, u"fresh"_s)};
    STORE_VERIFY(m_nodeA->insertNotifications(batchA));

    std::optional<Result<qint64>> channelOfB;
    std::unique_ptr<QThread> nodeB(QThread::create([&] {
        auto store = SqlStore::open(m_database);
        if (!store) {
            channelOfB = tl::unexpected(store.error());
            return;
        }
        QList<Notification> batchB{notification(2, u"app"_s, u"fresh"_s)};
        auto stored = (*store)->insertNotifications(batchB);
        channelOfB = stored ? Result<qint64>(batchB.first().channelId)
                            : Result<qint64>(tl::unexpected(stored.error()));
    }));
    nodeB->start();
    if (m_backend.isPostgresql()) {
        // Make the race certain: B is blocked on A's uncommitted channel row.
        auto waiting = [this] {
            QSqlQuery query(m_nodeA->database());
            query.exec(u"SELECT count(*) FROM pg_locks WHERE NOT granted"_s);
            return query.next() ? query.value(0).toInt() : -1;
        };
        QTRY_VERIFY_WITH_TIMEOUT(waiting() > 0, 30000);
    }
    STORE_VERIFY(m_nodeA->commit());
    QVERIFY(nodeB->wait(30000));

    QVERIFY(channelOfB.has_value());
    STORE_VERIFY(*channelOfB);
    QCOMPARE(**channelOfB, batchA.first().channelId);
    auto channels = m_nodeA->channels(u"app"_s);
    STORE_VERIFY(channels);
    QCOMPARE(channels->size(), 2); // alerts, fresh
    auto count = m_nodeA->countNotifications();
    STORE_VERIFY(count);
    QCOMPARE(*count, 2);
}

void TestSharedStore::twoGroupCommittingNodesWriteConcurrently()
{
    // Two daemons' store threads, each grouping its requests into batches, writing into
    // the same channels (some created on the fly by both at once) and acknowledging.
    m_nodeB.reset();
    // Nodes sharing a database have their own node ids, so their relay records never collide.
    StoreOptions optionsA;
    optionsA.nodeId = 1;
    StoreOptions optionsB;
    optionsB.nodeId = 2;
    auto threadA = StoreThread::start(m_database, optionsA);
    auto threadB = StoreThread::start(m_database, optionsB);
    STORE_VERIFY(threadA);
    STORE_VERIFY(threadB);
    StoreThread *nodes[2] = {threadA->get(), threadB->get()};

    constexpr int PerNode = 400;
    constexpr int Channels = 8;
    QObject context;
    int delivered = 0;
    QStringList errors;
    for (int i = 0; i < PerNode; ++i) {
        for (int node = 0; node < 2; ++node) {
            const NotificationId id = 1 + node * PerNode + i;
            // Both nodes go through the new channels in the same order, as an application
            // sending to both through a load balancer would.
            const QString channel = u"c%1"_s.arg(i % Channels);
            nodes[node]->submit<NotificationId>(
                [id, channel, node](SqlStore &store) -> Result<NotificationId> {
                    Notification n = notification(id, u"app"_s, channel);
                    n.node = node + 1;
                    QList<Notification> batch{n};
                    if (auto stored = store.insertNotifications(batch); !stored)
                        return tl::unexpected(stored.error());
                    if (auto acked = store.acknowledge(u"alice"_s, {id}, baseTime()); !acked)
                        return tl::unexpected(acked.error());
                    return id;
                },
                &context,
                [&](Result<NotificationId> result) {
                    ++delivered;
                    if (!result)
                        errors.append(result.error().message);
                });
        }
    }
    QTRY_COMPARE_WITH_TIMEOUT(delivered, 2 * PerNode, 60000);
    QCOMPARE(errors, QStringList());

    auto count = m_nodeA->countNotifications();
    STORE_VERIFY(count);
    QCOMPARE(*count, 2 * PerNode);
    auto channels = m_nodeA->channels(u"app"_s);
    STORE_VERIFY(channels);
    QCOMPARE(channels->size(), 1 + Channels);
    auto receipts = m_nodeA->receipts(u"alice"_s);
    STORE_VERIFY(receipts);
    QCOMPARE(receipts->size(), 2 * PerNode);
    qInfo() << "node A committed" << (*threadA)->batchesCommitted() << "batches, node B"
            << (*threadB)->batchesCommitted();
}

QTEST_GUILESS_MAIN(TestSharedStore)
#include "tst_sharedstore.moc"
