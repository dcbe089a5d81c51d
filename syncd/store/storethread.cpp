// SPDX-License-Identifier: Apache-2.0
#include "store/storethread.h"

#include "store/storelog.h"
#include "store/walsync.h"

#include <exception>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {
const QString OperationSavepoint = u"herald_op"_s;
// Syncs of the write-ahead log in flight at once (SyncedDelivery): with a second one, a batch
// committed during a sync no longer waits for it to end; a third measured no better
// (docs/PERFORMANCE.md, "S4, round 4").
constexpr int SyncThreads = 2;
} // namespace

Result<std::unique_ptr<StoreThread>> StoreThread::start(StoreFactory open)
{
    std::unique_ptr<StoreThread> thread(new StoreThread(std::move(open)));
    std::future<Result<void>> opened = thread->m_opened.get_future();
    thread->QThread::start();
    Result<void> outcome = opened.get();
    if (!outcome) {
        thread->wait(); // run() has returned already or is about to
        return tl::unexpected(outcome.error());
    }
    return thread;
}

Result<std::unique_ptr<StoreThread>> StoreThread::start(const QString &database,
                                                        const StoreOptions &options)
{
    return start([database, options] { return SqlStore::open(database, options); });
}

StoreThread::StoreThread(StoreFactory open) : m_open(std::move(open))
{
    setObjectName(u"herald-store"_s);
}

StoreThread::~StoreThread()
{
    stopAndDrain();
}

void StoreThread::enqueue(Operation operation)
{
    {
        QMutexLocker lock(&m_mutex);
        if (!m_stopping) {
            m_queue.push_back(std::move(operation));
            m_wake.wakeOne();
            return;
        }
    }
    operation.failByCommit(Error{ErrorCode::Unavailable, u"store: shutting down"_s});
    QMetaObject::invokeMethod(operation.context, std::move(operation.deliver),
                              Qt::QueuedConnection);
}

void StoreThread::stopAndDrain()
{
    {
        QMutexLocker lock(&m_mutex);
        m_stopping = true;
        m_wake.wakeOne();
    }
    wait();
}

quint64 StoreThread::batchesCommitted() const
{
    QMutexLocker lock(&m_mutex);
    return m_batches;
}

quint64 StoreThread::operationsCommitted() const
{
    QMutexLocker lock(&m_mutex);
    return m_operations;
}

void StoreThread::run()
{
    auto opened = m_open();
    m_open = nullptr;
    if (!opened) {
        m_opened.set_value(tl::unexpected(opened.error()));
        return;
    }
    m_store = std::move(*opened);
    auto walSync = m_store->deferFullSync();
    if (!walSync) {
        m_opened.set_value(tl::unexpected(walSync.error()));
        m_store.reset();
        return;
    }
    if (*walSync) {
        m_store->holdCommittedRelayRecords(true);
        // Each delivery thread syncs through a descriptor of its own: a failed sync then
        // reports to every thread that synced across it, and none closes another's.
        const QString path = (*walSync)->databasePath();
        walSync->reset();
        m_synced = std::make_unique<SyncedDelivery>(
            [path]() -> SyncedDelivery::Sync {
                auto log = std::make_shared<WalSync>(path);
                return [log] { return log->sync(); };
            },
            SyncThreads);
    }
    m_databaseName = m_store->dialect().displayName();
    m_opened.set_value({});

    for (;;) {
        std::deque<Operation> batch;
        {
            QMutexLocker lock(&m_mutex);
            while (m_queue.empty() && !m_stopping)
                m_wake.wait(&m_mutex);
            if (m_queue.empty())
                break; // stopping, and everything queued is done
            // Bounded batches: one fsync still serves hundreds of requests, and the first of
            // a burst does not wait for the commit of the whole burst.
            if (m_queue.size() <= MaxBatch) {
                batch.swap(m_queue);
            } else {
                auto end = m_queue.begin() + MaxBatch;
                std::move(m_queue.begin(), end, std::back_inserter(batch));
                m_queue.erase(m_queue.begin(), end);
            }
        }
        runBatch(batch);
    }
    if (m_synced)
        m_synced->stopAndDrain(); // every result is posted before stopAndDrain() returns
    m_synced.reset();
    m_store.reset(); // the connection is removed on the thread that made it
}

void StoreThread::runBatch(std::deque<Operation> &batch)
{
    SqlStore &store = *m_store;
    quint64 succeeded = 0;
    auto done = store.begin();
    if (done) {
        for (Operation &operation : batch) {
            if (auto saved = store.savepoint(OperationSavepoint); !saved) {
                operation.failByCommit(saved.error());
                continue;
            }
            bool keep = false;
            try {
                keep = operation.run(store);
            } catch (const std::exception &e) {
                // Never let an exception end the store thread; it fails this operation only.
                qCCritical(lcStore) << "a store operation threw:" << e.what();
                operation.failByCommit(Error::internal(u"store: the operation failed"_s));
            } catch (...) {
                qCCritical(lcStore) << "a store operation threw";
                operation.failByCommit(Error::internal(u"store: the operation failed"_s));
            }
            if (keep) {
                if (auto released = store.releaseSavepoint(OperationSavepoint); !released) {
                    store.rollbackToSavepoint(OperationSavepoint);
                    operation.failByCommit(released.error());
                    continue;
                }
                ++succeeded;
            } else {
                store.rollbackToSavepoint(OperationSavepoint);
            }
        }
        done = store.commit();
        if (!done)
            store.rollback();
    }
    if (!done) {
        qCWarning(lcStore) << "a batch of" << batch.size()
                           << "operations failed:" << done.error().message;
        for (Operation &operation : batch)
            operation.failByCommit(done.error());
    } else {
        QMutexLocker lock(&m_mutex);
        ++m_batches;
        m_operations += succeeded;
    }
    // Only with the rows durable does any caller hear of its result.
    if (!m_synced) {
        deliver(batch);
        return;
    }
    // The batch's results, and whatever they read that earlier batches wrote, wait for the
    // next sync of the log, while this thread goes on with the next batch.
    auto waiting = std::make_shared<std::deque<Operation>>(std::move(batch));
    m_synced->push([waiting, relay = store.takeCommittedRelayRecords(),
                    committed = done.has_value()](const Result<void> &synced) {
        if (synced)
            relay.handOn();
        for (Operation &operation : *waiting) {
            if (committed && !synced)
                operation.failByCommit(synced.error());
        }
        deliver(*waiting);
    });
}

void StoreThread::deliver(std::deque<Operation> &batch)
{
    for (Operation &operation : batch) {
        QMetaObject::invokeMethod(operation.context, std::move(operation.deliver),
                                  Qt::QueuedConnection);
    }
}

} // namespace herald::syncd
