// SPDX-License-Identifier: Apache-2.0
// What each migration does to data written at an older schema version, with golden data as
// Mumble's ServerDatabaseTest: a database of each old version, opened by today's code, must
// read as the expected JSON says; and a step that changes a table keeps what it held. The
// migrator itself (versions, locks, refusals): tst_migrator.
#include "migrationtestbase.h"

#include "model/timestamps.h"
#include "store/migrator.h"
#include "store/sqlstore.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;
using herald::syncd::test::MigrationTestBase;

namespace {

// Runs one statement; a failure is logged with the database's message (some are expected).
bool runStatement(const QSqlDatabase &db, const QString &statement)
{
    QSqlQuery query(db);
    const bool ok = query.exec(statement);
    if (!ok)
        qDebug("%s: %s", qPrintable(statement), qPrintable(query.lastError().text()));
    return ok;
}

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

// Every row `select` reads, as "column=value ..." (one error line if it fails): rows that
// must come through a migration unchanged compare as text, whatever their columns.
QStringList rowsAsText(const QSqlDatabase &db, const QString &select)
{
    QSqlQuery query(db);
    if (!query.exec(select))
        return {u"error: "_s + query.lastError().text()};
    QStringList rows;
    while (query.next()) {
        QStringList values;
        for (int column = 0; column < query.record().count(); ++column)
            values.append(query.record().fieldName(column) + u'=' + query.value(column).toString());
        rows.append(values.join(u' '));
    }
    return rows;
}

// Comment-free, whitespace-collapsed SQL, so that schemas compare by meaning.
QString normalizedSql(const QString &sql)
{
    static const QRegularExpression space(u"\\s+"_s);
    return Migrator::splitStatements(sql).join(u"; "_s).replace(space, u" "_s);
}

} // namespace

class TestSchemaUpgrades : public MigrationTestBase
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        const QString error = startBackend();
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
    void init() { QVERIFY(freshDatabase()); }
    void cleanup() { dropFolder(); }

    void fixtureSchemaIsVersion1();
    void upgradesVersion1Data();
    void migration2BackfillsRelayLog();
    void migration9AdmitsFeedTokensAndKeepsIds();
    void migration13KeepsRelayLogAndAdmitsDeliveryRecords();
    void migration14KeepsRowsIndexesAndRulesWithCheapChecks();

private:
    void loadFixture(const QString &resource, const QString &file);
    QMap<QString, QString> schemaOf(const QString &file);
};

void TestSchemaUpgrades::loadFixture(const QString &resource, const QString &file)
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
QMap<QString, QString> TestSchemaUpgrades::schemaOf(const QString &file)
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

void TestSchemaUpgrades::fixtureSchemaIsVersion1()
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

void TestSchemaUpgrades::upgradesVersion1Data()
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

void TestSchemaUpgrades::migration2BackfillsRelayLog()
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

void TestSchemaUpgrades::migration9AdmitsFeedTokensAndKeepsIds()
{
    auto connection = connect(path());
    QVERIFY(connection);
    Migrator migrator(connection->db(), connection->dialect());
    auto before = migrator.migrate(8);
    STORE_VERIFY(before);
    QCOMPARE(*before, 8);
    auto run = [&](const QString &statement) { return runStatement(connection->db(), statement); };
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

// Mutation caught: 0013_relay_deliveries.sql (SQLite) copying relay_log without its rows, or
// without its index on notification_id.
void TestSchemaUpgrades::migration13KeepsRelayLogAndAdmitsDeliveryRecords()
{
    auto connection = connect(path());
    QVERIFY(connection);
    Migrator migrator(connection->db(), connection->dialect());
    auto before = migrator.migrate(12);
    STORE_VERIFY(before);
    QCOMPARE(*before, 12);
    auto run = [&](const QString &statement) { return runStatement(connection->db(), statement); };
    QVERIFY(run(u"INSERT INTO relay_log (origin, seq, kind, notification_id, user_name, time_ms) "
                "VALUES (1, 1, 'notification', 101, '', 1000), (1, 2, 'receipt', 101, 'alice', "
                "1001), (2, 1, 'preferences', 0, 'alice', 1002), (2, 2, 'digest', 0, 'bob', 1003), "
                "(3, 1, 'seen', 101, 'alice', 1004)"_s));
    QVERIFY(
        run(u"INSERT INTO deliveries (id, endpoint, notification_id, payload, node, status, "
            "created_ms, next_attempt_ms) VALUES ('d1', 'hook', 101, '{}', 1, 'pending', 5, 5)"_s));

    auto upgraded = migrator.migrate(13);
    STORE_VERIFY(upgraded);
    QCOMPARE(*upgraded, 13);
    QSqlQuery rows(connection->db());
    QVERIFY2(rows.exec(u"SELECT origin, seq, kind, notification_id, user_name, time_ms, detail "
                       "FROM relay_log ORDER BY origin, seq"_s),
             qPrintable(rows.lastError().text()));
    QStringList kept;
    while (rows.next()) {
        kept.append(u"%1/%2 %3 %4 '%5' %6 '%7'"_s.arg(rows.value(0).toInt())
                        .arg(rows.value(1).toLongLong())
                        .arg(rows.value(2).toString())
                        .arg(rows.value(3).toLongLong())
                        .arg(rows.value(4).toString())
                        .arg(rows.value(5).toLongLong())
                        .arg(rows.value(6).toString()));
    }
    QCOMPARE(kept, (QStringList{
                       u"1/1 notification 101 '' 1000 ''"_s, u"1/2 receipt 101 'alice' 1001 ''"_s,
                       u"2/1 preferences 0 'alice' 1002 ''"_s, u"2/2 digest 0 'bob' 1003 ''"_s,
                       u"3/1 seen 101 'alice' 1004 ''"_s}));
    QSqlQuery index(connection->db());
    QVERIFY(
        index.exec(m_backend.isPostgresql()
                       ? u"SELECT 1 FROM pg_indexes WHERE indexname = 'relay_log_notification'"_s
                       : u"SELECT 1 FROM sqlite_master WHERE type = 'index' AND "
                         "name = 'relay_log_notification' AND tbl_name = 'relay_log'"_s));
    QVERIFY2(index.next(), "relay_log lost its index on notification_id");
    QSqlQuery takeovers(connection->db());
    QVERIFY(takeovers.exec(u"SELECT takeovers FROM deliveries WHERE id = 'd1'"_s));
    QVERIFY(takeovers.next());
    QCOMPARE(takeovers.value(0).toInt(), 0);
    // The new kinds, with their detail; still no other.
    QVERIFY(run(u"INSERT INTO relay_log (origin, seq, kind, notification_id, time_ms, detail) "
                "VALUES (4, 1, 'job', 0, 1, 'd2'), (4, 2, 'jobsTaken', 0, 2, '{\"jobs\":[]}'), "
                "(4, 3, 'jobsDone', 0, 3, '{\"jobs\":[]}')"_s));
    QVERIFY(!run(u"INSERT INTO relay_log (origin, seq, kind, notification_id, time_ms) "
                 "VALUES (4, 4, 'jobs', 0, 4)"_s));
}

// Mutations caught: 0014_cheap_checks.sql (SQLite) dropping a row, a column's value, an index
// or a kind/status from the rule, or keeping an IN list (which SQLite tests by building a
// temporary index for every row it writes: docs/PERFORMANCE.md, "S4, round 5").
void TestSchemaUpgrades::migration14KeepsRowsIndexesAndRulesWithCheapChecks()
{
    auto connection = connect(path());
    QVERIFY(connection);
    Migrator migrator(connection->db(), connection->dialect());
    auto before = migrator.migrate(13);
    STORE_VERIFY(before);
    QCOMPARE(*before, 13);
    auto run = [&](const QString &statement) { return runStatement(connection->db(), statement); };
    const QStringList kinds{u"notification"_s, u"receipt"_s,   u"deleted"_s,     u"seen"_s,
                            u"hidden"_s,       u"cleared"_s,   u"preferences"_s, u"digest"_s,
                            u"job"_s,          u"jobsTaken"_s, u"jobsDone"_s};
    for (qsizetype i = 0; i < kinds.size(); ++i) {
        QVERIFY(run(
            u"INSERT INTO relay_log (origin, seq, kind, notification_id, user_name, "
            "time_ms, detail) VALUES (%1, %2, '%3', %4, 'user%2', %5, 'detail %2')"_s.arg(1 + i % 2)
                .arg(i + 1)
                .arg(kinds[i])
                .arg(100 + i)
                .arg(1000 + i)));
    }
    QVERIFY(run(u"INSERT INTO deliveries (id, endpoint, notification_id, payload, node, status, "
                "attempts, created_ms, next_attempt_ms, last_attempt_ms, last_status, "
                "last_error, takeovers) VALUES "
                "('d1', 'hook', 101, '{\"a\":1}', 1, 'pending', 0, 5, 6, 0, 0, '', 0), "
                "('d2', 'hook', 102, '{}', 2, 'done', 1, 7, 8, 9, 200, '', 1), "
                "('d3', 'mail', 103, '{}', 1, 'failed', 5, 10, 11, 12, 503, 'busy', 2)"_s));

    auto rowsOf = [&](const QString &select) { return rowsAsText(connection->db(), select); };
    const QString relaySelect = u"SELECT * FROM relay_log ORDER BY origin, seq"_s;
    const QString deliveriesSelect = u"SELECT * FROM deliveries ORDER BY id"_s;
    const QString indexSelect =
        m_backend.isPostgresql()
            ? u"SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN "
              "('relay_log', 'deliveries') ORDER BY indexname"_s
            : u"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN "
              "('relay_log', 'deliveries') AND sql IS NOT NULL ORDER BY name"_s;
    const QStringList relayRows = rowsOf(relaySelect);
    const QStringList deliveryRows = rowsOf(deliveriesSelect);
    QStringList indexes = rowsOf(indexSelect);
    QCOMPARE(relayRows.size(), kinds.size());
    QCOMPARE(deliveryRows.size(), 3);
    QVERIFY2(indexes.size() >= 4, qPrintable(indexes.join(u'\n')));

    auto upgraded = migrator.migrate(14);
    STORE_VERIFY(upgraded);
    QCOMPARE(*upgraded, 14);
    QCOMPARE(rowsOf(relaySelect), relayRows);
    QCOMPARE(rowsOf(deliveriesSelect), deliveryRows);
    auto normalized = [](QStringList rows) {
        for (QString &row : rows)
            row = normalizedSql(row);
        return rows;
    };
    QCOMPARE(normalized(rowsOf(indexSelect)), normalized(indexes));

    // The same rules: every kind and status still taken, nothing else.
    for (qsizetype i = 0; i < kinds.size(); ++i) {
        QVERIFY(run(u"INSERT INTO relay_log (origin, seq, kind, notification_id, time_ms) "
                    "VALUES (3, %1, '%2', 0, 1)"_s.arg(i + 1)
                        .arg(kinds[i])));
    }
    QVERIFY(!run(u"INSERT INTO relay_log (origin, seq, kind, notification_id, time_ms) "
                 "VALUES (3, 100, 'jobs', 0, 1)"_s));
    QVERIFY(!run(u"INSERT INTO relay_log (origin, seq, kind, notification_id, time_ms) "
                 "VALUES (3, 101, 'Notification', 0, 1)"_s));
    QVERIFY(!run(u"UPDATE deliveries SET status = 'waiting' WHERE id = 'd1'"_s));
    QVERIFY(!run(u"INSERT INTO deliveries (id, endpoint, notification_id, payload, node, status, "
                 "created_ms, next_attempt_ms) VALUES ('d4', 'hook', 1, '{}', 1, '', 1, 1)"_s));
    QVERIFY(run(u"UPDATE deliveries SET status = 'done' WHERE id = 'd1'"_s));
    QVERIFY(run(u"UPDATE deliveries SET status = 'failed' WHERE id = 'd1'"_s));
    QVERIFY(run(u"UPDATE deliveries SET status = 'pending' WHERE id = 'd1'"_s));

    if (!m_backend.isPostgresql()) {
        QSqlQuery tables(connection->db());
        QVERIFY(tables.exec(u"SELECT name, sql FROM sqlite_master WHERE type = 'table' AND "
                            "name IN ('relay_log', 'deliveries')"_s));
        int seen = 0;
        static const QRegularExpression inList(u"\\bIN\\s*\\("_s,
                                               QRegularExpression::CaseInsensitiveOption);
        while (tables.next()) {
            ++seen;
            QVERIFY2(!tables.value(1).toString().contains(inList),
                     qPrintable(tables.value(0).toString() + u" still checks an IN list"_s));
        }
        QCOMPARE(seen, 2);
    }
}

QTEST_GUILESS_MAIN(TestSchemaUpgrades)
#include "tst_schemaupgrades.moc"
