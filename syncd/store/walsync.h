// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/error.h"

#include <QString>

#include <memory>

namespace herald::syncd {

// What SQLite's synchronous=FULL does at each commit in WAL mode (an fdatasync of the
// write-ahead log), done by the caller instead, on another thread: the connection commits at
// NORMAL, which writes the WAL and syncs it only at checkpoints, and whoever must not answer
// before the rows are on disk calls sync() after the commit. A sync covers every commit that
// returned before it began. StoreThread uses it so that the next batch runs while the disk
// confirms the last one.
//
// Linux only (fdatasync); elsewhere SqliteDialect keeps FULL.
class WalSync
{
public:
    // For the database file `databasePath` (which exists, in WAL mode).
    explicit WalSync(QString databasePath);
    ~WalSync();
    WalSync(const WalSync &) = delete;
    WalSync &operator=(const WalSync &) = delete;

    static bool isSupported();
    QString databasePath() const { return m_databasePath; }

    // Thread-safe against the connection's writes (the kernel orders them); not against
    // itself: one thread calls it. Unavailable when the log cannot be opened or synced.
    Result<void> sync();

private:
    Result<void> openLog();

    QString m_databasePath;
    QString m_logPath;
    int m_fd = -1;
};

} // namespace herald::syncd
