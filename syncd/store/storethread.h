// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/error.h"
#include "store/sqlstore.h"
#include "store/synceddelivery.h"

#include <QMutex>
#include <QObject>
#include <QThread>
#include <QWaitCondition>

#include <deque>
#include <functional>
#include <future>
#include <memory>

namespace herald::syncd {

// Runs a SqlStore on a thread of its own with group commit: operations submitted from any
// thread queue up; the thread takes everything queued, runs it in submission order inside ONE
// transaction (each operation in its own savepoint, so a failing one changes nothing and does
// not affect the others), commits once, and only then delivers every result. With
// synchronous=FULL that is one fsync for all the rows of concurrent requests, and no caller
// hears of success before its row is durable. A failed commit fails every operation of the
// batch.
//
// On SQLite in WAL mode (Linux) the fsync is not the commit's: the connection commits at
// NORMAL and SyncedDelivery syncs the log on a second thread, delivering the batch's results
// and handing on its relay records only then, while this thread already runs the next batch.
// A result may have read rows of earlier batches; the sync that releases it covers those too.
// A sync that fails fails the batch's operations (their rows may or may not survive).
class StoreThread : public QThread
{
    Q_OBJECT
public:
    using StoreFactory = std::function<Result<std::unique_ptr<SqlStore>>()>;

    // Starts the thread, which calls `open` and keeps the store it returns (a QSqlDatabase
    // connection belongs to the thread that opened it, so the store is made there). Returns
    // once the store is open, or open's error with no thread left running.
    static Result<std::unique_ptr<StoreThread>> start(StoreFactory open);
    // The same with SqlStore::open(database, options).
    static Result<std::unique_ptr<StoreThread>> start(const QString &database,
                                                      const StoreOptions &options = {});
    ~StoreThread() override; // stops and drains

    // Runs `op` on the store thread; `done` runs in `context`'s thread after the commit that
    // holds op (or with op's error). `context` must outlive the StoreThread (use a long-lived
    // object; check per-request liveness inside `done`). Thread-safe.
    template <typename T>
    void submit(std::function<Result<T>(SqlStore &)> op, QObject *context,
                std::function<void(Result<T>)> done)
    {
        auto result = std::make_shared<Result<T>>(fail(ErrorCode::Internal, QString()));
        enqueue(
            Operation{[op = std::move(op), result](SqlStore &store) {
                          *result = op(store);
                          return result->has_value();
                      },
                      [result](const Error &commitError) { *result = tl::unexpected(commitError); },
                      context, [done = std::move(done), result]() { done(std::move(*result)); }});
    }

    // Stops taking new work, finishes and commits what is queued, ends the thread (the store
    // is closed on it). The results of that work are already posted to their contexts when
    // this returns. Work submitted afterwards fails with Unavailable. Not from the store
    // thread itself (an operation must not call it).
    void stopAndDrain();

    // The database as logs may show it (Dialect::displayName(): never a password). Set
    // once start() has returned; thread-safe.
    QString databaseName() const { return m_databaseName; }

    quint64 batchesCommitted() const;    // transactions committed
    quint64 operationsCommitted() const; // successful operations in them

protected:
    void run() override;

private:
    explicit StoreThread(StoreFactory open);

    struct Operation
    {
        std::function<bool(SqlStore &)> run;             // true: keep (release savepoint)
        std::function<void(const Error &)> failByCommit; // the batch's commit failed
        QObject *context;
        std::function<void()> deliver;
    };
    void enqueue(Operation operation);
    void runBatch(std::deque<Operation> &batch);
    static void deliver(std::deque<Operation> &batch); // posts each result to its context

    StoreFactory m_open;                          // used once, on the thread
    std::promise<Result<void>> m_opened;          // open's outcome, for start()
    static constexpr std::size_t MaxBatch = 1000; // operations per transaction
    std::unique_ptr<SqlStore> m_store;            // lives and dies on the thread
    std::unique_ptr<SyncedDelivery> m_synced;     // with WalSync: results wait for its sync
    QString m_databaseName;                       // written before m_opened is set, then constant
    mutable QMutex m_mutex;
    QWaitCondition m_wake;
    std::deque<Operation> m_queue;
    bool m_stopping = false;
    quint64 m_batches = 0;
    quint64 m_operations = 0;
};

} // namespace herald::syncd
