// SPDX-License-Identifier: Apache-2.0
#include "store/synceddelivery.h"

#include "store/storelog.h"

using namespace Qt::StringLiterals;

namespace herald::syncd {

SyncedDelivery::SyncedDelivery(const SyncFactory &makeSync, int threads)
{
    for (int i = 0; i < std::max(1, threads); ++i) {
        m_threads.emplace_back(QThread::create([this, sync = makeSync()] { run(sync); }));
        m_threads.back()->setObjectName(u"herald-sync"_s);
        m_threads.back()->start();
    }
}

SyncedDelivery::~SyncedDelivery()
{
    stopAndDrain();
}

void SyncedDelivery::push(HandOn handOn)
{
    QMutexLocker lock(&m_mutex);
    m_waiting.push_back({++m_pushed, std::move(handOn)});
    m_wake.wakeOne();
}

void SyncedDelivery::stopAndDrain()
{
    {
        QMutexLocker lock(&m_mutex);
        m_stopping = true;
        m_wake.wakeAll();
    }
    for (const auto &thread : m_threads)
        thread->wait();
}

void SyncedDelivery::run(const Sync &sync)
{
    for (;;) {
        quint64 covers = 0;
        {
            QMutexLocker lock(&m_mutex);
            while (m_covered == m_pushed && !m_stopping)
                m_wake.wait(&m_mutex);
            if (m_covered == m_pushed)
                return; // stopping; what others' syncs cover, they hand on
            // Every batch pushed so far was committed before this sync begins.
            covers = m_pushed;
            m_covered = covers;
        }
        const Result<void> synced = sync();
        if (!synced)
            qCCritical(lcStore).noquote() << synced.error().message;
        handOnUpTo(covers, synced);
    }
}

void SyncedDelivery::handOnUpTo(quint64 covered, const Result<void> &synced)
{
    // A later sync may have ended first and handed these on already.
    QMutexLocker handing(&m_handing);
    std::deque<Waiting> ready;
    {
        QMutexLocker lock(&m_mutex);
        while (!m_waiting.empty() && m_waiting.front().number <= covered) {
            ready.push_back(std::move(m_waiting.front()));
            m_waiting.pop_front();
        }
    }
    for (Waiting &batch : ready)
        batch.handOn(synced);
}

} // namespace herald::syncd
