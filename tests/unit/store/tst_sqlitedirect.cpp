// SPDX-License-Identifier: Apache-2.0
// The hot inserts bound on the connection's own sqlite3 handle (SqliteDirect): it attaches
// where QtSql's driver shares this process's libsqlite3 (Debian), binds every value as QtSql
// does, answers rows changed and errors with the store's codes, and a store writes exactly
// the same rows through it as through QtSql.

#include "storetestdata.h"

#include "store/sqlitedirect.h"
#include "store/sqlstore.h"

#include <QScopeGuard>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::test;

namespace {

// Every row of `table` as text, column by column, with each value's SQLite type.
QStringList rowsOf(QSqlDatabase db, const QString &table, const QString &order)
{
    QSqlQuery columns(db);
    if (!columns.exec(u"SELECT * FROM %1 LIMIT 0"_s.arg(table)))
        return {u"cannot read "_s + table};
    const QSqlRecord record = columns.record();
    QStringList typed;
    for (int i = 0; i < record.count(); ++i)
        typed << u"typeof(%1) || ':' || quote(%1)"_s.arg(record.fieldName(i));
    QSqlQuery query(db);
    QStringList rows;
    if (!query.exec(u"SELECT %1 FROM %2 ORDER BY %3"_s.arg(typed.join(u", "_s), table, order)))
        return {u"cannot read "_s + table};
    while (query.next()) {
        QStringList row;
        for (int i = 0; i < record.count(); ++i)
            row << query.value(i).toString();
        rows << row.join(u" | "_s);
    }
    return rows;
}

QList<Notification> variedNotifications()
{
    Notification plain = notification(1001, u"shop"_s, u"orders"_s);
    Notification full =
        notification(1002, u"shop"_s, u"orders"_s, {u"bob"_s, u"alice"_s, u"bob"_s});
    full.priority = Priority::High;
    full.level = u"warning"_s;
    full.tags = {{u"region"_s, u"eu"_s}, {u"k\u00fche"_s, u"\U0001F404"_s}};
    full.url = u"https://example.org/o/1"_s;
    full.actions = {{u"open"_s, u"\u00d6ffnen"_s, u"https://example.org"_s},
                    {u"ack"_s, u"OK"_s, {}}};
    full.expiresAt = baseTime().addDays(1);
    Notification empty = notification(1003, u"shop"_s, u"new-channel"_s);
    empty.code = QString(); // null: stored as an empty text, like QtSql does
    empty.title = u""_s;
    empty.message = QString();
    Notification transient = notification(1004, u"shop"_s, u"orders"_s);
    transient.persistent = false;
    return {plain, full, empty, transient};
}

} // namespace

class TestSqliteDirect : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void attachesWhereTheDriverSharesOurSqlite();
    void bindsValuesAsQtSqlDoes();
    void answersRowsChangedAndNamedErrors();
    void readsOneInteger();
    void aStoreWritesTheSameRowsEitherWay();

private:
    QSqlDatabase openPlain(const QString &name);

    std::unique_ptr<QTemporaryDir> m_dir;
    QStringList m_connections;
};

void TestSqliteDirect::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestSqliteDirect::cleanup()
{
    for (const QString &name : std::as_const(m_connections))
        QSqlDatabase::removeDatabase(name);
    m_connections.clear();
    qunsetenv("HERALD_SQLITE_DIRECT");
}

QSqlDatabase TestSqliteDirect::openPlain(const QString &name)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
    db.setDatabaseName(m_dir->filePath(name + u".db"_s));
    m_connections << name;
    if (!db.open())
        qWarning("cannot open %s", qPrintable(name));
    return db;
}

void TestSqliteDirect::attachesWhereTheDriverSharesOurSqlite()
{
    {
        QSqlDatabase db = openPlain(u"attach"_s);
        // Debian's QtSql SQLite driver links the system's libsqlite3, as this build does.
        QVERIFY(SqliteDirect::attach(db) != nullptr);
        qputenv("HERALD_SQLITE_DIRECT", "0"); // the operator's way back to QtSql
        QVERIFY(SqliteDirect::attach(db) == nullptr);
        qunsetenv("HERALD_SQLITE_DIRECT");
        db.close();
        QVERIFY(SqliteDirect::attach(db) == nullptr); // no handle: nothing to attach to
    }
    QVERIFY(SqliteDirect::attach(QSqlDatabase()) == nullptr);
}

void TestSqliteDirect::bindsValuesAsQtSqlDoes()
{
    QSqlDatabase db = openPlain(u"binds"_s);
    QSqlQuery create(db);
    QVERIFY(create.exec(u"CREATE TABLE t (n INTEGER, a, b, c, d, e, f, g)"_s));
    const QVariantList values = {QString(),
                                 QVariant(),
                                 true,
                                 qint64(1) << 40,
                                 2.5,
                                 QByteArray("\0x", 2),
                                 u"gr\u00fc\u00df \U0001F404"_s};
    const QString insert = u"INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?)"_s;
    // The same values through QtSql's binding, then through SqliteDirect.
    QSqlQuery qt(db);
    QVERIFY(qt.prepare(insert));
    qt.addBindValue(1);
    for (const QVariant &value : values)
        qt.addBindValue(value.typeId() == QMetaType::QString && value.toString().isNull()
                            ? QVariant(u""_s) // the store's rule, as SqlConnection::exec binds
                            : value);
    QVERIFY2(qt.exec(), qPrintable(qt.lastError().text()));
    auto direct = SqliteDirect::attach(db);
    QVERIFY(direct);
    auto changed = direct->write(insert, QVariantList{2} + values);
    QVERIFY2(changed, qPrintable(changed.error().message));
    QCOMPARE(*changed, 1);

    const QStringList rows = rowsOf(db, u"t"_s, u"n"_s);
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows.at(1).section(u" | "_s, 1), rows.at(0).section(u" | "_s, 1));
    QCOMPARE(rows.at(1),
             u"integer:2 | text:'' | null:NULL | integer:1 | integer:1099511627776 | real:2.5 | "
             "blob:X'0078' | text:'gr\u00fc\u00df \U0001F404'"_s);
}

void TestSqliteDirect::answersRowsChangedAndNamedErrors()
{
    QSqlDatabase db = openPlain(u"errors"_s);
    QSqlQuery create(db);
    QVERIFY(create.exec(u"CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)"_s));
    auto direct = SqliteDirect::attach(db);
    QVERIFY(direct);
    const QString insert = u"INSERT INTO t VALUES (?, ?)"_s;
    QCOMPARE(*direct->write(insert, {1, u"one"_s}), 1);
    QCOMPARE(*direct->write(u"INSERT OR IGNORE INTO t VALUES (?, ?)"_s, {1, u"again"_s}), 0);
    QCOMPARE(*direct->write(u"UPDATE t SET v = ? WHERE id > ?"_s, {u"x"_s, 5}), 0);

    auto duplicate = direct->write(insert, {1, u"twice"_s});
    QVERIFY(!duplicate);
    QCOMPARE(duplicate.error().code, ErrorCode::Conflict);
    QVERIFY2(duplicate.error().message.startsWith(u"database: UNIQUE constraint failed: t.id"_s),
             qPrintable(duplicate.error().message));
    auto missing = direct->write(insert, {2, QVariant()}); // NOT NULL
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, ErrorCode::Conflict);
    auto wrong = direct->write(u"INSERT INTO nowhere VALUES (?)"_s, {1});
    QVERIFY(!wrong);
    QCOMPARE(wrong.error().code, ErrorCode::Internal);
    QVERIFY2(wrong.error().message.contains(u"no such table: nowhere"_s),
             qPrintable(wrong.error().message));

    // Nothing of the failures stayed, and the statement runs again after its error.
    QCOMPARE(rowsOf(db, u"t"_s, u"id"_s), QStringList{u"integer:1 | text:'one'"_s});
    QCOMPARE(*direct->write(insert, {2, u"two"_s}), 1);
    QCOMPARE(rowsOf(db, u"t"_s, u"id"_s).size(), 2);
}

void TestSqliteDirect::readsOneInteger()
{
    QSqlDatabase db = openPlain(u"reads"_s);
    QSqlQuery create(db);
    QVERIFY(create.exec(u"CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"_s));
    QVERIFY(create.exec(u"INSERT INTO t VALUES (7, 'seven'), (9, NULL)"_s));
    auto direct = SqliteDirect::attach(db);
    QVERIFY(direct);
    const QString byValue = u"SELECT id FROM t WHERE v = ?"_s;
    QCOMPARE(*direct->readInteger(byValue, {u"seven"_s}), std::optional<qint64>(7));
    QCOMPARE(*direct->readInteger(byValue, {u"eight"_s}), std::optional<qint64>()); // no row
    // A text that is not followed by a zero binds its own length only.
    static const char16_t sevens[] = u"sevenseven";
    QCOMPARE(*direct->readInteger(
                 byValue, {QString::fromRawData(reinterpret_cast<const QChar *>(sevens), 5)}),
             std::optional<qint64>(7));
    QCOMPARE(*direct->readInteger(u"SELECT MAX(id) FROM t WHERE id > ?"_s, {100}),
             std::optional<qint64>()); // NULL
    QCOMPARE(*direct->readInteger(u"SELECT id FROM t ORDER BY id DESC"_s, {}),
             std::optional<qint64>(9)); // the first of several rows
    auto wrong = direct->readInteger(u"SELECT nothing FROM t"_s, {});
    QVERIFY(!wrong);
    QCOMPARE(wrong.error().code, ErrorCode::Internal);
    // Nothing stays open: another connection may write at once (no read snapshot is held).
    QSqlDatabase other = openPlain(u"reads"_s.append(u"-other"_s));
    other.close();
    other.setDatabaseName(db.databaseName());
    QVERIFY(other.open());
    QSqlQuery write(other);
    QVERIFY2(write.exec(u"INSERT INTO t VALUES (11, 'eleven')"_s),
             qPrintable(write.lastError().text()));
    QCOMPARE(*direct->readInteger(byValue, {u"eleven"_s}), std::optional<qint64>(11));
}

void TestSqliteDirect::aStoreWritesTheSameRowsEitherWay()
{
    QMap<QString, QStringList> written[2];
    QString conflicts[2];
    for (int direct = 0; direct < 2; ++direct) {
        if (!direct)
            qputenv("HERALD_SQLITE_DIRECT", "0");
        const auto restore = qScopeGuard([] { qunsetenv("HERALD_SQLITE_DIRECT"); });
        const QString path = m_dir->filePath(u"store-%1.db"_s.arg(direct));
        StoreOptions options;
        options.nodeId = 3;
        auto store = SqlStore::open(path, options);
        QVERIFY2(store, qPrintable(store ? QString() : store.error().message));
        QCOMPARE(SqliteDirect::attach((*store)->database()) != nullptr, bool(direct));
        QVERIFY((*store)->upsertApplication(application(u"shop"_s)));
        QVERIFY((*store)->upsertChannel(Channel{0, u"shop"_s, u"orders"_s, u"Orders"_s, {}}));

        QList<Notification> batch = variedNotifications();
        auto inserted = (*store)->insertNotifications(batch);
        QVERIFY2(inserted, qPrintable(inserted ? QString() : inserted.error().message));
        QList<Notification> again = {notification(1001, u"shop"_s, u"orders"_s)};
        auto conflict = (*store)->insertNotifications(again);
        QVERIFY(!conflict);
        QCOMPARE(conflict.error().code, ErrorCode::Conflict);
        conflicts[direct] = conflict.error().message;

        for (const auto &[table, order] :
             {std::pair{u"notifications"_s, u"id"_s},
              std::pair{u"notification_recipients"_s, u"notification_id, user_name"_s},
              std::pair{u"relay_log"_s, u"origin, seq"_s}, std::pair{u"channels"_s, u"id"_s}})
            written[direct].insert(table, rowsOf((*store)->database(), table, order));
    }
    QCOMPARE(written[1].value(u"notifications"_s).size(), 3); // the transient one is not kept
    QCOMPARE(written[1].value(u"notification_recipients"_s).size(), 2);
    QCOMPARE(written[1].value(u"relay_log"_s).size(), 3);
    QCOMPARE(written[1], written[0]);
    QCOMPARE(conflicts[1], conflicts[0]);
}

QTEST_GUILESS_MAIN(TestSqliteDirect)
#include "tst_sqlitedirect.moc"
