// SPDX-License-Identifier: Apache-2.0
// The backlog's cost is bounded by the scan limit, not by the size of the table: counted in
// SQLite virtual machine steps on the store's own connection (deterministic for a given
// SQLite and data), never in milliseconds, and with the query plan of every statement the
// backlog runs. SQLite only.
#include "storetestdata.h"

#include "store/sqlstore.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::test;

namespace {

constexpr qint64 Rows = 1000000;
constexpr NotificationId FirstId = 129171460096064; // 2026-01-01, node 1
constexpr int FetchLast = 100;
constexpr int Acknowledged = 10000;
const int ScanLimit = StoreOptions().backlogScanLimit;
// What one backlog may cost, in SQLite VM steps: a few dozen steps per row looked at, for the
// rows a scan of ScanLimit looks at, a few times over (the first look, the cut-off probes and
// the look that settles it). Measured on SQLite 3.40: 23,000 with nothing acknowledged,
// 350,000 when the newest 10,000 are acknowledged, 1.3 million with no scan limit at all.
// Walking every row of the subscribed channel (800,000) costs 11 million with nothing
// acknowledged: a lost scan limit fails this ten times over, however fast or slow the
// machine, where a bound in milliseconds could not tell (such a walk took 73 ms under load).
const qint64 MaxSteps = 200 * qint64(ScanLimit);

// Row i: every fifth in channel "noise" (not subscribed), the rest in "alerts"; some for bob
// only, some for alice and bob, some expired.
QString channelOf(qint64 i)
{
    return i % 5 == 4 ? u"noise"_s : u"alerts"_s;
}

QStringList recipientsOf(qint64 i)
{
    if (i % 10 == 3)
        return {u"bob"_s};
    if (i % 10 == 7)
        return {u"alice"_s, u"bob"_s};
    return {};
}

bool expired(qint64 i)
{
    return i % 1000 == 1;
}

bool visibleToAlice(qint64 i)
{
    const QStringList recipients = recipientsOf(i);
    return channelOf(i) == u"alerts" && !expired(i) &&
           (recipients.isEmpty() || recipients.contains(u"alice"_s));
}

// The sqlite3 handle under a QSqlDatabase connection (QtSql's SQLite driver uses the system's
// libsqlite3, the one this test links).
sqlite3 *handleOf(const QString &connectionName)
{
    const QVariant handle = QSqlDatabase::database(connectionName, false).driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.constData());
}

// What one call cost on one connection, from construction to cost(): every VM step of every
// statement (a progress handler called at each step), and the SQL of the statements that ran.
class StepCounter
{
public:
    explicit StepCounter(sqlite3 *db) : m_db(db)
    {
        for (sqlite3_stmt *s = sqlite3_next_stmt(m_db, nullptr); s; s = sqlite3_next_stmt(m_db, s))
            sqlite3_stmt_status(s, SQLITE_STMTSTATUS_VM_STEP, 1); // reset
        sqlite3_progress_handler(m_db, 1, &StepCounter::onStep, this);
    }
    ~StepCounter() { sqlite3_progress_handler(m_db, 0, nullptr, nullptr); }
    StepCounter(const StepCounter &) = delete;
    StepCounter &operator=(const StepCounter &) = delete;

    qint64 steps() const { return m_steps; }
    // The statements still prepared on the connection that ran since construction.
    QStringList statementsRun() const
    {
        QStringList sql;
        for (sqlite3_stmt *s = sqlite3_next_stmt(m_db, nullptr); s;
             s = sqlite3_next_stmt(m_db, s)) {
            if (sqlite3_stmt_status(s, SQLITE_STMTSTATUS_VM_STEP, 0) > 0)
                sql.append(QString::fromUtf8(sqlite3_sql(s)));
        }
        return sql;
    }

private:
    static int onStep(void *self)
    {
        ++static_cast<StepCounter *>(self)->m_steps;
        return 0;
    }

    sqlite3 *m_db;
    qint64 m_steps = 0;
};

} // namespace

class TestSqlStoreBacklog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void backlogIsBoundedWithNothingAcknowledged();
    void backlogIsBoundedWithNewestAcknowledged();

private:
    // Runs store.backlog(query) on the connection `connectionName` (the store's), counting its
    // steps; checks every statement it ran reads tables by index only (see checkPlans).
    qint64 countBacklog(SqlStore &store, const QString &connectionName, const BacklogQuery &query,
                        QList<Notification> *result);
    void checkPlans(const QString &connectionName, const QStringList &statements);
    BacklogQuery aliceQuery() const;

    QTemporaryDir m_dir;
    std::unique_ptr<SqlStore> m_store;
    QString m_connection; // m_store's QSqlDatabase connection
};

void TestSqlStoreBacklog::initTestCase()
{
    QVERIFY(m_dir.isValid());
    StoreOptions options;
    options.synchronous = u"OFF"_s; // only the fill; durability is not under test here
    auto opened = SqlStore::open(m_dir.filePath(u"herald.db"_s), options);
    STORE_VERIFY(opened);
    m_store = std::move(*opened);
    QCOMPARE(QSqlDatabase::connectionNames().size(), 1);
    m_connection = QSqlDatabase::connectionNames().constFirst();
    QVERIFY2(handleOf(m_connection), "no sqlite3 handle under the store's connection");
    STORE_VERIFY(m_store->upsertApplication(application(u"app"_s)));

    QElapsedTimer timer;
    timer.start();
    constexpr qint64 PerTransaction = 100000;
    constexpr qint64 PerInsert = 10000;
    for (qint64 first = 0; first < Rows; first += PerTransaction) {
        STORE_VERIFY(m_store->begin());
        for (qint64 start = first; start < first + PerTransaction; start += PerInsert) {
            QList<Notification> batch;
            batch.reserve(PerInsert);
            for (qint64 i = start; i < start + PerInsert; ++i) {
                Notification n = notification(FirstId + i, u"app"_s, channelOf(i), recipientsOf(i));
                n.time = baseTime().addMSecs(i);
                if (expired(i))
                    n.expiresAt = baseTime().addSecs(-1);
                batch.append(std::move(n));
            }
            STORE_VERIFY(m_store->insertNotifications(batch));
        }
        STORE_VERIFY(m_store->commit());
    }
    qInfo() << "filled" << Rows << "notifications in" << timer.elapsed() << "ms";
    auto count = m_store->countNotifications();
    STORE_VERIFY(count);
    QCOMPARE(*count, Rows);
}

qint64 TestSqlStoreBacklog::countBacklog(SqlStore &store, const QString &connectionName,
                                         const BacklogQuery &query, QList<Notification> *result)
{
    sqlite3 *db = handleOf(connectionName);
    if (!db) {
        qWarning("no sqlite3 handle under %s", qPrintable(connectionName));
        return -1;
    }
    QStringList statements;
    qint64 steps = 0;
    {
        StepCounter counter(db);
        auto found = store.backlog(query);
        steps = counter.steps();
        statements = counter.statementsRun();
        if (!found) {
            qWarning() << found.error().message;
            return -1;
        }
        if (result)
            *result = *found;
    }
    checkPlans(connectionName, statements);
    return steps;
}

// Every table a backlog statement touches is reached through an index (SEARCH), never walked
// (SCAN notifications, or SCAN over a whole index): the only scans allowed are of the
// subqueries the statements build themselves, each bounded by its LIMIT (`recent`, `sN`).
// Mutation caught: an arm that cannot use notifications_channel_id (backlog-arm-skips-index,
// `channel_id + 0 = ?`): SQLite then walks the table by id, cheap on this data where four
// rows in five are in the channel, a walk of the whole table for a quiet channel.
void TestSqlStoreBacklog::checkPlans(const QString &connectionName, const QStringList &statements)
{
    QVERIFY2(!statements.isEmpty(), "the backlog ran no statement that is still prepared");
    sqlite3 *db = handleOf(connectionName);
    QVERIFY(db);
    const QRegularExpression boundedScan(u"^SCAN (recent|s\\d+)$"_s);
    bool readsNotifications = false;
    for (const QString &sql : statements) {
        // Straight through SQLite: QtSql would insist on values for the placeholders.
        sqlite3_stmt *plan = nullptr;
        const QByteArray explain = "EXPLAIN QUERY PLAN " + sql.toUtf8();
        QVERIFY2(sqlite3_prepare_v2(db, explain.constData(), int(explain.size()), &plan, nullptr) ==
                     SQLITE_OK,
                 qPrintable(QString::fromUtf8(sqlite3_errmsg(db)) + u": "_s + sql));
        QStringList lines;
        while (sqlite3_step(plan) == SQLITE_ROW)
            lines.append(
                QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(plan, 3))));
        sqlite3_finalize(plan);
        for (const QString &line : std::as_const(lines)) {
            if (line.startsWith(
                    u"SEARCH notifications USING COVERING INDEX notifications_channel_id"_s))
                readsNotifications = true;
            QVERIFY2(
                !line.startsWith(u"SCAN "_s) || boundedScan.match(line).hasMatch(),
                qPrintable(line + u"\n in the plan of: "_s + sql + u"\n"_s + lines.join(u"\n"_s)));
        }
    }
    QVERIFY2(readsNotifications, qPrintable(u"no statement walks notifications_channel_id: "_s +
                                            statements.join(u"\n"_s)));
}

BacklogQuery TestSqlStoreBacklog::aliceQuery() const
{
    BacklogQuery query;
    query.user = u"alice"_s;
    query.subscriptions = {{u"app"_s, {u"alerts"_s}}};
    query.limit = FetchLast;
    query.now = baseTime();
    return query;
}

// Mutation caught: the LIMIT of each channel's arm lost from the backlog's SQL
// (backlog-arm-limit-lost): the same answer, but every row of the channel is walked and
// sorted: 11.2 million VM steps here.
void TestSqlStoreBacklog::backlogIsBoundedWithNothingAcknowledged()
{
    QList<NotificationId> expected;
    for (qint64 i = Rows - 1; i >= 0 && expected.size() < FetchLast; --i) {
        if (visibleToAlice(i))
            expected.prepend(FirstId + i);
    }

    QList<Notification> found;
    const qint64 steps = countBacklog(*m_store, m_connection, aliceQuery(), &found);
    if (QTest::currentTestFailed())
        return;
    qInfo() << "backlog of" << FetchLast << "among" << Rows
            << "rows, nothing acknowledged:" << steps << "SQLite VM steps";
    QCOMPARE(idsOf(found), expected);
    QVERIFY2(steps > 0 && steps <= MaxSteps,
             qPrintable(u"%1 VM steps, at most %2 allowed"_s.arg(steps).arg(MaxSteps)));

    BacklogQuery after = aliceQuery();
    after.afterId = expected.at(FetchLast / 2);
    const qint64 afterSteps = countBacklog(*m_store, m_connection, after, &found);
    if (QTest::currentTestFailed())
        return;
    qInfo() << "... with afterId:" << afterSteps << "SQLite VM steps";
    QCOMPARE(idsOf(found), expected.mid(FetchLast / 2 + 1));
    QVERIFY2(afterSteps > 0 && afterSteps <= MaxSteps,
             qPrintable(u"%1 VM steps, at most %2 allowed"_s.arg(afterSteps).arg(MaxSteps)));
}

// Mutations caught: SqlStore not passing backlogScanLimit on (backlog-scan-limit-ignored: the
// answer is then the 100 older notifications beyond the limit, not nothing), and the arm's
// LIMIT lost (backlog-arm-limit-lost: the same empty answer, but 33.8 million VM steps).
void TestSqlStoreBacklog::backlogIsBoundedWithNewestAcknowledged()
{
    QList<NotificationId> newest;
    for (qint64 i = Rows - 1; i >= 0 && newest.size() < Acknowledged; --i) {
        if (visibleToAlice(i))
            newest.append(FirstId + i);
    }
    STORE_VERIFY(m_store->begin());
    for (qsizetype first = 0; first < newest.size(); first += 1000) {
        auto acked = m_store->acknowledge(u"alice"_s, newest.mid(first, 1000), baseTime());
        STORE_VERIFY(acked);
        QCOMPARE(acked->size(), 1000);
    }
    STORE_VERIFY(m_store->commit());

    // The scan stops at backlogScanLimit rows: all of them acknowledged or bob's, so nothing.
    QList<Notification> found;
    const qint64 steps = countBacklog(*m_store, m_connection, aliceQuery(), &found);
    if (QTest::currentTestFailed())
        return;
    qInfo() << "backlog with the newest" << Acknowledged << "acknowledged:" << steps
            << "SQLite VM steps";
    QCOMPARE(found.size(), 0);
    QVERIFY2(steps > 0 && steps <= MaxSteps,
             qPrintable(u"%1 VM steps, at most %2 allowed"_s.arg(steps).arg(MaxSteps)));

    // For the record: what the scan limit saves; and the counter sees the difference.
    StoreOptions unlimited;
    unlimited.backlogScanLimit = int(Rows);
    auto full = SqlStore::open(m_dir.filePath(u"herald.db"_s), unlimited);
    STORE_VERIFY(full);
    QString fullConnection;
    for (const QString &name : QSqlDatabase::connectionNames()) {
        if (name != m_connection)
            fullConnection = name;
    }
    const qint64 fullSteps = countBacklog(**full, fullConnection, aliceQuery(), &found);
    if (QTest::currentTestFailed())
        return;
    qInfo() << "... the same without a scan limit:" << fullSteps << "SQLite VM steps";
    QCOMPARE(found.size(), FetchLast);
    QVERIFY2(fullSteps > steps,
             qPrintable(u"%1 unlimited, %2 limited"_s.arg(fullSteps).arg(steps)));
}

QTEST_GUILESS_MAIN(TestSqlStoreBacklog)
#include "tst_sqlstorebacklog.moc"
