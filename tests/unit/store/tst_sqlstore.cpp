#include "storebackend.h"
#include "storetestdata.h"

#include "store/postgresdialect.h"
#include "store/sqlstore.h"

#include <QFile>
#include <QSqlError>

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::test;

class TestSqlStore : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

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

    // catalog
    void upsertsAndFindsApplication();
    void updatingApplicationKeepsRowId();
    void listsApplicationsByName();
    void deletingApplicationCascades();
    void upsertChannelNeedsApplication();
    void upsertsAndListsChannels();

    // insert
    void insertRoundTripsEveryField();
    void insertIsAllOrNothing_data();
    void insertIsAllOrNothing();
    void insertCreatesUnknownChannelWhenAllowed();
    void insertRefusesUnknownChannelWhenNotAllowed();
    void insertFillsIdsOfTransientWithoutStoring();
    void failedInsertInsideTransactionKeepsEarlierWork();

    // backlog
    void backlogReturnsNewestOldestFirst();
    void backlogStartsAfterId();
    void backlogLeavesOutAcknowledged();
    void backlogShowsOnlyNotificationsForUser_data();
    void backlogShowsOnlyNotificationsForUser();
    void backlogLeavesOutExpired();
    void backlogMatchesOnlySubscriptions_data();
    void backlogMatchesOnlySubscriptions();
    void backlogLooksOnlyAtScanLimit();
    void backlogCoversManyChannels();

    // list
    void listPagesWithCursor();
    void listFlagsAcknowledged();
    void listFilters_data();
    void listFilters();

    // receipts
    void acknowledgeIsIdempotent();
    void acknowledgeIgnoresUnknownAndInvisible();
    void deletingNotificationRemovesReceipts();
    void purgeExpiredRemovesOnlyExpired();

    // users and tokens
    void createsUsers();
    void storesTokens();
    void tokenIdsAreNotReused();

    // durability
    void persistsAcrossReopen();
    void reconnectsAfterServerDroppedConnection();
    void rollbackToSavepointUndoesOnlyThatWork();

private:
    QString path() const { return m_database; }
    void openStore(const StoreOptions &options = {});
    void addCatalog();
    void insert(QList<Notification> notifications);
    QList<NotificationId> backlogIds(const QString &user, int limit,
                                     std::optional<NotificationId> afterId = std::nullopt,
                                     QList<Subscription> subscriptions = {});

    StoreBackend m_backend;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_database; // a file path or a postgresql:// URL, new for each test function
    std::unique_ptr<SqlStore> m_store;
};

void TestSqlStore::initTestCase()
{
    const QString error = m_backend.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestSqlStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_database = m_backend.freshDatabase(m_dir->filePath(u"herald.db"_s));
    QVERIFY(!m_database.isEmpty());
    openStore();
}

void TestSqlStore::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

void TestSqlStore::openStore(const StoreOptions &options)
{
    m_store.reset();
    auto opened = SqlStore::open(path(), options);
    STORE_VERIFY(opened);
    m_store = std::move(*opened);
}

// Application "app" with channels "alerts" and "news"; "other" with channel "alerts".
void TestSqlStore::addCatalog()
{
    STORE_VERIFY(m_store->upsertApplication(application(u"app"_s)));
    STORE_VERIFY(m_store->upsertApplication(application(u"other"_s)));
    STORE_VERIFY(m_store->upsertChannel(Channel{0, u"app"_s, u"alerts"_s, u"Alerts"_s, {}}));
    STORE_VERIFY(m_store->upsertChannel(Channel{0, u"app"_s, u"news"_s, u"News"_s, {}}));
    STORE_VERIFY(m_store->upsertChannel(Channel{0, u"other"_s, u"alerts"_s, {}, {}}));
}

void TestSqlStore::insert(QList<Notification> notifications)
{
    STORE_VERIFY(m_store->insertNotifications(notifications));
}

QList<NotificationId> TestSqlStore::backlogIds(const QString &user, int limit,
                                               std::optional<NotificationId> afterId,
                                               QList<Subscription> subscriptions)
{
    BacklogQuery query;
    query.user = user;
    query.subscriptions =
        subscriptions.isEmpty() ? QList<Subscription>{{u"app"_s, {u"alerts"_s}}} : subscriptions;
    query.limit = limit;
    query.afterId = afterId;
    query.now = baseTime();
    auto found = m_store->backlog(query);
    if (!found) {
        qWarning() << "backlog failed:" << found.error().message;
        return {-1};
    }
    return idsOf(*found);
}

// --- opening

void TestSqlStore::refusesUnsupportedDatabase_data()
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

void TestSqlStore::refusesUnsupportedDatabase()
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

void TestSqlStore::parsesPostgresqlUrl_data()
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

void TestSqlStore::parsesPostgresqlUrl()
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

void TestSqlStore::mapsPostgresqlErrors_data()
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

void TestSqlStore::mapsPostgresqlErrors()
{
    QFETCH(QString, sqlState);
    QFETCH(ErrorCode, code);
    const PostgresDialect dialect({});
    QCOMPARE(
        dialect.errorCodeFor(QSqlError(u"driver"_s, u"db"_s, QSqlError::StatementError, sqlState)),
        code);
}

void TestSqlStore::refusesUnknownSynchronousLevel()
{
    StoreOptions options;
    options.synchronous = u"FULL; DROP TABLE users"_s;
    auto opened =
        SqlStore::open(m_backend.isPostgresql() ? path() : m_dir->filePath(u"other.db"_s), options);
    QVERIFY(!opened);
    QCOMPARE(opened.error().code, ErrorCode::BadRequest);
    QVERIFY(opened.error().message.startsWith(u"synchronous"_s));
}

void TestSqlStore::configuresConnection_data()
{
    QTest::addColumn<QString>("synchronous");
    QTest::addColumn<int>("expected");              // PRAGMA synchronous answers a number
    QTest::addColumn<QString>("synchronousCommit"); // PostgreSQL
    QTest::newRow("FULL") << u"FULL"_s << 2 << u"on"_s;
    QTest::newRow("normal") << u"normal"_s << 1 << u"off"_s;
}

void TestSqlStore::configuresConnection()
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

void TestSqlStore::reportsUnopenableDatabase()
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

void TestSqlStore::takesPasswordFromEnvironment()
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

// --- catalog

void TestSqlStore::upsertsAndFindsApplication()
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

void TestSqlStore::updatingApplicationKeepsRowId()
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

void TestSqlStore::listsApplicationsByName()
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

void TestSqlStore::deletingApplicationCascades()
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

void TestSqlStore::upsertChannelNeedsApplication()
{
    auto stored = m_store->upsertChannel(Channel{0, u"ghost"_s, u"alerts"_s, {}, {}});
    QVERIFY(!stored);
    QCOMPARE(stored.error().code, ErrorCode::NotFound);
    QVERIFY(stored.error().message.startsWith(u"application"_s));
}

void TestSqlStore::upsertsAndListsChannels()
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

// --- insert

void TestSqlStore::insertRoundTripsEveryField()
{
    addCatalog();
    Notification n = notification(42, u"app"_s, u"alerts"_s, {u"alice"_s, u"bob"_s});
    n.priority = Priority::Urgent;
    n.level = u"err"_s;
    n.tags = {{u"env"_s, u"prod"_s}, {u"host"_s, u"db-1"_s}};
    n.url = u"https://example.org/runs/42"_s;
    n.actions = {NotificationAction{u"open"_s, u"Open"_s, u"https://example.org"_s},
                 NotificationAction{u"mute"_s, u"Mute"_s, {}}};
    n.message = u"Ünïcødé ✓ 'quotes' \"and\" ; semicolons"_s;
    n.expiresAt = baseTime().addDays(1);
    n.node = 7;
    QList<Notification> batch{n};
    STORE_VERIFY(m_store->insertNotifications(batch));

    auto channel = m_store->findChannel(u"app"_s, u"alerts"_s);
    auto app = m_store->findApplication(u"app"_s);
    STORE_VERIFY(channel);
    STORE_VERIFY(app);
    n.applicationId = (*app)->rowId;
    n.channelId = (*channel)->rowId;
    QCOMPARE(batch.first(), n);

    auto found = m_store->findNotification(42);
    STORE_VERIFY(found);
    QVERIFY(found->has_value());
    QCOMPARE(**found, n);
}

void TestSqlStore::insertIsAllOrNothing_data()
{
    QTest::addColumn<QList<Notification>>("batch");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("message");

    const Notification first = notification(10, u"app"_s, u"fresh"_s); // would create "fresh"
    Notification noTime = notification(12, u"app"_s, u"alerts"_s);
    noTime.time = QDateTime();
    QTest::newRow("unknown application")
        << QList<Notification>{first, notification(11, u"ghost"_s, u"alerts"_s)}
        << ErrorCode::NotFound << u"[1].application"_s;
    QTest::newRow("id stored before")
        << QList<Notification>{first, notification(1, u"app"_s, u"alerts"_s)} << ErrorCode::Conflict
        << u"[1].id"_s;
    QTest::newRow("id twice in batch")
        << QList<Notification>{first, notification(11, u"app"_s, u"news"_s),
                               notification(11, u"app"_s, u"alerts"_s)}
        << ErrorCode::Conflict << u"[2].id"_s;
    QTest::newRow("id zero") << QList<Notification>{first, notification(0, u"app"_s, u"news"_s)}
                             << ErrorCode::BadRequest << u"[1].id"_s;
    QTest::newRow("id beyond 2^53")
        << QList<Notification>{first, notification(qint64(1) << 53, u"app"_s, u"news"_s)}
        << ErrorCode::BadRequest << u"[1].id"_s;
    QTest::newRow("no time") << QList<Notification>{first, noTime} << ErrorCode::BadRequest
                             << u"[1].time"_s;
}

void TestSqlStore::insertIsAllOrNothing()
{
    QFETCH(QList<Notification>, batch);
    QFETCH(ErrorCode, code);
    QFETCH(QString, message);
    addCatalog();
    insert({notification(1, u"app"_s, u"alerts"_s)});

    auto stored = m_store->insertNotifications(batch);
    QVERIFY(!stored);
    QCOMPARE(stored.error().code, code);
    QVERIFY2(stored.error().message.startsWith(message), qPrintable(stored.error().message));

    auto count = m_store->countNotifications();
    STORE_VERIFY(count);
    QCOMPARE(*count, 1);
    // The channel the first item created is gone with it.
    auto fresh = m_store->findChannel(u"app"_s, u"fresh"_s);
    STORE_VERIFY(fresh);
    QVERIFY(!fresh->has_value());
    // ... and no transaction is left open.
    STORE_VERIFY(m_store->begin());
    m_store->rollback();
}

void TestSqlStore::insertCreatesUnknownChannelWhenAllowed()
{
    addCatalog();
    QList<Notification> batch{notification(1, u"app"_s, u"fresh"_s),
                              notification(2, u"app"_s, u"fresh"_s)};
    STORE_VERIFY(m_store->insertNotifications(batch));
    auto fresh = m_store->findChannel(u"app"_s, u"fresh"_s);
    STORE_VERIFY(fresh);
    QVERIFY(fresh->has_value());
    QCOMPARE(batch.at(0).channelId, (*fresh)->rowId);
    QCOMPARE(batch.at(1).channelId, (*fresh)->rowId);
    auto channels = m_store->channels(u"app"_s);
    STORE_VERIFY(channels);
    QCOMPARE(channels->size(), 3);
}

void TestSqlStore::insertRefusesUnknownChannelWhenNotAllowed()
{
    StoreOptions options;
    options.autoCreateChannels = false;
    openStore(options);
    addCatalog();
    QList<Notification> batch{notification(1, u"app"_s, u"alerts"_s),
                              notification(2, u"app"_s, u"fresh"_s)};
    auto stored = m_store->insertNotifications(batch);
    QVERIFY(!stored);
    QCOMPARE(stored.error().code, ErrorCode::NotFound);
    QVERIFY2(stored.error().message.startsWith(u"[1].channel"_s),
             qPrintable(stored.error().message));
    auto count = m_store->countNotifications();
    STORE_VERIFY(count);
    QCOMPARE(*count, 0);
}

void TestSqlStore::insertFillsIdsOfTransientWithoutStoring()
{
    addCatalog();
    Notification transient = notification(5, u"app"_s, u"news"_s);
    transient.persistent = false;
    QList<Notification> batch{transient};
    STORE_VERIFY(m_store->insertNotifications(batch));
    auto channel = m_store->findChannel(u"app"_s, u"news"_s);
    STORE_VERIFY(channel);
    QCOMPARE(batch.first().channelId, (*channel)->rowId);
    QVERIFY(batch.first().applicationId > 0);
    auto found = m_store->findNotification(5);
    STORE_VERIFY(found);
    QVERIFY(!found->has_value());
}

void TestSqlStore::failedInsertInsideTransactionKeepsEarlierWork()
{
    addCatalog();
    STORE_VERIFY(m_store->begin());
    insert({notification(1, u"app"_s, u"alerts"_s)});
    QList<Notification> bad{notification(2, u"app"_s, u"alerts"_s),
                            notification(3, u"ghost"_s, u"alerts"_s)};
    QVERIFY(!m_store->insertNotifications(bad));
    STORE_VERIFY(m_store->commit());

    openStore(); // what was committed, from disk
    auto count = m_store->countNotifications();
    STORE_VERIFY(count);
    QCOMPARE(*count, 1);
    auto first = m_store->findNotification(1);
    STORE_VERIFY(first);
    QVERIFY(first->has_value());
}

// --- backlog

void TestSqlStore::backlogReturnsNewestOldestFirst()
{
    addCatalog();
    QList<Notification> batch;
    for (NotificationId id = 1; id <= 20; ++id)
        batch.append(notification(id, u"app"_s, id % 2 ? u"alerts"_s : u"news"_s));
    insert(batch);
    // alerts holds the odd ids 1..19
    QCOMPARE(backlogIds(u"alice"_s, 3), (QList<NotificationId>{15, 17, 19}));
    QCOMPARE(backlogIds(u"alice"_s, 100).size(), 10);
    QCOMPARE(backlogIds(u"alice"_s, 0), QList<NotificationId>());

    BacklogQuery query;
    query.user = u"alice"_s;
    query.subscriptions = {{u"app"_s, {u"alerts"_s}}};
    query.limit = 1;
    query.now = baseTime();
    auto found = m_store->backlog(query);
    STORE_VERIFY(found);
    QCOMPARE(found->size(), 1);
    QCOMPARE(found->first().application, u"app"_s);
    QCOMPARE(found->first().channel, u"alerts"_s);
    QVERIFY(found->first().applicationId > 0);
    QVERIFY(found->first().channelId > 0);
}

void TestSqlStore::backlogStartsAfterId()
{
    addCatalog();
    QList<Notification> batch;
    for (NotificationId id = 1; id <= 10; ++id)
        batch.append(notification(id, u"app"_s, u"alerts"_s));
    insert(batch);
    QCOMPARE(backlogIds(u"alice"_s, 100, 7), (QList<NotificationId>{8, 9, 10}));
    QCOMPARE(backlogIds(u"alice"_s, 2, 7), (QList<NotificationId>{9, 10}));
    QCOMPARE(backlogIds(u"alice"_s, 100, 10), QList<NotificationId>());
}

void TestSqlStore::backlogLeavesOutAcknowledged()
{
    addCatalog();
    QList<Notification> batch;
    for (NotificationId id = 1; id <= 6; ++id)
        batch.append(notification(id, u"app"_s, u"alerts"_s));
    insert(batch);
    STORE_VERIFY(m_store->acknowledge(u"alice"_s, {6, 4}, baseTime()));
    QCOMPARE(backlogIds(u"alice"_s, 3), (QList<NotificationId>{2, 3, 5}));
    // Acknowledged is per user.
    QCOMPARE(backlogIds(u"bob"_s, 3), (QList<NotificationId>{4, 5, 6}));
}

void TestSqlStore::backlogShowsOnlyNotificationsForUser_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QList<NotificationId>>("expected");
    // 1: everyone, 2: alice, 3: bob, 4: alice and bob, 5: carol
    QTest::newRow("alice") << u"alice"_s << QList<NotificationId>{1, 2, 4};
    QTest::newRow("bob") << u"bob"_s << QList<NotificationId>{1, 3, 4};
    QTest::newRow("carol") << u"carol"_s << QList<NotificationId>{1, 5};
    QTest::newRow("dave") << u"dave"_s << QList<NotificationId>{1};
    QTest::newRow("prefix of a name") << u"ali"_s << QList<NotificationId>{1};
}

void TestSqlStore::backlogShowsOnlyNotificationsForUser()
{
    QFETCH(QString, user);
    QFETCH(QList<NotificationId>, expected);
    addCatalog();
    insert({notification(1, u"app"_s, u"alerts"_s),
            notification(2, u"app"_s, u"alerts"_s, {u"alice"_s}),
            notification(3, u"app"_s, u"alerts"_s, {u"bob"_s}),
            notification(4, u"app"_s, u"alerts"_s, {u"alice"_s, u"bob"_s}),
            notification(5, u"app"_s, u"alerts"_s, {u"carol"_s, u"carol"_s})});
    QCOMPARE(backlogIds(user, 10), expected);
}

void TestSqlStore::backlogLeavesOutExpired()
{
    addCatalog();
    Notification expired = notification(1, u"app"_s, u"alerts"_s);
    expired.expiresAt = baseTime().addSecs(-1);
    Notification expiresNow = notification(2, u"app"_s, u"alerts"_s);
    expiresNow.expiresAt = baseTime();
    Notification later = notification(3, u"app"_s, u"alerts"_s);
    later.expiresAt = baseTime().addSecs(1);
    insert({expired, expiresNow, later, notification(4, u"app"_s, u"alerts"_s)});
    QCOMPARE(backlogIds(u"alice"_s, 10), (QList<NotificationId>{3, 4}));
}

void TestSqlStore::backlogMatchesOnlySubscriptions_data()
{
    QTest::addColumn<QList<Subscription>>("subscriptions");
    QTest::addColumn<QList<NotificationId>>("expected");
    // 1: app/alerts, 2: app/news, 3: other/alerts
    QTest::newRow("one channel") << QList<Subscription>{{u"app"_s, {u"news"_s}}}
                                 << QList<NotificationId>{2};
    QTest::newRow("two channels") << QList<Subscription>{{u"app"_s, {u"news"_s, u"alerts"_s}}}
                                  << QList<NotificationId>{1, 2};
    QTest::newRow("same name, other application")
        << QList<Subscription>{{u"other"_s, {u"alerts"_s}}} << QList<NotificationId>{3};
    QTest::newRow("two applications")
        << QList<Subscription>{{u"other"_s, {u"alerts"_s}}, {u"app"_s, {u"alerts"_s}}}
        << QList<NotificationId>{1, 3};
    QTest::newRow("no channels: all of the application")
        << QList<Subscription>{{u"app"_s, {}}} << QList<NotificationId>{1, 2};
    QTest::newRow("unknown channel")
        << QList<Subscription>{{u"app"_s, {u"ghost"_s}}} << QList<NotificationId>{};
    QTest::newRow("unknown application")
        << QList<Subscription>{{u"ghost"_s, {u"alerts"_s}}} << QList<NotificationId>{};
    QTest::newRow("duplicates") << QList<Subscription>{{u"app"_s, {u"news"_s, u"news"_s}},
                                                       {u"app"_s, {u"news"_s}}}
                                << QList<NotificationId>{2};
}

void TestSqlStore::backlogMatchesOnlySubscriptions()
{
    QFETCH(QList<Subscription>, subscriptions);
    QFETCH(QList<NotificationId>, expected);
    addCatalog();
    insert({notification(1, u"app"_s, u"alerts"_s), notification(2, u"app"_s, u"news"_s),
            notification(3, u"other"_s, u"alerts"_s)});
    BacklogQuery query;
    query.user = u"alice"_s;
    query.subscriptions = subscriptions;
    query.limit = 10;
    query.now = baseTime();
    auto found = m_store->backlog(query);
    STORE_VERIFY(found);
    QCOMPARE(idsOf(*found), expected);
}

void TestSqlStore::backlogLooksOnlyAtScanLimit()
{
    StoreOptions options;
    options.backlogScanLimit = 5;
    openStore(options);
    addCatalog();
    QList<Notification> batch;
    for (NotificationId id = 1; id <= 10; ++id)
        batch.append(notification(id, u"app"_s, u"alerts"_s));
    insert(batch);
    QCOMPARE(backlogIds(u"alice"_s, 3), (QList<NotificationId>{8, 9, 10}));
    // Within the newest five, two are left for alice; ids 1..5 lie beyond the scan.
    STORE_VERIFY(m_store->acknowledge(u"alice"_s, {7, 8, 10}, baseTime()));
    QCOMPARE(backlogIds(u"alice"_s, 10), (QList<NotificationId>{6, 9}));
    STORE_VERIFY(m_store->acknowledge(u"alice"_s, {6, 9}, baseTime()));
    QCOMPARE(backlogIds(u"alice"_s, 10), QList<NotificationId>());
    // afterId moves the window: the newest five after 2 are still 6..10.
    QCOMPARE(backlogIds(u"alice"_s, 10, 2), QList<NotificationId>());
    QCOMPARE(backlogIds(u"alice"_s, 10, 6), QList<NotificationId>());
}

void TestSqlStore::backlogCoversManyChannels()
{
    // More channels than one compound query holds: exercises the chunked path.
    StoreOptions options;
    options.backlogScanLimit = 40;
    openStore(options);
    STORE_VERIFY(m_store->upsertApplication(application(u"app"_s)));
    QList<Notification> batch;
    QStringList names;
    for (int c = 0; c < 250; ++c) {
        const QString name = u"c%1"_s.arg(c);
        names.append(name);
        for (int k = 0; k < 2; ++k) {
            const NotificationId id = 1 + c + 250 * k; // interleaved across channels
            batch.append(notification(id, u"app"_s, name,
                                      id % 3 == 0 ? QStringList{u"bob"_s} : QStringList{}));
        }
    }
    insert(batch);
    STORE_VERIFY(m_store->acknowledge(u"alice"_s, {500, 499, 490}, baseTime()));

    // Expected by brute force: the newest 40 ids, minus bob's and the acknowledged, newest
    // 10 of the rest.
    QList<NotificationId> expected;
    for (NotificationId id = 500; id > 460; --id) {
        if (id % 3 != 0 && id != 500 && id != 499 && id != 490)
            expected.prepend(id);
    }
    expected = expected.mid(expected.size() - 10);
    QCOMPARE(backlogIds(u"alice"_s, 10, std::nullopt, {{u"app"_s, names}}), expected);
    QCOMPARE(backlogIds(u"alice"_s, 10, std::nullopt, {{u"app"_s, {}}}), expected);
    // afterId inside the window
    QCOMPARE(backlogIds(u"alice"_s, 100, 495, {{u"app"_s, {}}}), (QList<NotificationId>{496, 497}));
}

// --- list

void TestSqlStore::listPagesWithCursor()
{
    addCatalog();
    QList<Notification> batch;
    for (NotificationId id = 1; id <= 7; ++id)
        batch.append(notification(id, u"app"_s, u"alerts"_s));
    insert(batch);

    ListQuery query;
    query.user = u"alice"_s;
    query.limit = 3;
    query.now = baseTime();
    QList<QList<NotificationId>> pages;
    for (int guard = 0; guard < 10; ++guard) {
        auto page = m_store->list(query);
        STORE_VERIFY(page);
        QList<NotificationId> ids;
        for (const ListedNotification &item : page->items) {
            ids.append(item.notification.id);
            QVERIFY(item.notification.channelId > 0);
            QVERIFY(item.notification.applicationId > 0);
        }
        pages.append(ids);
        if (!page->next)
            break;
        QCOMPARE(*page->next, ids.last());
        query.beforeId = page->next;
    }
    QCOMPARE(pages, (QList<QList<NotificationId>>{{7, 6, 5}, {4, 3, 2}, {1}}));

    // A page that ends exactly at the last item has no next.
    query.beforeId = 4;
    auto exact = m_store->list(query);
    STORE_VERIFY(exact);
    QCOMPARE(exact->items.size(), 3);
    QVERIFY(!exact->next);
}

void TestSqlStore::listFlagsAcknowledged()
{
    addCatalog();
    insert({notification(1, u"app"_s, u"alerts"_s), notification(2, u"app"_s, u"alerts"_s),
            notification(3, u"app"_s, u"alerts"_s)});
    STORE_VERIFY(m_store->acknowledge(u"alice"_s, {2}, baseTime()));
    ListQuery query;
    query.user = u"alice"_s;
    query.now = baseTime();
    auto page = m_store->list(query);
    STORE_VERIFY(page);
    QCOMPARE(page->items.size(), 3);
    QCOMPARE(page->items.at(0).acknowledged, false);
    QCOMPARE(page->items.at(1).acknowledged, true);
    QCOMPARE(page->items.at(2).acknowledged, false);

    query.unacknowledgedOnly = true;
    page = m_store->list(query);
    STORE_VERIFY(page);
    QCOMPARE(page->items.size(), 2);
    QCOMPARE(page->items.at(0).notification.id, 3);
    QCOMPARE(page->items.at(1).notification.id, 1);

    query.user = u"bob"_s;
    page = m_store->list(query);
    STORE_VERIFY(page);
    QCOMPARE(page->items.size(), 3);
}

void TestSqlStore::listFilters_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("application");
    QTest::addColumn<QString>("channel");
    QTest::addColumn<QList<NotificationId>>("expected");
    // 1 app/alerts, 2 app/news, 3 other/alerts, 4 app/alerts for bob, 5 app/alerts expired
    QTest::newRow("all for alice")
        << u"alice"_s << QString() << QString() << QList<NotificationId>{3, 2, 1};
    QTest::newRow("all for bob") << u"bob"_s << QString() << QString()
                                 << QList<NotificationId>{4, 3, 2, 1};
    QTest::newRow("admin view") << QString() << QString() << QString()
                                << QList<NotificationId>{4, 3, 2, 1};
    QTest::newRow("application") << u"alice"_s << u"app"_s << QString()
                                 << QList<NotificationId>{2, 1};
    QTest::newRow("channel") << u"bob"_s << u"app"_s << u"alerts"_s << QList<NotificationId>{4, 1};
    QTest::newRow("channel of other application")
        << u"bob"_s << u"other"_s << u"alerts"_s << QList<NotificationId>{3};
    QTest::newRow("unknown application")
        << u"bob"_s << u"ghost"_s << QString() << QList<NotificationId>{};
}

void TestSqlStore::listFilters()
{
    QFETCH(QString, user);
    QFETCH(QString, application);
    QFETCH(QString, channel);
    QFETCH(QList<NotificationId>, expected);
    addCatalog();
    Notification expired = notification(5, u"app"_s, u"alerts"_s);
    expired.expiresAt = baseTime().addSecs(-60);
    insert({notification(1, u"app"_s, u"alerts"_s), notification(2, u"app"_s, u"news"_s),
            notification(3, u"other"_s, u"alerts"_s),
            notification(4, u"app"_s, u"alerts"_s, {u"bob"_s}), expired});
    ListQuery query;
    query.user = user;
    query.application = application;
    query.channel = channel;
    query.now = baseTime();
    auto page = m_store->list(query);
    STORE_VERIFY(page);
    QList<NotificationId> ids;
    for (const ListedNotification &item : page->items)
        ids.append(item.notification.id);
    QCOMPARE(ids, expected);
    QVERIFY(!page->next);
}

// --- receipts

void TestSqlStore::acknowledgeIsIdempotent()
{
    addCatalog();
    insert({notification(1, u"app"_s, u"alerts"_s), notification(2, u"app"_s, u"alerts"_s)});
    auto first = m_store->acknowledge(u"alice"_s, {2, 1, 2}, baseTime());
    STORE_VERIFY(first);
    QCOMPARE(*first, (QList<NotificationId>{2, 1}));
    auto second = m_store->acknowledge(u"alice"_s, {1, 2}, baseTime().addSecs(30));
    STORE_VERIFY(second);
    QCOMPARE(*second, (QList<NotificationId>{1, 2}));

    auto receipts = m_store->receipts(u"alice"_s);
    STORE_VERIFY(receipts);
    QCOMPARE(*receipts, (QList<Receipt>{{u"alice"_s, 1, baseTime()}, {u"alice"_s, 2, baseTime()}}));
}

void TestSqlStore::acknowledgeIgnoresUnknownAndInvisible()
{
    addCatalog();
    insert({notification(1, u"app"_s, u"alerts"_s),
            notification(2, u"app"_s, u"alerts"_s, {u"bob"_s}),
            notification(3, u"app"_s, u"alerts"_s, {u"alice"_s})});
    auto acked = m_store->acknowledge(u"alice"_s, {99, 3, 2, 1}, baseTime());
    STORE_VERIFY(acked);
    QCOMPARE(*acked, (QList<NotificationId>{3, 1}));
    auto receipts = m_store->receipts(u"alice"_s);
    STORE_VERIFY(receipts);
    QCOMPARE(receipts->size(), 2);
    auto bobs = m_store->receipts(u"bob"_s);
    STORE_VERIFY(bobs);
    QVERIFY(bobs->isEmpty());
}

void TestSqlStore::deletingNotificationRemovesReceipts()
{
    addCatalog();
    insert({notification(1, u"app"_s, u"alerts"_s, {u"alice"_s, u"bob"_s}),
            notification(2, u"app"_s, u"alerts"_s)});
    STORE_VERIFY(m_store->acknowledge(u"alice"_s, {1, 2}, baseTime()));
    STORE_VERIFY(m_store->acknowledge(u"bob"_s, {1}, baseTime()));

    auto deleted = m_store->deleteNotification(1);
    STORE_VERIFY(deleted);
    QVERIFY(*deleted);
    auto again = m_store->deleteNotification(1);
    STORE_VERIFY(again);
    QVERIFY(!*again);

    auto alice = m_store->receipts(u"alice"_s);
    STORE_VERIFY(alice);
    QCOMPARE(alice->size(), 1);
    QCOMPARE(alice->first().notificationId, 2);
    auto bob = m_store->receipts(u"bob"_s);
    STORE_VERIFY(bob);
    QVERIFY(bob->isEmpty());
    QSqlQuery recipients(m_store->database());
    QVERIFY(recipients.exec(u"SELECT COUNT(*) FROM notification_recipients"_s));
    QVERIFY(recipients.next());
    QCOMPARE(recipients.value(0).toInt(), 0);
}

void TestSqlStore::purgeExpiredRemovesOnlyExpired()
{
    addCatalog();
    Notification old = notification(1, u"app"_s, u"alerts"_s);
    old.expiresAt = baseTime().addSecs(-10);
    Notification exact = notification(2, u"app"_s, u"alerts"_s);
    exact.expiresAt = baseTime();
    Notification future = notification(3, u"app"_s, u"alerts"_s);
    future.expiresAt = baseTime().addSecs(10);
    insert({old, exact, future, notification(4, u"app"_s, u"alerts"_s)});
    auto purged = m_store->purgeExpired(baseTime());
    STORE_VERIFY(purged);
    QCOMPARE(*purged, (QList<NotificationId>{1, 2}));
    auto count = m_store->countNotifications();
    STORE_VERIFY(count);
    QCOMPARE(*count, 2);
    auto none = m_store->purgeExpired(baseTime());
    STORE_VERIFY(none);
    QVERIFY(none->isEmpty());
}

// --- users and tokens

void TestSqlStore::createsUsers()
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

void TestSqlStore::storesTokens()
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

void TestSqlStore::tokenIdsAreNotReused()
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

// --- durability

void TestSqlStore::persistsAcrossReopen()
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

void TestSqlStore::reconnectsAfterServerDroppedConnection()
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

void TestSqlStore::rollbackToSavepointUndoesOnlyThatWork()
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

QTEST_GUILESS_MAIN(TestSqlStore)
#include "tst_sqlstore.moc"
