// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/error.h"

#include <QMutex>
#include <QThread>
#include <QWaitCondition>

#include <deque>
#include <functional>
#include <memory>

namespace herald::syncd {

// Hands the results of committed batches on once the disk has confirmed them (WalSync::sync),
// on a thread of its own, so that the store thread runs the next batch while the disk works.
// One sync serves every batch that waited when it began; batches leave in the order they came.
class SyncedDelivery
{
public:
    // Called on the delivery thread with the outcome of the sync that covers the batch.
    using HandOn = std::function<void(const Result<void> &synced)>;
    using Sync = std::function<Result<void>()>; // runs on the delivery thread

    explicit SyncedDelivery(Sync sync);
    ~SyncedDelivery(); // stopAndDrain()
    SyncedDelivery(const SyncedDelivery &) = delete;
    SyncedDelivery &operator=(const SyncedDelivery &) = delete;

    // After the batch's commit returned. Thread-safe.
    void push(HandOn handOn);
    // Syncs and hands on everything pushed so far, then ends the thread.
    void stopAndDrain();

private:
    void run();

    Sync m_sync;
    std::unique_ptr<QThread> m_thread;
    QMutex m_mutex;
    QWaitCondition m_wake;
    std::deque<HandOn> m_waiting;
    bool m_stopping = false;
};

} // namespace herald::syncd
