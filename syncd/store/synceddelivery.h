// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/error.h"

#include <QMutex>
#include <QThread>
#include <QWaitCondition>

#include <deque>
#include <functional>
#include <memory>
#include <vector>

namespace herald::syncd {

// Hands the results of committed batches on once the disk has confirmed them (WalSync::sync),
// on threads of their own, so that the store thread runs the next batch while the disk works.
// A sync serves every batch pushed before it began. With more than one thread, a batch
// committed while a sync runs starts its own sync at once instead of waiting for that one to
// end (disks take several flushes at a time): its answer waits for one sync, not one and a
// half. Batches leave in the order they came, whichever sync ends first.
class SyncedDelivery
{
public:
    // Called on a delivery thread with the outcome of the sync that covers the batch.
    using HandOn = std::function<void(const Result<void> &synced)>;
    using Sync = std::function<Result<void>()>;
    // Makes each delivery thread's own Sync (one thread calls it).
    using SyncFactory = std::function<Sync()>;

    explicit SyncedDelivery(const SyncFactory &makeSync, int threads = 1);
    ~SyncedDelivery(); // stopAndDrain()
    SyncedDelivery(const SyncedDelivery &) = delete;
    SyncedDelivery &operator=(const SyncedDelivery &) = delete;

    // After the batch's commit returned. Thread-safe.
    void push(HandOn handOn);
    // Syncs and hands on everything pushed so far, then ends the threads.
    void stopAndDrain();

private:
    struct Waiting
    {
        quint64 number; // 1, 2, ... in the order pushed
        HandOn handOn;
    };

    void run(const Sync &sync);
    void handOnUpTo(quint64 covered, const Result<void> &synced);

    std::vector<std::unique_ptr<QThread>> m_threads;
    QMutex m_mutex; // guards the rest but m_handing
    QWaitCondition m_wake;
    std::deque<Waiting> m_waiting;
    quint64 m_pushed = 0;  // batches pushed so far
    quint64 m_covered = 0; // of them, those a sync that has begun covers
    bool m_stopping = false;
    QMutex m_handing; // one thread hands on at a time, so that batches keep their order
};

} // namespace herald::syncd
