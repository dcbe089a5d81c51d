// SPDX-License-Identifier: Apache-2.0
// The application options of schema version 5 (acceptUnknownEvents): stored and read back, and
// the migration that keeps applications registered before it taking every event.

#include "storebackend.h"
#include "storetestdata.h"

#include "store/dialect.h"
#include "store/migrator.h"
#include "store/sqlconnection.h"
#include "store/sqlstore.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::test;

class TestApplicationOptions : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        const QString error = m_backend.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_database = m_backend.freshDatabase(m_dir->filePath(u"herald.db"_s));
        QVERIFY(!m_database.isEmpty());
    }
    void cleanup() { m_dir.reset(); }

    void storesAcceptUnknownEvents();
    void migrationKeepsEarlierRegistrationsOpen();

private:
    StoreBackend m_backend;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_database;
};

void TestApplicationOptions::storesAcceptUnknownEvents()
{
    auto store = SqlStore::open(m_database);
    STORE_VERIFY(store);
    Application app = application(u"app"_s, u"App"_s);
    app.eventTypes = {EventType{u"deploy"_s, {}, {Level{u"ok"_s, {}}}}};
    app.acceptUnknownEvents = true;
    STORE_VERIFY((*store)->upsertApplication(app));
    auto found = (*store)->findApplication(u"app"_s);
    STORE_VERIFY(found);
    QVERIFY(found->has_value());
    QCOMPARE((*found)->acceptUnknownEvents, true);

    app.acceptUnknownEvents = false; // a registration replaces the option too
    STORE_VERIFY((*store)->upsertApplication(app));
    auto all = (*store)->applications();
    STORE_VERIFY(all);
    QCOMPARE(all->size(), 1);
    QCOMPARE(all->first().acceptUnknownEvents, false);
    QCOMPARE(all->first().eventTypes, app.eventTypes);
}

void TestApplicationOptions::migrationKeepsEarlierRegistrationsOpen()
{
    {
        auto dialect = Dialect::forDatabase(m_database);
        STORE_VERIFY(dialect);
        auto connection = SqlConnection::open(std::move(*dialect));
        STORE_VERIFY(connection);
        auto migrated = Migrator((*connection)->db(), (*connection)->dialect()).migrate(4);
        STORE_VERIFY(migrated);
        QCOMPARE(*migrated, 4);
        QSqlQuery query((*connection)->db());
        QVERIFY(query.exec(u"INSERT INTO applications (name, title, event_types) VALUES "
                           "('typed', '', '[{\"id\":\"deploy\",\"title\":\"\",\"levels\":[]}]'), "
                           "('untyped', '', '[]')"_s));
    }
    auto store = SqlStore::open(m_database); // migrates to the newest version
    STORE_VERIFY(store);
    QVERIFY((*store)->schemaVersion() >= 5);
    auto typed = (*store)->findApplication(u"typed"_s);
    auto untyped = (*store)->findApplication(u"untyped"_s);
    STORE_VERIFY(typed);
    STORE_VERIFY(untyped);
    QVERIFY(typed->has_value() && untyped->has_value());
    // Registered event types before they were checked: still takes every event.
    QCOMPARE((*typed)->acceptUnknownEvents, true);
    QCOMPARE((*typed)->eventTypes.size(), 1);
    // Nothing registered: nothing to check either way; a later registration is checked.
    QCOMPARE((*untyped)->acceptUnknownEvents, false);
}

QTEST_GUILESS_MAIN(TestApplicationOptions)
#include "tst_applicationoptions.moc"
