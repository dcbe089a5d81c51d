// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QHash>
#include <QObject>
#include <QTimer>

namespace herald::syncd {

class AccountService;
class StoreThread;

// Finds token revocations that did not go through this daemon's API (the command line, another
// daemon on a shared PostgreSQL database) and applies them through AccountService, so their
// sessions close within a poll interval. It reads the store's token_revocations table: one
// small indexed query per interval, and an occasional purge of old rows. Front thread.
class TokenRevocationWatcher : public QObject
{
    Q_OBJECT
public:
    static constexpr int PollIntervalMs = 250;
    // How far back each poll looks: longer than any transaction that records a revocation
    // (PostgreSQL may commit sequence numbers out of order, so a "seq > last" cursor could
    // skip one).
    static constexpr qint64 WindowMs = 60'000;
    static constexpr qint64 KeepRowsMs = 3'600'000;

    TokenRevocationWatcher(StoreThread &store, AccountService &accounts, QObject *parent = nullptr);

    void start();

private:
    void poll();

    StoreThread &m_store;
    AccountService &m_accounts;
    QTimer m_timer;
    bool m_polling = false;
    int m_pollsSincePurge = 0;
    QHash<qint64, qint64> m_seen; // seq -> when first seen (ms), forgotten after 2 windows
};

} // namespace herald::syncd
