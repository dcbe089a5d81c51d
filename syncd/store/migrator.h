// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/error.h"
#include "store/dialect.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <optional>

namespace herald::syncd {

// Brings a database to the schema this binary knows, one version at a time, as Quassel does:
// version N is the resource file <root>/<dialect>/NNNN_what.sql, applied in ONE transaction
// together with the bump of herald_schema.version, so a crash leaves the database at N-1 or N,
// never in between. A database newer than the newest file is refused, never touched.
// Several processes may migrate one database at once: each step first takes the dialect's
// migration lock (SQLite's write lock, PostgreSQL's advisory lock), then looks again.
// Works on a connection it does not own, on the connection's thread.
class Migrator
{
public:
    struct Step
    {
        int version = 0;
        QString path; // resource path of the .sql file
    };

    Migrator(QSqlDatabase &db, const Dialect &dialect,
             QString resourceRoot = QStringLiteral(":/herald/sql"));

    // The dialect's migration files by version. Internal when they are not exactly 1..N
    // (a packaging mistake, not a user error).
    Result<QList<Step>> steps() const;
    Result<int> latestVersion() const;
    // 0 for an empty database. Unavailable for a database that has tables but no
    // herald_schema (not Herald's: better refuse than write into it).
    Result<int> currentVersion() const;
    // Applies every missing version up to `target` (the latest when not given) and returns
    // the version the database is at afterwards. Never goes down. A database newer than the
    // latest file: Unavailable, "database schema version 7 is newer than this herald-syncd
    // (knows up to 1); upgrade herald-syncd". On a failed step: that step is rolled back,
    // the steps before stay, and the error names the file.
    Result<int> migrate(std::optional<int> target = std::nullopt);

    // Splits a script into statements at each ';' outside quotes ('', "") and comments
    // (--, /* */); comments are dropped, empty statements skipped. Not for CREATE TRIGGER
    // (its body has inner semicolons): keep migration files free of triggers.
    static QStringList splitStatements(const QString &sql);

private:
    Result<void> apply(const Step &step);
    Result<void> exec(const QString &statement, const QString &where);

    QSqlDatabase &m_db;
    const Dialect &m_dialect;
    QString m_root;
};

} // namespace herald::syncd
