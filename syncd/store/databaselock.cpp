// SPDX-License-Identifier: Apache-2.0
#include "store/databaselock.h"

using namespace Qt::StringLiterals;

namespace herald::syncd {

Result<std::unique_ptr<QLockFile>> DatabaseLock::acquire(const QString &database)
{
    if (database.contains(u"://"_s) || database.isEmpty() || database == u":memory:"_s)
        return std::unique_ptr<QLockFile>();
    auto lock = std::make_unique<QLockFile>(database + u".lock"_s);
    // A live holder keeps it however old; only a dead holder's lock is taken over.
    lock->setStaleLockTime(0);
    if (lock->tryLock(0))
        return lock;
    if (lock->error() == QLockFile::LockFailedError) {
        qint64 pid = 0;
        QString host;
        QString program;
        if (lock->getLockInfo(&pid, &host, &program)) {
            return fail(ErrorCode::Unavailable,
                        u"database: %1 is in use by %2 (pid %3 on %4); one daemon per SQLite "
                        "file (use PostgreSQL to share a database between nodes)"_s.arg(
                            database, program, QString::number(pid), host));
        }
        return fail(
            ErrorCode::Unavailable,
            u"database: %1 is locked by another process (%2.lock)"_s.arg(database, database));
    }
    return fail(ErrorCode::Unavailable,
                u"database: cannot create the lock file %1.lock (permissions?)"_s.arg(database));
}

} // namespace herald::syncd
