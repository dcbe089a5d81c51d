#pragma once

#include "protocol/error.h"

#include <QSqlDatabase>
#include <QString>

#include <memory>

namespace herald::syncd {

// The few things that differ between SQL backends. One SqlStore uses one Dialect; the
// queries stay shared. Migrations live in the resource folder :/herald/sql/<name()>/ as
// NNNN_what.sql files.
class Dialect
{
public:
    virtual ~Dialect() = default;

    virtual QString name() const = 0;       // "sqlite", "postgresql"
    virtual QString driverName() const = 0; // "QSQLITE", "QPSQL"
    // Connection settings after open (SQLite: WAL, synchronous, foreign_keys, busy_timeout).
    virtual Result<void> configure(QSqlDatabase &db, const QString &synchronous) const = 0;
    // "INSERT ... ON CONFLICT(...) DO NOTHING" is common to both; anything else that differs
    // goes here.
    virtual QString insertOrIgnore(const QString &table, const QString &columns,
                                   const QString &values, const QString &conflictColumns) const;

    // Picks the dialect for a --database value; Error for an unsupported scheme.
    static Result<std::unique_ptr<Dialect>> forDatabase(const QString &database);
};

} // namespace herald::syncd
