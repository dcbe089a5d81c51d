// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/error.h"

#include <QHash>
#include <QString>
#include <QVariantList>

#include <memory>
#include <optional>

class QSqlDatabase;
struct sqlite3;
struct sqlite3_stmt;

namespace herald::syncd {

// Statements that return no rows, run on a QSQLITE connection's own sqlite3 handle: the hot
// inserts of a durable publish. Qt's binding (a ":N" name made and hashed for every value,
// then its own copy of each) cost a fifth of the store thread's time (docs/PERFORMANCE.md,
// "S4, round 4"). Only attached when the driver calls this process's libsqlite3: a driver
// with its own copy of SQLite (Qt's bundled build, as on Windows) keeps the QtSql path.
// Used on the connection's thread only; must be destroyed before the connection closes.
class SqliteDirect
{
public:
    // Null when `db` is no SQLite connection, when its driver does not share this process's
    // libsqlite3, when built without libsqlite3, or when HERALD_SQLITE_DIRECT=0.
    static std::unique_ptr<SqliteDirect> attach(const QSqlDatabase &db);
    ~SqliteDirect();
    SqliteDirect(const SqliteDirect &) = delete;
    SqliteDirect &operator=(const SqliteDirect &) = delete;

    // Binds `values` in order as QtSql's SQLite driver would (an invalid QVariant as NULL, a
    // null QString as an empty text), runs the statement to its end and answers the rows it
    // changed. A failure's Error names `sql`, never the values, with the code
    // SqliteDialect gives SQLite's result.
    Result<int> write(const QString &sql, const QVariantList &values);
    // The first column of the first row as an integer (none: no row or NULL), bound the same
    // way; for the ids a batch looks up once per transaction.
    Result<std::optional<qint64>> readInteger(const QString &sql, const QVariantList &values);

private:
    explicit SqliteDirect(sqlite3 *db) : m_db(db) {}
    Result<sqlite3_stmt *> prepared(const QString &sql);
    // prepared(), with `values` bound.
    Result<sqlite3_stmt *> bound(const QString &sql, const QVariantList &values);
    Error failure(int result, const QString &sql) const;

    sqlite3 *m_db;
    QHash<QString, sqlite3_stmt *> m_statements; // by SQL text, finalized on destruction
};

} // namespace herald::syncd
