// SPDX-License-Identifier: Apache-2.0
#include "storebackend.h"

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
using herald::syncd::test::StoreBackend;

#define STORE_VERIFY(result)                                                                       \
    do {                                                                                           \
        const auto &storeVerifyResult_ = (result);                                                 \
        QVERIFY2(storeVerifyResult_.has_value(),                                                   \
                 qPrintable(storeVerifyResult_ ? QString() : storeVerifyResult_.error().message)); \
    } while (false)

namespace {

// The golden data's "now": after every notification but one has expired.
const QDateTime FixtureNow = QDateTime::fromMSecsSinceEpoch(1767268800000, Qt::UTC);

QJsonObject toJson(const Notification &n)
{
    QJsonObject tags;
    for (auto it = n.tags.cbegin(); it != n.tags.cend(); ++it)
        tags.insert(it.key(), it.value());
    QJsonArray actions;
    for (const NotificationAction &a : n.actions)
        actions.append(QJsonObject{{u"id"_s, a.id}, {u"label"_s, a.label}, {u"url"_s, a.url}});
    QJsonObject object{{u"id"_s, n.id},
                       {u"application"_s, n.application},
                       {u"applicationId"_s, n.applicationId},
                       {u"channel"_s, n.channel},
                       {u"channelId"_s, n.channelId},
                       {u"code"_s, n.code},
                       {u"title"_s, n.title},
                       {u"message"_s, n.message},
                       {u"persistent"_s, n.persistent},
                       {u"priority"_s, priorityName(n.priority)},
                       {u"level"_s, n.level},
                       {u"tags"_s, tags},
                       {u"url"_s, n.url},
                       {u"actions"_s, actions},
                       {u"recipients"_s, QJsonArray::fromStringList(n.recipients)},
                       {u"time"_s, toRfc3339(n.time)},
                       {u"node"_s, n.node}};
    if (n.expiresAt)
        object.insert(u"expiresAt"_s, toRfc3339(*n.expiresAt));
    return object;
}

// Comment-free, whitespace-collapsed SQL, so that schemas compare by meaning.
QString normalizedSql(const QString &sql)
{
    static const QRegularExpression space(u"\\s+"_s);
    return Migrator::splitStatements(sql).join(u"; "_s).replace(space, u" "_s);
}

} // namespace

class TestMigrator : public QObject
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

    // Golden data, as Mumble's ServerDatabaseTest: a database of each old version, opened by
    // today's code, must read as the expected JSON says.
    void fixtureSchemaIsVersion1();
    void upgradesVersion1Data();
    void migration2BackfillsRelayLog();
    void migration9AdmitsFeedTokensAndKeepsIds();

private:
    QString path() const { return m_database; }
    // A connection of its own to `database` (a file path or a postgresql:// URL).
    std::unique_ptr<SqlConnection> connect(const QString &database);
    // Writes `files` (name -> SQL) as a migration folder for the backend's dialect; returns
    // the root to give Migrator.
    QString writeMigrations(const QMap<QString, QString> &files);
    int storedVersion(SqlConnection &connection);
    QStringList tables(SqlConnection &connection);
    void loadFixture(const QString &resource, const QString &file);
    QMap<QString, QString> schemaOf(const QString &file);

    StoreBackend m_backend;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_database; // new for each test function
};

void TestMigrator::initTestCase()
{
    const QString error = m_backend.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestMigrator::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_database = m_backend.freshDatabase(m_dir->filePath(u"herald.db"_s));
    QVERIFY(!m_database.isEmpty());
}

void TestMigrator::cleanup()
{
    m_dir.reset();
}

std::unique_ptr<SqlConnection> TestMigrator::connect(const QString &database)
{
    auto dialect = Dialect::forDatabase(database);
    if (!dialect) {
        qWarning() << dialect.error().message;
        return nullptr;
    }
    auto connection = SqlConnection::open(std::move(*dialect));
    if (!connection) {
        qWarning() << connection.error().message;
        return nullptr;
    }
    return std::move(*connection);
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

int TestMigrator::storedVersion(SqlConnection &connection)
{
    QSqlQuery query(connection.db());
    if (!query.exec(u"SELECT version FROM herald_schema"_s) || !query.next())
        return -1;
    const int version = query.value(0).toInt();
    return query.next() ? -2 : version; // exactly one row
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

void TestMigrator::loadFixture(const QString &resource, const QString &file)
{
    QFile fixture(resource);
    QVERIFY2(fixture.open(QIODevice::ReadOnly), qPrintable(resource));
    auto connection = connect(file);
    QVERIFY(connection);
    const QStringList statements = Migrator::splitStatements(QString::fromUtf8(fixture.readAll()));
    QVERIFY(!statements.isEmpty());
    for (const QString &statement : statements) {
        QSqlQuery query(connection->db());
        QVERIFY2(query.exec(statement),
                 qPrintable(statement.left(80) + u": "_s + query.lastError().text()));
    }
}

// name -> normalized CREATE statement of every table and index.
QMap<QString, QString> TestMigrator::schemaOf(const QString &file)
{
    QMap<QString, QString> schema;
    auto connection = connect(file);
    if (!connection)
        return schema;
    QSqlQuery query(connection->db());
    query.exec(u"SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL"_s);
    while (query.next())
        schema.insert(query.value(0).toString(), normalizedSql(query.value(1).toString()));
    return schema;
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

void TestMigrator::fixtureSchemaIsVersion1()
{
    if (m_backend.isPostgresql())
        QSKIP("golden data exists for SQLite; PostgreSQL is checked against SQLite's schema in "
              "postgresqlSchemaMirrorsSqlite");
    // The frozen v1 schema of the fixture must be what migration 1 makes; if this fails,
    // someone changed a released migration (add a new one instead).
    const QString fixture = m_dir->filePath(u"fixture.db"_s);
    loadFixture(u":/fixtures/sql/sqlite/v1.sql"_s, fixture);
    {
        auto connection = connect(path());
        QVERIFY(connection);
        auto migrated = Migrator(connection->db(), connection->dialect()).migrate(1);
        STORE_VERIFY(migrated);
        QCOMPARE(*migrated, 1);
    }
    const QMap<QString, QString> expected = schemaOf(path());
    QVERIFY(expected.contains(u"notifications"_s));
    QCOMPARE(schemaOf(fixture), expected);
}

void TestMigrator::upgradesVersion1Data()
{
    if (m_backend.isPostgresql())
        QSKIP("golden data exists for SQLite only; migration2BackfillsRelayLog upgrades "
              "version-1 data on PostgreSQL too");
    loadFixture(u":/fixtures/sql/sqlite/v1.sql"_s, path());
    QFile expectedFile(u":/fixtures/sql/sqlite/v1.expected.json"_s);
    QVERIFY(expectedFile.open(QIODevice::ReadOnly));
    QJsonParseError parseError;
    const QJsonObject expected =
        QJsonDocument::fromJson(expectedFile.readAll(), &parseError).object();
    QVERIFY2(parseError.error == QJsonParseError::NoError, qPrintable(parseError.errorString()));

    auto opened = SqlStore::open(path());
    STORE_VERIFY(opened);
    SqlStore &store = **opened;
    {
        auto connection = connect(path());
        QVERIFY(connection);
        auto latest = Migrator(connection->db(), connection->dialect()).latestVersion();
        STORE_VERIFY(latest);
        QCOMPARE(store.schemaVersion(), *latest);
    }

    QJsonObject actual;
    auto applications = store.applications();
    STORE_VERIFY(applications);
    QJsonArray applicationsJson;
    for (const Application &a : *applications) {
        QJsonArray eventTypes;
        for (const EventType &type : a.eventTypes) {
            QJsonArray levels;
            for (const Level &level : type.levels)
                levels.append(QJsonObject{{u"id"_s, level.id}, {u"title"_s, level.title}});
            eventTypes.append(
                QJsonObject{{u"id"_s, type.id}, {u"title"_s, type.title}, {u"levels"_s, levels}});
        }
        applicationsJson.append(QJsonObject{{u"id"_s, a.rowId},
                                            {u"name"_s, a.name},
                                            {u"title"_s, a.title},
                                            {u"eventTypes"_s, eventTypes}});
    }
    actual.insert(u"applications"_s, applicationsJson);

    auto channels = store.channels();
    STORE_VERIFY(channels);
    QJsonArray channelsJson;
    for (const Channel &c : *channels) {
        channelsJson.append(QJsonObject{{u"id"_s, c.rowId},
                                        {u"application"_s, c.application},
                                        {u"name"_s, c.name},
                                        {u"title"_s, c.title},
                                        {u"description"_s, c.description}});
    }
    actual.insert(u"channels"_s, channelsJson);

    QJsonArray notificationsJson;
    for (const QJsonValue &value : expected.value(u"notifications"_s).toArray()) {
        auto found = store.findNotification(value.toObject().value(u"id"_s).toInteger());
        STORE_VERIFY(found);
        QVERIFY(found->has_value());
        notificationsJson.append(toJson(**found));
    }
    actual.insert(u"notifications"_s, notificationsJson);

    ListQuery list;
    list.user = u"alice"_s;
    list.now = FixtureNow;
    auto page = store.list(list);
    STORE_VERIFY(page);
    QJsonArray listJson;
    for (const ListedNotification &item : page->items) {
        listJson.append(
            QJsonObject{{u"id"_s, item.notification.id}, {u"acknowledged"_s, item.acknowledged}});
    }
    actual.insert(u"listForAlice"_s, listJson);

    QJsonObject backlogJson;
    QJsonObject receiptsJson;
    for (const QString &user : {u"alice"_s, u"bob"_s}) {
        BacklogQuery query;
        query.user = user;
        query.subscriptions = {{u"ci"_s, {}}, {u"monitor"_s, {u"alerts"_s}}};
        query.limit = 10;
        query.now = FixtureNow;
        auto backlog = store.backlog(query);
        STORE_VERIFY(backlog);
        QJsonArray ids;
        for (const Notification &n : *backlog)
            ids.append(n.id);
        backlogJson.insert(user, ids);

        auto receipts = store.receipts(user);
        STORE_VERIFY(receipts);
        QJsonArray receiptList;
        for (const Receipt &r : *receipts) {
            receiptList.append(
                QJsonObject{{u"id"_s, r.notificationId}, {u"time"_s, toRfc3339(r.time)}});
        }
        receiptsJson.insert(user, receiptList);
    }
    actual.insert(u"backlog"_s, backlogJson);
    actual.insert(u"receipts"_s, receiptsJson);

    auto users = store.users();
    STORE_VERIFY(users);
    actual.insert(u"users"_s, QJsonArray::fromStringList(*users));

    auto tokens = store.tokens();
    STORE_VERIFY(tokens);
    QJsonArray tokensJson;
    for (const TokenRecord &t : *tokens) {
        tokensJson.append(QJsonObject{{u"id"_s, t.id},
                                      {u"hash"_s, QString::fromLatin1(t.hash)},
                                      {u"kind"_s, tokenKindName(t.kind)},
                                      {u"application"_s, t.application},
                                      {u"user"_s, t.user},
                                      {u"label"_s, t.label},
                                      {u"createdAt"_s, toRfc3339(t.createdAt)}});
    }
    actual.insert(u"tokens"_s, tokensJson);
    TokenRecord next;
    next.hash = "next";
    auto nextId = store.insertToken(next);
    STORE_VERIFY(nextId);
    actual.insert(u"nextTokenId"_s, *nextId);

    // Compare as text so that a failure shows the whole difference.
    const QByteArray actualText = QJsonDocument(actual).toJson(QJsonDocument::Indented);
    const QByteArray expectedText = QJsonDocument(expected).toJson(QJsonDocument::Indented);
    if (actualText != expectedText)
        qInfo().noquote() << "read from the v1 fixture:\n" << QString::fromUtf8(actualText);
    QCOMPARE(actualText, expectedText);
}

// Mutation caught: 0002_relay_log.sql (of either dialect) without its INSERT ... SELECT that
// turns the notifications stored before version 2 into relay records.
void TestMigrator::migration2BackfillsRelayLog()
{
    auto connection = connect(path());
    QVERIFY(connection);
    Migrator migrator(connection->db(), connection->dialect());
    auto first = migrator.migrate(1);
    STORE_VERIFY(first);
    QCOMPARE(*first, 1);

    // Two nodes' notifications, inserted out of id order: the records are numbered per
    // origin node in id order, not in insertion order.
    struct Row
    {
        qint64 id;
        int node;
        qint64 timeMs;
    };
    const QList<Row> rows{{205, 3, 1767268805000},
                          {101, 3, 1767268801000},
                          {150, 5, 1767268803000},
                          {103, 3, 1767268802000},
                          {102, 5, 1767268801500}};
    const QStringList statements{
        u"INSERT INTO applications (id, name, title) VALUES (1, 'shop', 'Shop')"_s,
        u"INSERT INTO channels (id, application_id, name) VALUES (1, 1, 'orders')"_s,
    };
    for (const QString &statement : statements) {
        QSqlQuery query(connection->db());
        QVERIFY2(query.exec(statement), qPrintable(query.lastError().text()));
    }
    for (const Row &row : rows) {
        QSqlQuery query(connection->db());
        QVERIFY2(query.exec(u"INSERT INTO notifications (id, channel_id, title, time_ms, node) "
                            "VALUES (%1, 1, 'before the upgrade', %2, %3)"_s.arg(row.id)
                                .arg(row.timeMs)
                                .arg(row.node)),
                 qPrintable(query.lastError().text()));
    }
    QCOMPARE(storedVersion(*connection), 1);

    auto upgraded = migrator.migrate();
    STORE_VERIFY(upgraded);
    QVERIFY(*upgraded >= 2);
    QCOMPARE(storedVersion(*connection), *upgraded);

    QSqlQuery query(connection->db());
    QVERIFY2(query.exec(u"SELECT origin, seq, kind, notification_id, user_name, time_ms "
                        "FROM relay_log ORDER BY origin, seq"_s),
             qPrintable(query.lastError().text()));
    QStringList actual;
    while (query.next()) {
        actual.append(u"%1/%2 %3 %4 '%5' %6"_s.arg(query.value(0).toInt())
                          .arg(query.value(1).toLongLong())
                          .arg(query.value(2).toString())
                          .arg(query.value(3).toLongLong())
                          .arg(query.value(4).toString())
                          .arg(query.value(5).toLongLong()));
    }
    const QStringList expected{
        u"3/1 notification 101 '' 1767268801000"_s, u"3/2 notification 103 '' 1767268802000"_s,
        u"3/3 notification 205 '' 1767268805000"_s, u"5/1 notification 102 '' 1767268801500"_s,
        u"5/2 notification 150 '' 1767268803000"_s,
    };
    QCOMPARE(actual, expected);
}

void TestMigrator::migration9AdmitsFeedTokensAndKeepsIds()
{
    auto connection = connect(path());
    QVERIFY(connection);
    Migrator migrator(connection->db(), connection->dialect());
    auto before = migrator.migrate(8);
    STORE_VERIFY(before);
    QCOMPARE(*before, 8);
    auto run = [&](const QString &statement) {
        QSqlQuery query(connection->db());
        const bool ok = query.exec(statement);
        if (!ok)
            qDebug("%s: %s", qPrintable(statement), qPrintable(query.lastError().text()));
        return ok;
    };
    auto rows = [&] {
        QSqlQuery query(connection->db());
        QStringList rows;
        if (!query.exec(u"SELECT id, hash, kind, user_name, label FROM tokens ORDER BY id"_s))
            return rows;
        while (query.next()) {
            rows.append(u"%1 %2 %3 %4 %5"_s.arg(query.value(0).toLongLong())
                            .arg(query.value(1).toString(), query.value(2).toString(),
                                 query.value(3).toString(), query.value(4).toString()));
        }
        return rows;
    };
    QVERIFY(
        run(u"INSERT INTO tokens (hash, kind, user_name, created_at_ms) VALUES "
            "('a1', 'admin', NULL, 1), ('u2', 'user', 'alice', 2), ('u3', 'user', 'bob', 3)"_s));
    const QStringList made = rows();
    QCOMPARE(made.size(), 3);
    const qint64 revokedId = made.last().section(u' ', 0, 0).toLongLong();
    QVERIFY(run(u"DELETE FROM tokens WHERE id = %1"_s.arg(revokedId)));
    QVERIFY(!run(u"INSERT INTO tokens (hash, kind, user_name, created_at_ms) "
                 "VALUES ('f0', 'feed', 'alice', 1)"_s));

    auto upgraded = migrator.migrate(9);
    STORE_VERIFY(upgraded);
    QCOMPARE(*upgraded, 9);
    QVERIFY(run(u"INSERT INTO tokens (hash, kind, user_name, label, created_at_ms) "
                "VALUES ('f4', 'feed', 'alice', 'reader', 4)"_s));
    QVERIFY(!run(u"INSERT INTO tokens (hash, kind, created_at_ms) VALUES ('x5', 'reader', 5)"_s));
    // The rows kept their ids, and the revoked token's id did not come back.
    const QStringList after = rows();
    QCOMPARE(after.size(), 3);
    QCOMPARE(after.mid(0, 2), made.mid(0, 2));
    QVERIFY2(after.last().section(u' ', 0, 0).toLongLong() > revokedId, qPrintable(after.last()));
    QCOMPARE(after.last().section(u' ', 1), u"f4 feed alice reader"_s);
}

QTEST_GUILESS_MAIN(TestMigrator)
#include "tst_migrator.moc"
