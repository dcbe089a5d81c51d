// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/error.h"

#include <QLockFile>
#include <QString>

#include <memory>

namespace herald::syncd {

// One daemon per SQLite file: two would hand out the same notification ids (each keeps its own
// id generator) and answer 409 for valid publishes. The lock is `<database>.lock` (QLockFile:
// pid, host and program inside; a lock left by a process that died, even by SIGKILL, is taken
// over). The command line does not take it: `token create` and friends work next to a running
// daemon. PostgreSQL databases are shared by design and are not locked here.
class DatabaseLock
{
public:
    // Nothing to lock (a PostgreSQL URL, ":memory:"): a null lock and no error.
    // Unavailable, naming the holder, when another process has it.
    static Result<std::unique_ptr<QLockFile>> acquire(const QString &database);
};

} // namespace herald::syncd
