// SPDX-License-Identifier: Apache-2.0
#include "migrationtestbase.h"

#include "model/timestamps.h"
#include "store/migrator.h"
#include "store/postgresdialect.h"
#include "store/sqlconnection.h"
#include "store/sqlstore.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSemaphore>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;
using herald::syncd::test::MigrationTestBase;

// The migrator itself: versions, locks, refusals, targets, failed steps, the statements of a
// file. What each migration does to old data: tst_schemaupgrades.
class TestMigrator : public MigrationTestBase
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void freshDatabaseGetsNewestVersion();
    void reopeningChangesNothing();
    void refusesNewerDatabase();
    void refusesForeignDatabase();
    void concurrentFirstMigrationsAgree();
    void migrationWaitsForAdvisoryLock();
    void postgresqlSchemaMirrorsSqlite();
    void migratesUpToTarget();
    void failedStepLeavesPreviousVersion();
    void refusesBadlyNumberedFiles_data();
    void refusesBadlyNumberedFiles();
    void splitsStatements_data();
    void splitsStatements();

private:
    // Writes `files` (name -> SQL) as a migration folder for the backend's dialect; returns
    // the root to give Migrator.
    QString writeMigrations(const QMap<QString, QString> &files);
    QStringList tables(SqlConnection &connection);
};

void TestMigrator::initTestCase()
{
    const QString error = startBackend();
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestMigrator::init()
{
    QVERIFY(freshDatabase());
}

void TestMigrator::cleanup()
{
    dropFolder();
}

QString TestMigrator::writeMigrations(const QMap<QString, QString> &files)
{
    const QString root = m_dir->filePath(u"migrations"_s);
    const QString folder = root + u'/' + m_backend.name() + u'/';
    QDir().mkpath(folder);
    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        QFile file(folder + it.key());
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write a migration file");
        file.write(it.value().toUtf8());
    }
    return root;
}

QStringList TestMigrator::tables(SqlConnection &connection)
{
    auto names = connection.dialect().tables(connection.db());
    if (!names) {
        qWarning() << names.error().message;
        return {u"(error)"_s};
    }
    return *names;
}

void TestMigrator::freshDatabaseGetsNewestVersion()
{
    auto store = SqlStore::open(path());
    STORE_VERIFY(store);
    auto connection = connect(path());
    QVERIFY(connection);
    auto latest = Migrator(connection->db(), connection->dialect()).latestVersion();
    STORE_VERIFY(latest);
    QVERIFY(*latest >= 1);
    QCOMPARE((*store)->schemaVersion(), *latest);
    QCOMPARE(storedVersion(*connection), *latest);
    QCOMPARE(tables(*connection), (QStringList{u"applications"_s,      u"behaviors"_s,
                                               u"channels"_s,          u"deliveries"_s,
                                               u"digest_items"_s,      u"digest_runs"_s,
                                               u"digests"_s,           u"endpoints"_s,
                                               u"herald_schema"_s,     u"inbox_follows"_s,
                                               u"inbox_hidden"_s,      u"inbox_rules"_s,
                                               u"inbox_state"_s,       u"notification_recipients"_s,
                                               u"notifications"_s,     u"outbox_nodes"_s,
                                               u"receipts"_s,          u"relay_log"_s,
                                               u"token_revocations"_s, u"tokens"_s,
                                               u"user_preferences"_s,  u"users"_s}));
}

void TestMigrator::reopeningChangesNothing()
{
    {
        auto store = SqlStore::open(path());
        STORE_VERIFY(store);
        STORE_VERIFY((*store)->createUser(u"alice"_s));
    }
    auto again = SqlStore::open(path());
    STORE_VERIFY(again);
    auto users = (*again)->users();
    STORE_VERIFY(users);
    QCOMPARE(*users, QStringList{u"alice"_s});
    auto connection = connect(path());
    QVERIFY(connection);
    QCOMPARE(storedVersion(*connection), (*again)->schemaVersion());
}

void TestMigrator::refusesNewerDatabase()
{
    int latest = 0;
    {
        auto store = SqlStore::open(path());
        STORE_VERIFY(store);
        latest = (*store)->schemaVersion();
        QSqlQuery query((*store)->database());
        QVERIFY(query.exec(u"UPDATE herald_schema SET version = 99"_s));
    }
    auto store = SqlStore::open(path());
    QVERIFY(!store);
    QCOMPARE(store.error().code, ErrorCode::Unavailable);
    QCOMPARE(store.error().message,
             u"database schema version 99 is newer than this herald-syncd (knows up to %1); "
             "upgrade herald-syncd"_s.arg(latest));

    // Refused, not touched.
    auto connection = connect(path());
    QVERIFY(connection);
    QCOMPARE(storedVersion(*connection), 99);
}

void TestMigrator::refusesForeignDatabase()
{
    {
        auto connection = connect(path());
        QVERIFY(connection);
        QSqlQuery query(connection->db());
        QVERIFY(query.exec(u"CREATE TABLE invoices (id INTEGER PRIMARY KEY)"_s));
    }
    auto store = SqlStore::open(path());
    QVERIFY(!store);
    QCOMPARE(store.error().code, ErrorCode::Unavailable);
    QVERIFY2(store.error().message.contains(u"not a Herald database"_s),
             qPrintable(store.error().message));
    auto connection = connect(path());
    QVERIFY(connection);
    QCOMPARE(tables(*connection), QStringList{u"invoices"_s});
}

void TestMigrator::concurrentFirstMigrationsAgree()
{
    // Several herald-syncd started at once on one new database (one PostgreSQL database
    // shared by several nodes; or two processes on one SQLite file): exactly one migrates,
    // the others wait for it and find the newest version.
    constexpr int Openers = 6;
    QSemaphore ready;
    QSemaphore go;
    std::vector<Result<int>> results(Openers,
                                     Result<int>(fail(ErrorCode::Internal, u"no result"_s)));
    std::vector<std::unique_ptr<QThread>> threads;
    for (int i = 0; i < Openers; ++i) {
        threads.emplace_back(QThread::create([&, i] {
            ready.release();
            go.acquire();
            auto store = SqlStore::open(path());
            if (!store)
                results[i] = tl::unexpected(store.error());
            else
                results[i] = (*store)->schemaVersion();
        }));
        threads.back()->start();
    }
    ready.acquire(Openers);
    go.release(Openers); // all at once
    for (auto &thread : threads)
        QVERIFY(thread->wait(60000));

    auto connection = connect(path());
    QVERIFY(connection);
    auto latest = Migrator(connection->db(), connection->dialect()).latestVersion();
    STORE_VERIFY(latest);
    for (const Result<int> &result : std::as_const(results)) {
        STORE_VERIFY(result);
        QCOMPARE(*result, *latest);
    }
    QCOMPARE(storedVersion(*connection), *latest); // one row: migrated once
}

void TestMigrator::migrationWaitsForAdvisoryLock()
{
    if (!m_backend.isPostgresql())
        QSKIP("SQLite's migration lock is its write lock (BEGIN IMMEDIATE); see "
              "concurrentFirstMigrationsAgree");
    // Another node holds the migration lock (as while it migrates).
    auto holder = connect(path());
    QVERIFY(holder);
    QSqlQuery lock(holder->db());
    QVERIFY2(lock.exec(u"SELECT pg_advisory_lock(%1)"_s.arg(PostgresDialect::MigrationLockKey)),
             qPrintable(lock.lastError().text()));

    std::optional<Result<int>> opened;
    std::unique_ptr<QThread> opener(QThread::create([&] {
        auto store = SqlStore::open(path());
        opened = store ? Result<int>((*store)->schemaVersion()) : tl::unexpected(store.error());
    }));
    opener->start();

    // It waits on exactly that lock, longer than lock_timeout, and has created nothing yet.
    auto waitingForLock = [&] {
        QSqlQuery query(holder->db());
        query.exec(u"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"_s);
        return query.next() ? query.value(0).toInt() : -1;
    };
    QTRY_COMPARE_WITH_TIMEOUT(waitingForLock(), 1, 30000);
    QVERIFY(!opener->wait(PostgresDialect::LockTimeoutMs + 1000));
    QCOMPARE(tables(*holder), QStringList());

    QVERIFY(lock.exec(u"SELECT pg_advisory_unlock(%1)"_s.arg(PostgresDialect::MigrationLockKey)));
    QVERIFY(opener->wait(30000));
    QVERIFY(opened.has_value());
    STORE_VERIFY(*opened);
    QVERIFY(**opened >= 1);
    QCOMPARE(storedVersion(*holder), **opened);
}

void TestMigrator::postgresqlSchemaMirrorsSqlite()
{
    if (!m_backend.isPostgresql())
        QSKIP("compares the PostgreSQL schema with this one");
    // The queries are shared, so both schemas must have the same tables and columns.
    const QString sqliteFile = m_dir->filePath(u"mirror.db"_s);
    {
        auto sqlite = SqlStore::open(sqliteFile);
        STORE_VERIFY(sqlite);
        auto postgresql = SqlStore::open(path());
        STORE_VERIFY(postgresql);
        QCOMPARE((*postgresql)->schemaVersion(), (*sqlite)->schemaVersion());
    }
    auto columnsOf = [this](SqlConnection &connection) {
        QMap<QString, QStringList> columns;
        for (const QString &table : tables(connection)) {
            const QSqlRecord record = connection.db().record(table);
            QStringList names;
            for (int i = 0; i < record.count(); ++i)
                names.append(record.fieldName(i));
            columns.insert(table, names);
        }
        return columns;
    };
    auto sqlite = connect(sqliteFile);
    auto postgresql = connect(path());
    QVERIFY(sqlite);
    QVERIFY(postgresql);
    const QMap<QString, QStringList> expected = columnsOf(*sqlite);
    QVERIFY(expected.contains(u"notifications"_s));
    QCOMPARE(columnsOf(*postgresql), expected);
}

void TestMigrator::migratesUpToTarget()
{
    const QString root = writeMigrations({
        {u"0001_first.sql"_s, u"CREATE TABLE a (x INTEGER);\nINSERT INTO a VALUES (1);\n"_s},
        {u"0002_second.sql"_s, u"CREATE TABLE b (y TEXT);"_s},
        {u"0003_third.sql"_s, u"ALTER TABLE a ADD COLUMN z TEXT NOT NULL DEFAULT 'z';"_s},
    });
    auto connection = connect(path());
    QVERIFY(connection);
    Migrator migrator(connection->db(), connection->dialect(), root);
    auto current = migrator.currentVersion();
    STORE_VERIFY(current);
    QCOMPARE(*current, 0);

    auto second = migrator.migrate(2);
    STORE_VERIFY(second);
    QCOMPARE(*second, 2);
    QCOMPARE(storedVersion(*connection), 2);
    QCOMPARE(tables(*connection), (QStringList{u"a"_s, u"b"_s, u"herald_schema"_s}));

    // Never down.
    auto lower = migrator.migrate(1);
    STORE_VERIFY(lower);
    QCOMPARE(*lower, 2);

    auto all = migrator.migrate();
    STORE_VERIFY(all);
    QCOMPARE(*all, 3);
    QSqlQuery query(connection->db());
    QVERIFY(query.exec(u"SELECT x, z FROM a"_s));
    QVERIFY(query.next());
    QCOMPARE(query.value(0).toInt(), 1);
    QCOMPARE(query.value(1).toString(), u"z"_s);
}

void TestMigrator::failedStepLeavesPreviousVersion()
{
    const QString root = writeMigrations({
        {u"0001_first.sql"_s, u"CREATE TABLE a (x INTEGER);"_s},
        {u"0002_broken.sql"_s, u"CREATE TABLE b (y TEXT);\nINSERT INTO a VALUES (1);\n"
                               "INSERT INTO nowhere VALUES (2);\n"_s},
    });
    auto connection = connect(path());
    QVERIFY(connection);
    Migrator migrator(connection->db(), connection->dialect(), root);
    auto migrated = migrator.migrate();
    QVERIFY(!migrated);
    QVERIFY2(migrated.error().message.contains(u"0002_broken.sql, statement 3"_s),
             qPrintable(migrated.error().message));

    // Version 1 is complete; nothing of version 2 is left.
    QCOMPARE(storedVersion(*connection), 1);
    QCOMPARE(tables(*connection), (QStringList{u"a"_s, u"herald_schema"_s}));
    QSqlQuery query(connection->db());
    QVERIFY(query.exec(u"SELECT COUNT(*) FROM a"_s));
    QVERIFY(query.next());
    QCOMPARE(query.value(0).toInt(), 0);
}

void TestMigrator::refusesBadlyNumberedFiles_data()
{
    QTest::addColumn<QStringList>("files");
    QTest::newRow("gap") << QStringList{u"0001_a.sql"_s, u"0003_c.sql"_s};
    QTest::newRow("not from one") << QStringList{u"0002_b.sql"_s};
    QTest::newRow("bad name") << QStringList{u"0001_a.sql"_s, u"0002-B.sql"_s};
    QTest::newRow("none") << QStringList{};
}

void TestMigrator::refusesBadlyNumberedFiles()
{
    QFETCH(QStringList, files);
    QMap<QString, QString> contents;
    for (const QString &file : files)
        contents.insert(file, u"CREATE TABLE t%1 (x INTEGER);"_s.arg(contents.size()));
    const QString root = writeMigrations(contents);
    auto connection = connect(path());
    QVERIFY(connection);
    auto migrated = Migrator(connection->db(), connection->dialect(), root).migrate();
    QVERIFY(!migrated);
    QCOMPARE(migrated.error().code, ErrorCode::Internal);
    QCOMPARE(tables(*connection), QStringList());
}

void TestMigrator::splitsStatements_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QStringList>("statements");
    QTest::newRow("lines") << u"CREATE TABLE a (x);\nCREATE TABLE b (y);\n"_s
                           << QStringList{u"CREATE TABLE a (x)"_s, u"CREATE TABLE b (y)"_s};
    QTest::newRow("no final semicolon")
        << u"SELECT 1;\nSELECT 2"_s << QStringList{u"SELECT 1"_s, u"SELECT 2"_s};
    QTest::newRow("semicolon in text")
        << u"INSERT INTO t VALUES ('a;b');\nSELECT 1;"_s
        << QStringList{u"INSERT INTO t VALUES ('a;b')"_s, u"SELECT 1"_s};
    QTest::newRow("escaped quote") << u"INSERT INTO t VALUES ('it''s; fine');"_s
                                   << QStringList{u"INSERT INTO t VALUES ('it''s; fine')"_s};
    QTest::newRow("quoted identifier")
        << u"CREATE TABLE \"a;b\" (x);"_s << QStringList{u"CREATE TABLE \"a;b\" (x)"_s};
    QTest::newRow("line comments")
        << u"-- first; not a statement\nSELECT 1; -- trailing; comment\n-- only a comment\n"_s
        << QStringList{u"SELECT 1"_s};
    QTest::newRow("block comment") << u"SELECT /* a; b */ 1;"_s << QStringList{u"SELECT   1"_s};
    QTest::newRow("empty statements") << u";;\n  ;\n"_s << QStringList{};
    QTest::newRow("comment dashes in text") << u"SELECT '--x';"_s << QStringList{u"SELECT '--x'"_s};
    QTest::newRow("multi-line text") << u"SELECT 'a\n;b';"_s << QStringList{u"SELECT 'a\n;b'"_s};
}

void TestMigrator::splitsStatements()
{
    QFETCH(QString, sql);
    QFETCH(QStringList, statements);
    QCOMPARE(Migrator::splitStatements(sql), statements);
}

QTEST_GUILESS_MAIN(TestMigrator)
#include "tst_migrator.moc"
