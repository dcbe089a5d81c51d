// SPDX-License-Identifier: Apache-2.0
// SqlStore: opening a database (URLs, options, errors, passwords) and keeping it: reopening,
// reconnecting after the server dropped the connection, transactions and savepoints.
// The PostgreSQL-only functions skip on SQLite.

#include "sqlstorefixture.h"

#include "store/postgresdialect.h"

#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::test;

class TestSqlStoreConnection : public QObject, private SqlStoreFixture
{
    Q_OBJECT

private slots:
    void initTestCase() { startBackend(); }
    void init() { openFreshStore(); }
    void cleanup() { closeStore(); }

    // opening
    void refusesUnsupportedDatabase_data();
    void refusesUnsupportedDatabase();
    void parsesPostgresqlUrl_data();
    void parsesPostgresqlUrl();
    void mapsPostgresqlErrors_data();
    void mapsPostgresqlErrors();
    void refusesUnknownSynchronousLevel();
    void configuresConnection_data();
    void configuresConnection();
    void reportsUnopenableDatabase();
    void takesPasswordFromEnvironment();

    // durability
    void persistsAcrossReopen();
    void reconnectsAfterServerDroppedConnection();
    void rollbackToSavepointUndoesOnlyThatWork();
};

// --- opening

void TestSqlStoreConnection::refusesUnsupportedDatabase_data()
{
    QTest::addColumn<QString>("database");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("message");
    QTest::newRow("postgresql without database") << u"postgresql://herald:secret@127.0.0.1:5432"_s
                                                 << ErrorCode::BadRequest << u"names no database"_s;
    QTest::newRow("postgresql with a path") << u"postgresql://herald:secret@127.0.0.1:5432/a/b"_s
                                            << ErrorCode::BadRequest << u"names no database"_s;
    QTest::newRow("postgresql unknown option")
        << u"postgresql://herald:secret@127.0.0.1/herald?sslmod=require"_s << ErrorCode::BadRequest
        << u"unknown option 'sslmod'"_s;
    QTest::newRow("postgresql option with space")
        << u"postgresql://herald:secret@127.0.0.1/herald?application_name=a%20b"_s
        << ErrorCode::BadRequest << u"option 'application_name'"_s;
    QTest::newRow("postgresql bad port") << u"postgresql://herald:secret@127.0.0.1:99999/herald"_s
                                         << ErrorCode::BadRequest << u"not a valid"_s;
    QTest::newRow("mysql") << u"mysql://herald@localhost/herald"_s << ErrorCode::BadRequest
                           << u"unsupported URL scheme 'mysql'"_s;
    QTest::newRow("empty") << QString() << ErrorCode::BadRequest << u"database"_s;
}

void TestSqlStoreConnection::refusesUnsupportedDatabase()
{
    QFETCH(QString, database);
    QFETCH(ErrorCode, code);
    QFETCH(QString, message);
    auto opened = SqlStore::open(database);
    QVERIFY(!opened);
    QCOMPARE(opened.error().code, code);
    QVERIFY2(opened.error().message.contains(message), qPrintable(opened.error().message));
    QVERIFY2(!opened.error().message.contains(u"herald@"_s), "the URL may hold a password");
    QVERIFY2(!opened.error().message.contains(u"secret"_s), "the URL may hold a password");
}

void TestSqlStoreConnection::parsesPostgresqlUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("displayName");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("database");
    QTest::addColumn<QString>("connectOptions");
    const QString defaults = u"application_name=herald-syncd;connect_timeout=10"_s;
    QTest::newRow("full") << u"postgresql://herald:s3cr%40t@db.example:5433/notify"_s
                          << u"postgresql://herald@db.example:5433/notify"_s << u"herald"_s
                          << u"s3cr@t"_s << u"db.example"_s << 5433 << u"notify"_s << defaults;
    QTest::newRow("no password") << u"postgresql://herald@127.0.0.1:5432/herald"_s
                                 << u"postgresql://herald@127.0.0.1:5432/herald"_s << u"herald"_s
                                 << QString() << u"127.0.0.1"_s << 5432 << u"herald"_s << defaults;
    QTest::newRow("postgres scheme, no port")
        << u"postgres://herald@127.0.0.1/herald"_s << u"postgresql://herald@127.0.0.1/herald"_s
        << u"herald"_s << QString() << u"127.0.0.1"_s << -1 << u"herald"_s << defaults;
    QTest::newRow("libpq defaults")
        << u"postgresql:///herald"_s << u"postgresql:///herald"_s << QString() << QString()
        << QString() << -1 << u"herald"_s << defaults;
    QTest::newRow("ipv6") << u"postgresql://herald:pw@[::1]:5432/herald"_s
                          << u"postgresql://herald@[::1]:5432/herald"_s << u"herald"_s << u"pw"_s
                          << u"::1"_s << 5432 << u"herald"_s << defaults;
    QTest::newRow("options")
        << u"postgresql://herald@db/herald?sslmode=verify-full&application_name=node-2"_s
        << u"postgresql://herald@db/herald"_s << u"herald"_s << QString() << u"db"_s << -1
        << u"herald"_s << u"application_name=node-2;connect_timeout=10;sslmode=verify-full"_s;
    QTest::newRow("socket directory")
        << u"postgresql://herald@/herald?host=/run/postgresql"_s
        << u"postgresql://herald@/herald?host=/run/postgresql"_s << u"herald"_s << QString()
        << QString() << -1 << u"herald"_s
        << u"application_name=herald-syncd;connect_timeout=10;host=/run/postgresql"_s;
}

void TestSqlStoreConnection::parsesPostgresqlUrl()
{
    QFETCH(QString, url);
    QFETCH(QString, displayName);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, database);
    QFETCH(QString, connectOptions);
    auto dialect = Dialect::forDatabase(url);
    STORE_VERIFY(dialect);
    QCOMPARE((*dialect)->name(), u"postgresql"_s);
    QCOMPARE((*dialect)->driverName(), u"QPSQL"_s);
    QCOMPARE((*dialect)->displayName(), displayName);
    QVERIFY(password.isEmpty() || !(*dialect)->displayName().contains(password));

    // What QPSQL will be given (the connection is never opened).
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, u"parse-test"_s);
    (*dialect)->setConnectionParameters(db);
    QCOMPARE(db.userName(), user);
    QCOMPARE(db.password(), password);
    QCOMPARE(db.hostName(), host);
    QCOMPARE(db.port(), port);
    QCOMPARE(db.databaseName(), database);
    QCOMPARE(db.connectOptions(), connectOptions);
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(u"parse-test"_s);
}

void TestSqlStoreConnection::mapsPostgresqlErrors_data()
{
    QTest::addColumn<QString>("sqlState");
    QTest::addColumn<ErrorCode>("code");
    QTest::newRow("unique violation") << u"23505"_s << ErrorCode::Conflict;
    QTest::newRow("foreign key violation") << u"23503"_s << ErrorCode::Conflict;
    QTest::newRow("deadlock") << u"40P01"_s << ErrorCode::Unavailable;
    QTest::newRow("serialization failure") << u"40001"_s << ErrorCode::Unavailable;
    QTest::newRow("lock timeout") << u"55P03"_s << ErrorCode::Unavailable;
    QTest::newRow("admin shutdown") << u"57P01"_s << ErrorCode::Unavailable;
    QTest::newRow("disk full") << u"53100"_s << ErrorCode::Unavailable;
    QTest::newRow("connection failure") << u"08006"_s << ErrorCode::Unavailable;
    QTest::newRow("no answer at all") << QString() << ErrorCode::Unavailable;
    QTest::newRow("syntax error") << u"42601"_s << ErrorCode::Internal;
    QTest::newRow("undefined table") << u"42P01"_s << ErrorCode::Internal;
}

void TestSqlStoreConnection::mapsPostgresqlErrors()
{
    QFETCH(QString, sqlState);
    QFETCH(ErrorCode, code);
    const PostgresDialect dialect({});
    QCOMPARE(
        dialect.errorCodeFor(QSqlError(u"driver"_s, u"db"_s, QSqlError::StatementError, sqlState)),
        code);
}

void TestSqlStoreConnection::refusesUnknownSynchronousLevel()
{
    StoreOptions options;
    options.synchronous = u"FULL; DROP TABLE users"_s;
    auto opened =
        SqlStore::open(m_backend.isPostgresql() ? path() : m_dir->filePath(u"other.db"_s), options);
    QVERIFY(!opened);
    QCOMPARE(opened.error().code, ErrorCode::BadRequest);
    QVERIFY(opened.error().message.startsWith(u"synchronous"_s));
}

void TestSqlStoreConnection::configuresConnection_data()
{
    QTest::addColumn<QString>("synchronous");
    QTest::addColumn<int>("expected");              // PRAGMA synchronous answers a number
    QTest::addColumn<QString>("synchronousCommit"); // PostgreSQL
    QTest::newRow("FULL") << u"FULL"_s << 2 << u"on"_s;
    QTest::newRow("normal") << u"normal"_s << 1 << u"off"_s;
}

void TestSqlStoreConnection::configuresConnection()
{
    QFETCH(QString, synchronous);
    QFETCH(int, expected);
    QFETCH(QString, synchronousCommit);
    StoreOptions options;
    options.synchronous = synchronous;
    openStore(options);
    if (m_backend.isPostgresql()) {
        auto show = [this](const QString &name) {
            QSqlQuery query(m_store->database());
            if (!query.exec(u"SHOW "_s + name) || !query.next())
                return QString();
            return query.value(0).toString();
        };
        QCOMPARE(show(u"synchronous_commit"_s), synchronousCommit);
        QCOMPARE(show(u"lock_timeout"_s), u"5s"_s);
        QCOMPARE(show(u"application_name"_s), u"herald-syncd"_s);
        QCOMPARE(m_store->dialect().name(), u"postgresql"_s);
        return;
    }
    auto pragma = [this](const QString &name) {
        QSqlQuery query(m_store->database());
        if (!query.exec(u"PRAGMA "_s + name) || !query.next())
            return QVariant();
        return query.value(0);
    };
    QCOMPARE(pragma(u"journal_mode"_s).toString(), u"wal"_s);
    QCOMPARE(pragma(u"synchronous"_s).toInt(), expected);
    QCOMPARE(pragma(u"foreign_keys"_s).toInt(), 1);
    QCOMPARE(pragma(u"busy_timeout"_s).toInt(), 5000);
    QCOMPARE(m_store->dialect().name(), u"sqlite"_s);
}

void TestSqlStoreConnection::reportsUnopenableDatabase()
{
    if (!m_backend.isPostgresql()) {
        auto opened = SqlStore::open(m_dir->filePath(u"missing/dir/herald.db"_s));
        QVERIFY(!opened);
        QCOMPARE(opened.error().code, ErrorCode::Unavailable);
        QVERIFY2(opened.error().message.contains(u"missing/dir/herald.db"_s),
                 qPrintable(opened.error().message));
        return;
    }
    herald::test::PostgresCluster &cluster = *m_backend.cluster();
    const QString wrongPassword =
        u"postgresql://herald:wrong-pw-123@127.0.0.1:%1/postgres"_s.arg(cluster.port());
    const QString missingDatabase = cluster.url(u"no_such_database"_s);
    for (const QString &url : {wrongPassword, missingDatabase}) {
        auto opened = SqlStore::open(url);
        QVERIFY(!opened);
        QCOMPARE(opened.error().code, ErrorCode::Unavailable);
        const QString message = opened.error().message;
        QVERIFY2(message.contains(u"postgresql://herald@127.0.0.1:"_s), qPrintable(message));
        QVERIFY2(!message.contains(u"wrong-pw-123"_s), qPrintable(message));
        QVERIFY2(!message.contains(cluster.password()), qPrintable(message));
    }
}

void TestSqlStoreConnection::takesPasswordFromEnvironment()
{
    if (!m_backend.isPostgresql())
        QSKIP("a PostgreSQL connection setting");
    herald::test::PostgresCluster &cluster = *m_backend.cluster();
    const QString url = cluster.urlWithoutPassword(QUrl(m_database).path().mid(1));
    qunsetenv("PGPASSWORD");
    qputenv("PGPASSFILE", QFile::encodeName(m_dir->filePath(u"missing.pgpass"_s)));
    auto refused = SqlStore::open(url);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, ErrorCode::Unavailable);

    // PGPASSWORD, as libpq reads it.
    qputenv("PGPASSWORD", cluster.password().toLatin1());
    auto byVariable = SqlStore::open(url);
    qunsetenv("PGPASSWORD");
    STORE_VERIFY(byVariable);
    byVariable->reset();

    // A password file (~/.pgpass; here through PGPASSFILE); libpq wants it private.
    QFile passFile(m_dir->filePath(u"pgpass"_s));
    QVERIFY(passFile.open(QIODevice::WriteOnly));
    passFile.write(
        u"127.0.0.1:%1:*:herald:%2\n"_s.arg(cluster.port()).arg(cluster.password()).toLatin1());
    passFile.close();
    QVERIFY(passFile.setPermissions(QFile::ReadOwner | QFile::WriteOwner));
    qputenv("PGPASSFILE", QFile::encodeName(passFile.fileName()));
    auto byFile = SqlStore::open(url);
    qunsetenv("PGPASSFILE");
    STORE_VERIFY(byFile);
}

// --- durability

void TestSqlStoreConnection::persistsAcrossReopen()
{
    addCatalog();
    insert({notification(1, u"app"_s, u"alerts"_s, {u"alice"_s})});
    STORE_VERIFY(m_store->acknowledge(u"alice"_s, {1}, baseTime()));
    STORE_VERIFY(m_store->createUser(u"alice"_s));
    TokenRecord token;
    token.hash = "hash";
    STORE_VERIFY(m_store->insertToken(token));
    auto before = m_store->findNotification(1);
    STORE_VERIFY(before);

    openStore();
    auto after = m_store->findNotification(1);
    STORE_VERIFY(after);
    QCOMPARE(*after, *before);
    auto apps = m_store->applications();
    STORE_VERIFY(apps);
    QCOMPARE(apps->size(), 2);
    auto receipts = m_store->receipts(u"alice"_s);
    STORE_VERIFY(receipts);
    QCOMPARE(receipts->size(), 1);
    auto users = m_store->users();
    STORE_VERIFY(users);
    QCOMPARE(*users, QStringList{u"alice"_s});
    auto tokens = m_store->tokens();
    STORE_VERIFY(tokens);
    QCOMPARE(tokens->size(), 1);
}

void TestSqlStoreConnection::reconnectsAfterServerDroppedConnection()
{
    if (!m_backend.isPostgresql())
        QSKIP("a server connection (SQLite has none to lose)");
    addCatalog();
    insert({notification(1, u"app"_s, u"alerts"_s)});
    auto backendPid = [this] {
        QSqlQuery query(m_store->database());
        return query.exec(u"SELECT pg_backend_pid()"_s) && query.next() ? query.value(0).toInt()
                                                                        : -1;
    };
    const int before = backendPid();
    QVERIFY(before > 0);
    // As a server restart or an administrator would; waits until that backend is gone.
    QString terminated;
    QVERIFY2(m_backend.cluster()->psql(QUrl(path()).path().mid(1),
                                       u"SELECT pg_terminate_backend(%1, 10000)"_s.arg(before),
                                       &terminated),
             qPrintable(m_backend.cluster()->errorString()));
    QCOMPARE(terminated, u"t"_s);

    // The next transaction (StoreThread begins one per batch) connects again.
    STORE_VERIFY(m_store->begin());
    insert({notification(2, u"app"_s, u"alerts"_s)});
    STORE_VERIFY(m_store->commit());
    const int after = backendPid();
    QVERIFY(after > 0);
    QVERIFY(after != before);
    auto count = m_store->countNotifications();
    STORE_VERIFY(count);
    QCOMPARE(*count, 2);
}

void TestSqlStoreConnection::rollbackToSavepointUndoesOnlyThatWork()
{
    addCatalog();
    STORE_VERIFY(m_store->begin());
    STORE_VERIFY(m_store->savepoint(u"one"_s));
    insert({notification(1, u"app"_s, u"alerts"_s)});
    STORE_VERIFY(m_store->releaseSavepoint(u"one"_s));
    STORE_VERIFY(m_store->savepoint(u"two"_s));
    insert({notification(2, u"app"_s, u"alerts"_s)});
    m_store->rollbackToSavepoint(u"two"_s);
    QVERIFY(!m_store->savepoint(u"bad name; DROP TABLE users"_s));
    STORE_VERIFY(m_store->commit());

    auto first = m_store->findNotification(1);
    auto second = m_store->findNotification(2);
    STORE_VERIFY(first);
    STORE_VERIFY(second);
    QVERIFY(first->has_value());
    QVERIFY(!second->has_value());

    // A rolled back transaction leaves nothing.
    STORE_VERIFY(m_store->begin());
    insert({notification(3, u"app"_s, u"alerts"_s)});
    m_store->rollback();
    auto third = m_store->findNotification(3);
    STORE_VERIFY(third);
    QVERIFY(!third->has_value());
}

QTEST_GUILESS_MAIN(TestSqlStoreConnection)
#include "tst_sqlstoreconnection.moc"
