// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/error.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QString>
#include <QStringList>

#include <memory>

namespace herald::syncd {

class WalSync;

// The few things that differ between SQL backends. One SqlStore uses one Dialect; the
// queries stay shared. Migrations live in the resource folder :/herald/sql/<name()>/ as
// NNNN_what.sql files. A Dialect is made for one --database value and remembers it.
class Dialect
{
public:
    virtual ~Dialect() = default;

    virtual QString name() const = 0;       // "sqlite", "postgresql"
    virtual QString driverName() const = 0; // "QSQLITE", "QPSQL"
    // Sets what QSqlDatabase::open() needs (file name; host, port, user, database name).
    virtual void setConnectionParameters(QSqlDatabase &db) const = 0;
    // The database as logs and error messages show it; never contains a password.
    virtual QString displayName() const = 0;
    // Connection settings after open (SQLite: WAL, synchronous, foreign_keys, busy_timeout).
    virtual Result<void> configure(QSqlDatabase &db, const QString &synchronous) const = 0;
    // Starts a write transaction. SQLite takes the write lock at once ("BEGIN IMMEDIATE") so
    // that two writers wait on busy_timeout instead of failing when a read turns into a write.
    virtual QString beginTransactionStatement() const { return QStringLiteral("BEGIN"); }
    // The ErrorCode for a failed statement: Unavailable for what may pass (lock timeout,
    // disk full, I/O), Conflict for a constraint, Internal for the rest (a bug).
    virtual ErrorCode errorCodeFor(const QSqlError &error) const;
    // "INSERT ... ON CONFLICT(...) DO NOTHING" is common to both; anything else that differs
    // goes here.
    virtual QString insertOrIgnore(const QString &table, const QString &columns,
                                   const QString &values, const QString &conflictColumns) const;
    // The tables of the schema Herald works in (SQLite: the file, without its sqlite_*
    // tables; PostgreSQL: the connection's current schema), by name.
    virtual Result<QStringList> tables(QSqlDatabase &db) const;
    // Statements run first in each migration transaction, so that of several processes
    // migrating one database at once only one works and the others then see its result.
    // SQLite needs none: BEGIN IMMEDIATE already takes the write lock.
    virtual QStringList migrationLockStatements() const { return {}; }
    // Whether a connection that failed with Unavailable outside a transaction is worth
    // opening again (a server connection may drop; a SQLite file's busy lock does not
    // get better by reopening).
    virtual bool reconnectsAfterError() const { return false; }
    // For a connection configured with synchronous=FULL: switches it to commit without
    // syncing and returns the WalSync its owner calls after each commit instead (see
    // WalSync). Null, with nothing changed, where that cannot be done.
    virtual Result<std::unique_ptr<WalSync>> deferFullSync(QSqlDatabase &db) const;
    // Whether BEGIN, COMMIT and SAVEPOINT statements may be prepared once and run again
    // (PostgreSQL's PREPARE takes only SELECT, INSERT, UPDATE, DELETE and VALUES).
    virtual bool preparesTransactionControl() const { return false; }

    // Picks the dialect for a --database value: a file path is SQLite,
    // postgresql://user[:password]@host[:port]/dbname[?option=value&...] is PostgreSQL.
    // BadRequest for an unsupported scheme or a malformed URL; the message never repeats
    // the URL (it may hold a password).
    static Result<std::unique_ptr<Dialect>> forDatabase(const QString &database);

protected:
    // For configure(), which runs on the bare connection before SqlConnection takes it over:
    // runs `statement` on `db` and returns the first column of its first row as text (empty
    // when there is no row). Unavailable, naming the statement, when it fails.
    static Result<QString> queryValue(QSqlDatabase &db, const QString &statement);
};

} // namespace herald::syncd
