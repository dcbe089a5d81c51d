// SPDX-License-Identifier: Apache-2.0
// SqlStore: the catalog (applications and channels), users and tokens.

#include "sqlstorefixture.h"

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::test;

class TestSqlStoreCatalog : public QObject, private SqlStoreFixture
{
    Q_OBJECT

private slots:
    void initTestCase() { startBackend(); }
    void init() { openFreshStore(); }
    void cleanup() { closeStore(); }

    // catalog
    void upsertsAndFindsApplication();
    void updatingApplicationKeepsRowId();
    void listsApplicationsByName();
    void deletingApplicationCascades();
    void upsertChannelNeedsApplication();
    void upsertsAndListsChannels();

    // users and tokens
    void createsUsers();
    void storesTokens();
    void tokenIdsAreNotReused();
};

// --- catalog

void TestSqlStoreCatalog::upsertsAndFindsApplication()
{
    Application app = application(u"app"_s, u"The App"_s);
    app.eventTypes = {EventType{u"deploy"_s,
                                u"Deploy"_s,
                                {Level{u"ok"_s, u"Succeeded"_s}, Level{u"err"_s, u"Failed"_s}}},
                      EventType{u"login"_s, u"Login"_s, {}}};
    auto stored = m_store->upsertApplication(app);
    STORE_VERIFY(stored);
    QVERIFY(stored->rowId > 0);
    app.rowId = stored->rowId;
    QCOMPARE(*stored, app);

    auto found = m_store->findApplication(u"app"_s);
    STORE_VERIFY(found);
    QVERIFY(found->has_value());
    QCOMPARE(**found, app);

    auto missing = m_store->findApplication(u"nope"_s);
    STORE_VERIFY(missing);
    QVERIFY(!missing->has_value());
}

void TestSqlStoreCatalog::updatingApplicationKeepsRowId()
{
    auto first = m_store->upsertApplication(application(u"app"_s, u"Old"_s));
    STORE_VERIFY(first);
    Application changed = application(u"app"_s, u"New"_s);
    changed.eventTypes = {EventType{u"e"_s, u"E"_s, {}}};
    auto second = m_store->upsertApplication(changed);
    STORE_VERIFY(second);
    QCOMPARE(second->rowId, first->rowId);
    auto found = m_store->findApplication(u"app"_s);
    STORE_VERIFY(found);
    QCOMPARE((*found)->title, u"New"_s);
    QCOMPARE((*found)->eventTypes, changed.eventTypes);
    auto all = m_store->applications();
    STORE_VERIFY(all);
    QCOMPARE(all->size(), 1);
}

void TestSqlStoreCatalog::listsApplicationsByName()
{
    for (const QString &name : {u"zeta"_s, u"alpha"_s, u"mid"_s})
        STORE_VERIFY(m_store->upsertApplication(application(name)));
    auto all = m_store->applications();
    STORE_VERIFY(all);
    QStringList names;
    for (const Application &a : *all)
        names.append(a.name);
    QCOMPARE(names, (QStringList{u"alpha"_s, u"mid"_s, u"zeta"_s}));
}

void TestSqlStoreCatalog::deletingApplicationCascades()
{
    addCatalog();
    insert({notification(1, u"app"_s, u"alerts"_s), notification(2, u"other"_s, u"alerts"_s)});
    auto acked = m_store->acknowledge(u"alice"_s, {1, 2}, baseTime());
    STORE_VERIFY(acked);

    auto deleted = m_store->deleteApplication(u"app"_s);
    STORE_VERIFY(deleted);
    QVERIFY(*deleted);
    auto again = m_store->deleteApplication(u"app"_s);
    STORE_VERIFY(again);
    QVERIFY(!*again);

    auto channels = m_store->channels();
    STORE_VERIFY(channels);
    QCOMPARE(channels->size(), 1);
    QCOMPARE(channels->first().application, u"other"_s);
    auto count = m_store->countNotifications();
    STORE_VERIFY(count);
    QCOMPARE(*count, 1);
    auto receipts = m_store->receipts(u"alice"_s);
    STORE_VERIFY(receipts);
    QCOMPARE(receipts->size(), 1);
    QCOMPARE(receipts->first().notificationId, 2);
}

void TestSqlStoreCatalog::upsertChannelNeedsApplication()
{
    auto stored = m_store->upsertChannel(Channel{0, u"ghost"_s, u"alerts"_s, {}, {}});
    QVERIFY(!stored);
    QCOMPARE(stored.error().code, ErrorCode::NotFound);
    QVERIFY(stored.error().message.startsWith(u"application"_s));
}

void TestSqlStoreCatalog::upsertsAndListsChannels()
{
    addCatalog();
    auto updated =
        m_store->upsertChannel(Channel{0, u"app"_s, u"news"_s, u"Newer"_s, u"Daily news"_s});
    STORE_VERIFY(updated);
    auto found = m_store->findChannel(u"app"_s, u"news"_s);
    STORE_VERIFY(found);
    QVERIFY(found->has_value());
    QCOMPARE(**found, *updated);
    QCOMPARE((*found)->description, u"Daily news"_s);

    auto ofApp = m_store->channels(u"app"_s);
    STORE_VERIFY(ofApp);
    QCOMPARE(ofApp->size(), 2);
    QCOMPARE(ofApp->at(0).name, u"alerts"_s);
    QCOMPARE(ofApp->at(1).name, u"news"_s);
    auto all = m_store->channels();
    STORE_VERIFY(all);
    QCOMPARE(all->size(), 3);
    auto none = m_store->findChannel(u"other"_s, u"news"_s);
    STORE_VERIFY(none);
    QVERIFY(!none->has_value());
}

// --- users and tokens

void TestSqlStoreCatalog::createsUsers()
{
    STORE_VERIFY(m_store->createUser(u"bob"_s));
    STORE_VERIFY(m_store->createUser(u"alice"_s));
    auto twice = m_store->createUser(u"alice"_s);
    QVERIFY(!twice);
    QCOMPARE(twice.error().code, ErrorCode::Conflict);
    auto users = m_store->users();
    STORE_VERIFY(users);
    QCOMPARE(*users, (QStringList{u"alice"_s, u"bob"_s}));
    auto exists = m_store->userExists(u"alice"_s);
    STORE_VERIFY(exists);
    QVERIFY(*exists);
    auto missing = m_store->userExists(u"carol"_s);
    STORE_VERIFY(missing);
    QVERIFY(!*missing);
}

void TestSqlStoreCatalog::storesTokens()
{
    TokenRecord producer;
    producer.hash = QByteArray(64, 'a');
    producer.kind = TokenKind::Producer;
    producer.application = u"app"_s;
    producer.label = u"ci"_s;
    producer.createdAt = baseTime();
    TokenRecord user;
    user.hash = QByteArray(64, 'b');
    user.kind = TokenKind::User;
    user.user = u"alice"_s;
    user.createdAt = baseTime().addSecs(1);

    auto producerId = m_store->insertToken(producer);
    STORE_VERIFY(producerId);
    auto userId = m_store->insertToken(user);
    STORE_VERIFY(userId);
    QVERIFY(*userId > *producerId);
    producer.id = *producerId;
    user.id = *userId;

    auto duplicate = m_store->insertToken(producer);
    QVERIFY(!duplicate);
    QCOMPARE(duplicate.error().code, ErrorCode::Conflict);

    auto found = m_store->findTokenByHash(QByteArray(64, 'a'));
    STORE_VERIFY(found);
    QVERIFY(found->has_value());
    QCOMPARE((*found)->id, producer.id);
    QCOMPARE((*found)->kind, TokenKind::Producer);
    QCOMPARE((*found)->application, u"app"_s);
    QCOMPARE((*found)->user, QString());
    QCOMPARE((*found)->label, u"ci"_s);
    QCOMPARE((*found)->createdAt, baseTime());
    QCOMPARE((*found)->hash, producer.hash);

    auto all = m_store->tokens();
    STORE_VERIFY(all);
    QCOMPARE(all->size(), 2);
    QCOMPARE(all->at(1).user, u"alice"_s);
    QCOMPARE(all->at(1).kind, TokenKind::User);

    auto deleted = m_store->deleteToken(producer.id);
    STORE_VERIFY(deleted);
    QVERIFY(*deleted);
    auto gone = m_store->findTokenByHash(producer.hash);
    STORE_VERIFY(gone);
    QVERIFY(!gone->has_value());
    auto again = m_store->deleteToken(producer.id);
    STORE_VERIFY(again);
    QVERIFY(!*again);
}

void TestSqlStoreCatalog::tokenIdsAreNotReused()
{
    TokenRecord token;
    token.kind = TokenKind::Admin;
    token.hash = "first";
    auto first = m_store->insertToken(token);
    STORE_VERIFY(first);
    STORE_VERIFY(m_store->deleteToken(*first));
    token.hash = "second";
    auto second = m_store->insertToken(token);
    STORE_VERIFY(second);
    QVERIFY(*second > *first);
}

QTEST_GUILESS_MAIN(TestSqlStoreCatalog)
#include "tst_sqlstorecatalog.moc"
