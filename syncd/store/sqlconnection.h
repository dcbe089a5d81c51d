// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/error.h"
#include "store/dialect.h"
#include "store/recordjournal.h"
#include "store/sqlitedirect.h"

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariantList>

#include <functional>
#include <memory>

namespace herald::syncd {

// One open QSqlDatabase connection with its Dialect: owns the connection (removes it on
// destruction), tracks the transaction, and runs prepared statements with bound values,
// turning driver errors into Errors. Used on the thread that opened it only.
class SqlConnection
{
public:
    // Opens a connection for `dialect` under a unique connection name. Unavailable when
    // the database cannot be opened.
    static Result<std::unique_ptr<SqlConnection>> open(std::unique_ptr<Dialect> dialect);
    ~SqlConnection();
    SqlConnection(const SqlConnection &) = delete;
    SqlConnection &operator=(const SqlConnection &) = delete;

    QSqlDatabase &db() { return m_db; }
    const Dialect &dialect() const { return *m_dialect; }

    // Dialect::configure() with `synchronous`, remembered for reconnect().
    Result<void> configure(const QString &synchronous);

    // Starts a transaction. When the dialect allows it (PostgreSQL) and the server dropped
    // the connection (restart, failover, idle kill), opens it again once and retries: no
    // transaction was open, so nothing is lost.
    Result<void> begin();
    Result<void> commit();
    void rollback(); // errors are logged; afterwards no transaction is open
    bool inTransaction() const { return m_inTransaction; }
    // Changes whenever a transaction begins or ends and at every rollback to a savepoint:
    // what was read under one value may be stale under the next (TransactionCache).
    quint64 transactionEpoch() const { return m_transactionEpoch; }
    // Savepoint names are identifiers ([A-Za-z_][A-Za-z0-9_]*), BadRequest otherwise.
    Result<void> savepoint(const QString &name);
    Result<void> releaseSavepoint(const QString &name);
    void rollbackToSavepoint(const QString &name);

    // Runs `work` so that an error leaves the database as it was: in a transaction of its
    // own when none is open; in a savepoint inside an open transaction; inside a savepoint
    // as it is (the error goes back to whoever opened the savepoint, who rolls back to it).
    Result<void> atomically(const std::function<Result<void>()> &work);

    // A prepared statement; the error names `sql` (never bound values: they may be
    // notification bodies). Statements are prepared once per connection and kept (on
    // PostgreSQL that saves a PREPARE and a DEALLOCATE round trip per call): the query
    // returned shares its result with every other query for the same `sql`. So read a
    // query's rows before running another statement: exec() finishes every other query
    // first, so that none keeps a snapshot (SQLite) or a half-read result (PostgreSQL).
    Result<QSqlQuery> prepare(const QString &sql);
    // Binds `values` in order and runs an already prepared statement. A null QString is
    // bound as an empty text; an invalid QVariant as NULL.
    Result<void> exec(QSqlQuery &query, const QVariantList &values = {});
    // prepare() and exec() in one.
    Result<QSqlQuery> run(const QString &sql, const QVariantList &values = {});
    // Runs a statement that returns no rows with `values` bound as exec() binds them, and
    // answers how many rows it changed. On SQLite through SqliteDirect when it can attach:
    // for the statements every durable publish runs.
    Result<int> write(const QString &sql, const QVariantList &values);
    // The first column of the first row as an integer; none when there is no row or it is
    // NULL. Through SqliteDirect where write() is.
    Result<std::optional<qint64>> readInteger(const QString &sql, const QVariantList &values);

    // Finishes every query run so far (results already read stay read). Called between
    // operations, so that an idle connection holds no read snapshot.
    void finishStatements();

    Error errorFor(const QSqlError &error, const QString &what) const;

    // Relay records written in the open transaction; follows commit, rollback and savepoints.
    RecordJournal &journal() { return m_journal; }

private:
    SqlConnection(QSqlDatabase db, std::unique_ptr<Dialect> dialect);
    // Runs a statement without values (transaction control). Prepared once and kept where
    // the dialect allows it, so that a savepoint per operation costs no SQL parsing.
    Result<void> execute(const QString &statement);
    Result<void> reconnect();
    SqliteDirect *direct();

    QSqlDatabase m_db;
    std::unique_ptr<Dialect> m_dialect;
    QHash<QString, QSqlQuery> m_statements; // prepared, by SQL text
    QList<QSqlQuery> m_active;              // executed and not finished yet
    std::unique_ptr<SqliteDirect> m_direct; // closed before m_db
    bool m_directTried = false;
    QString m_synchronous = QStringLiteral("FULL");
    RecordJournal m_journal;
    bool m_inTransaction = false;
    int m_atomicDepth = 0;
    int m_savepointDepth = 0; // savepoints open now (rolled back or released: closed)
    quint64 m_transactionEpoch = 1;
};

} // namespace herald::syncd
