// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/dialect.h"

#include <QMap>

namespace herald::syncd {

// PostgreSQL through QtSql's QPSQL driver (libpq). Made from a URL
// postgresql://user[:password]@host[:port]/dbname[?option=value&...]: a password left out
// of the URL comes the libpq way, from PGPASSWORD or ~/.pgpass (PGPASSFILE); host, port and
// user left out fall back to libpq's defaults (PGHOST, PGPORT, PGUSER, the local socket).
// The same tables and queries as SQLite (see sql/postgresql/); this class holds only what
// differs. Several herald-syncd may share one database: nothing here assumes one writer.
class PostgresDialect : public Dialect
{
public:
    struct Parameters
    {
        QString user;
        QString password; // empty: libpq looks in PGPASSWORD and ~/.pgpass
        QString host;     // empty: libpq's default (PGHOST or the local socket)
        int port = -1;    // -1: libpq's default (PGPORT or 5432)
        QString database;
        QMap<QString, QString> options; // libpq keywords: sslmode, connect_timeout, ...
    };

    explicit PostgresDialect(Parameters parameters) : m_parameters(std::move(parameters)) {}

    // BadRequest, without repeating the URL, when it is not of the form above or names an
    // option that is not one of ConnectOptions.
    static Result<std::unique_ptr<PostgresDialect>> fromUrl(const QString &url);

    const Parameters &parameters() const { return m_parameters; }
    QString name() const override { return QStringLiteral("postgresql"); }
    QString driverName() const override { return QStringLiteral("QPSQL"); }
    void setConnectionParameters(QSqlDatabase &db) const override;
    // postgresql://user@host:port/dbname: the password is never shown.
    QString displayName() const override;
    // `synchronous` (as for SQLite): FULL and EXTRA set synchronous_commit on (a commit
    // waits for the WAL flush), NORMAL and OFF set it off (a crash of the server, not of
    // herald-syncd, may lose the last few hundred milliseconds; nothing is corrupted). Also
    // sets lock_timeout (a writer waits at most LockTimeoutMs for a row another node holds)
    // and checks that the server is new enough.
    Result<void> configure(QSqlDatabase &db, const QString &synchronous) const override;
    // By SQLSTATE: integrity violations (class 23) are Conflict; what passes (connection
    // loss, deadlock, serialization failure, lock timeout, shutdown, out of disk or
    // memory) is Unavailable.
    ErrorCode errorCodeFor(const QSqlError &error) const override;
    Result<QStringList> tables(QSqlDatabase &db) const override;
    // The transaction-scoped advisory lock MigrationLockKey, waited for without lock_timeout
    // (another node's migration may take long).
    QStringList migrationLockStatements() const override;
    bool reconnectsAfterError() const override { return true; }

    // The libpq options a URL may carry as ?key=value.
    static const QStringList &connectOptions();
    static constexpr int LockTimeoutMs = 5000;
    static constexpr int MinimumServerVersion = 100000; // 10: identity columns
    // "Herald" and schema lock 1; the same in every herald-syncd that shares a database.
    static constexpr qint64 MigrationLockKey = 0x48657261'6c640001;

private:
    Parameters m_parameters;
};

} // namespace herald::syncd
