// SPDX-License-Identifier: Apache-2.0
// The ids and sequence numbers the store remembers within one transaction (TransactionCache):
// a batch looks each up once, and nothing remembered outlives what it was read from: the
// transaction, a rollback to a savepoint, or the application it belongs to.

#include "sqlstorefixture.h"

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::test;

class TestTransactionCache : public QObject, private SqlStoreFixture
{
    Q_OBJECT

private slots:
    void initTestCase() { startBackend(); }
    void init() { openFreshStore(); }
    void cleanup() { closeStore(); }

    void batchTakesConsecutiveSequenceNumbers();
    void rolledBackChannelIsCreatedAgain();
    void deletedApplicationIsForgotten();
    void nothingOutlivesTheTransaction();

private:
    void insertOne(SqlStore &store, NotificationId id, const QString &channel = u"alerts"_s);
    QList<qint64> relaySeqs(SqlStore &store);
};

void TestTransactionCache::insertOne(SqlStore &store, NotificationId id, const QString &channel)
{
    QList<Notification> one{notification(id, u"app"_s, channel)};
    STORE_VERIFY(store.insertNotifications(one));
}

QList<qint64> TestTransactionCache::relaySeqs(SqlStore &store)
{
    QList<qint64> seqs;
    auto records = store.relayRecordsAfter({}, 100);
    if (!records)
        return {-1};
    for (const RelayRecord &record : std::as_const(*records))
        seqs.append(record.seq);
    return seqs;
}

void TestTransactionCache::batchTakesConsecutiveSequenceNumbers()
{
    addCatalog();
    for (int batch = 0; batch < 2; ++batch) {
        STORE_VERIFY(m_store->begin());
        for (NotificationId id = 1; id <= 3; ++id) {
            STORE_VERIFY(m_store->savepoint(u"op"_s));
            insertOne(*m_store, batch * 10 + id);
            STORE_VERIFY(m_store->releaseSavepoint(u"op"_s));
        }
        STORE_VERIFY(m_store->commit());
    }
    QCOMPARE(relaySeqs(*m_store), (QList<qint64>{1, 2, 3, 4, 5, 6}));
}

void TestTransactionCache::rolledBackChannelIsCreatedAgain()
{
    addCatalog();
    STORE_VERIFY(m_store->begin());
    STORE_VERIFY(m_store->savepoint(u"op"_s));
    insertOne(*m_store, 1, u"fresh"_s); // creates the channel and takes sequence number 1
    m_store->rollbackToSavepoint(u"op"_s);
    STORE_VERIFY(m_store->savepoint(u"op"_s));
    insertOne(*m_store, 2, u"fresh"_s); // neither the channel's id nor number 1 may be reused
    STORE_VERIFY(m_store->releaseSavepoint(u"op"_s));
    STORE_VERIFY(m_store->commit());

    auto found = m_store->findNotification(2);
    STORE_VERIFY(found);
    QVERIFY(found->has_value());
    QCOMPARE((*found)->channel, u"fresh"_s);
    auto channels = m_store->channels(u"app"_s);
    STORE_VERIFY(channels);
    QVERIFY(std::any_of(channels->cbegin(), channels->cend(),
                        [](const Channel &c) { return c.name == u"fresh"_s; }));
    QCOMPARE(relaySeqs(*m_store), QList<qint64>{1});
}

void TestTransactionCache::deletedApplicationIsForgotten()
{
    addCatalog();
    STORE_VERIFY(m_store->begin());
    insertOne(*m_store, 1); // remembers app and app/alerts
    STORE_VERIFY(m_store->deleteApplication(u"app"_s));
    STORE_VERIFY(m_store->upsertApplication(application(u"app"_s)));
    STORE_VERIFY(m_store->upsertChannel(Channel{0, u"app"_s, u"alerts"_s, {}, {}}));
    insertOne(*m_store, 2); // must land in the new rows, not the deleted ones
    STORE_VERIFY(m_store->commit());

    auto gone = m_store->findNotification(1);
    STORE_VERIFY(gone);
    QVERIFY(!gone->has_value());
    auto found = m_store->findNotification(2);
    STORE_VERIFY(found);
    QVERIFY(found->has_value());
    QCOMPARE((*found)->application, u"app"_s);
    QCOMPARE((*found)->channel, u"alerts"_s);
}

void TestTransactionCache::nothingOutlivesTheTransaction()
{
    // A second store on the same database, as another node sharing it: between two of this
    // store's transactions it replaces the application and its channel with new rows.
    addCatalog();
    insertOne(*m_store, 1);
    auto other = SqlStore::open(path(), StoreOptions{});
    STORE_VERIFY(other);
    STORE_VERIFY((*other)->deleteApplication(u"app"_s));
    STORE_VERIFY((*other)->upsertApplication(application(u"app"_s)));
    STORE_VERIFY((*other)->upsertChannel(Channel{0, u"app"_s, u"alerts"_s, {}, {}}));
    other->reset();

    insertOne(*m_store, 2);
    auto found = m_store->findNotification(2);
    STORE_VERIFY(found);
    QVERIFY(found->has_value());
    QCOMPARE((*found)->channel, u"alerts"_s);
}

QTEST_GUILESS_MAIN(TestTransactionCache)
#include "tst_transactioncache.moc"
