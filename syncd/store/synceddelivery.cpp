// SPDX-License-Identifier: Apache-2.0
#include "store/synceddelivery.h"

#include "store/storelog.h"

using namespace Qt::StringLiterals;

namespace herald::syncd {

SyncedDelivery::SyncedDelivery(Sync sync) : m_sync(std::move(sync))
{
    m_thread.reset(QThread::create([this] { run(); }));
    m_thread->setObjectName(u"herald-sync"_s);
    m_thread->start();
}

SyncedDelivery::~SyncedDelivery()
{
    stopAndDrain();
}

void SyncedDelivery::push(HandOn handOn)
{
    QMutexLocker lock(&m_mutex);
    m_waiting.push_back(std::move(handOn));
    m_wake.wakeOne();
}

void SyncedDelivery::stopAndDrain()
{
    {
        QMutexLocker lock(&m_mutex);
        m_stopping = true;
        m_wake.wakeOne();
    }
    m_thread->wait();
}

void SyncedDelivery::run()
{
    for (;;) {
        std::deque<HandOn> batches;
        {
            QMutexLocker lock(&m_mutex);
            while (m_waiting.empty() && !m_stopping)
                m_wake.wait(&m_mutex);
            if (m_waiting.empty())
                return; // stopping, and everything is handed on
            batches.swap(m_waiting);
        }
        // Every batch taken was committed before this sync begins, so it covers them all.
        const Result<void> synced = m_sync();
        if (!synced)
            qCCritical(lcStore).noquote() << synced.error().message;
        for (HandOn &handOn : batches)
            handOn(synced);
    }
}

} // namespace herald::syncd
