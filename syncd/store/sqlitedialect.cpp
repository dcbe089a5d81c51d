// SPDX-License-Identifier: Apache-2.0
#include "store/sqlitedialect.h"

#include "store/storelog.h"
#include "store/walsync.h"

#include <QDeadlineTimer>
#include <QSqlError>
#include <QThread>

using namespace Qt::StringLiterals;

namespace herald::syncd {

void SqliteDialect::setConnectionParameters(QSqlDatabase &db) const
{
    db.setDatabaseName(m_path);
}

ErrorCode SqliteDialect::errorCodeFor(const QSqlError &error) const
{
    // QSQLITE reports SQLite's primary result code.
    const std::optional<ErrorCode> code = errorCodeForResult(error.nativeErrorCode().toInt());
    return code ? *code : Dialect::errorCodeFor(error);
}

std::optional<ErrorCode> SqliteDialect::errorCodeForResult(int primaryResult)
{
    switch (primaryResult) {
    case 5:  // SQLITE_BUSY: busy_timeout passed
    case 6:  // SQLITE_LOCKED
    case 7:  // SQLITE_NOMEM
    case 8:  // SQLITE_READONLY
    case 10: // SQLITE_IOERR
    case 13: // SQLITE_FULL
    case 14: // SQLITE_CANTOPEN
        return ErrorCode::Unavailable;
    case 19: // SQLITE_CONSTRAINT
        return ErrorCode::Conflict;
    default:
        return std::nullopt;
    }
}

Result<void> SqliteDialect::configure(QSqlDatabase &db, const QString &synchronous) const
{
    // PRAGMA values cannot be bound, so only these words ever reach the statement.
    const QString level = synchronous.trimmed().toUpper();
    static const QStringList levels = {u"FULL"_s, u"NORMAL"_s, u"OFF"_s, u"EXTRA"_s};
    if (!levels.contains(level)) {
        return fail(ErrorCode::BadRequest,
                    u"synchronous: '%1' is not one of FULL, NORMAL, OFF, EXTRA"_s.arg(synchronous));
    }

    // First of all: switching to WAL needs an exclusive lock, and another process opening
    // the same new file at the same moment must make this one wait, not fail.
    if (auto waits = queryValue(db, u"PRAGMA busy_timeout = %1"_s.arg(BusyTimeoutMs)); !waits)
        return tl::unexpected(waits.error());
    // SQLite does not wait on busy_timeout here when it would have to upgrade a lock it holds
    // (another process migrating the same new file): try again until the timeout passes.
    QDeadlineTimer patience(BusyTimeoutMs);
    auto mode = queryValue(db, u"PRAGMA journal_mode = WAL"_s);
    while (!mode && mode.error().message.contains(u"locked"_s) && !patience.hasExpired()) {
        QThread::msleep(20);
        mode = queryValue(db, u"PRAGMA journal_mode = WAL"_s);
    }
    if (!mode)
        return tl::unexpected(mode.error());
    // An in-memory database answers "memory"; anything else means WAL is not available there.
    if (mode->compare(u"wal"_s, Qt::CaseInsensitive) != 0 && *mode != u"memory")
        qCWarning(lcStore) << "database" << m_path << "runs in journal mode" << *mode
                           << "instead of WAL";

    // temp_store: the savepoint of every operation in a group commit keeps a statement
    // journal; on disk it spilled to a temporary file in every transaction (docs/
    // PERFORMANCE.md, S8). In memory it lives only as long as the transaction.
    const QStringList statements = {u"PRAGMA synchronous = "_s + level,
                                    u"PRAGMA foreign_keys = ON"_s, u"PRAGMA temp_store = MEMORY"_s};
    for (const QString &statement : statements) {
        if (auto done = queryValue(db, statement); !done)
            return tl::unexpected(done.error());
    }

    // foreign_keys is silently ignored inside a transaction or by a build without it.
    auto foreignKeys = queryValue(db, u"PRAGMA foreign_keys"_s);
    if (!foreignKeys)
        return tl::unexpected(foreignKeys.error());
    if (*foreignKeys != u"1")
        return fail(ErrorCode::Unavailable, u"database: SQLite refused to enforce foreign keys"_s);
    return {};
}

Result<std::unique_ptr<WalSync>> SqliteDialect::deferFullSync(QSqlDatabase &db) const
{
    const bool inMemory = m_path.isEmpty() || m_path == u":memory:" || m_path.startsWith(u"file:");
    if (!WalSync::isSupported() || inMemory)
        return std::unique_ptr<WalSync>();
    // In any other journal mode NORMAL could lose more than the last commits at a power cut.
    auto mode = queryValue(db, u"PRAGMA journal_mode"_s);
    if (!mode)
        return tl::unexpected(mode.error());
    auto level = queryValue(db, u"PRAGMA synchronous"_s);
    if (!level)
        return tl::unexpected(level.error());
    if (mode->compare(u"wal"_s, Qt::CaseInsensitive) != 0 || *level != u"2") // 2: FULL
        return std::unique_ptr<WalSync>();
    if (auto normal = queryValue(db, u"PRAGMA synchronous = NORMAL"_s); !normal)
        return tl::unexpected(normal.error());
    return std::make_unique<WalSync>(m_path);
}

} // namespace herald::syncd
