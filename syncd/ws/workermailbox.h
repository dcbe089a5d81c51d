// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QMutex>
#include <QObject>

#include <functional>
#include <vector>

namespace herald::syncd {

// Hands work to a worker thread with as few wakeups as possible: letters posted while the
// worker is busy or not yet woken wait in the box and are all read in one wakeup, and the
// worker writes each session's frames of the whole batch at once (see FrameWriter::endBatch).
class WorkerMailbox
{
public:
    using Letter = std::function<void()>;

    explicit WorkerMailbox(QObject *receiver) : m_receiver(receiver) {}

    // Run on the receiver's thread around each batch of letters (set before the first post).
    void setBatchHooks(std::function<void()> begin, std::function<void()> end)
    {
        m_beginBatch = std::move(begin);
        m_endBatch = std::move(end);
    }

    // Any thread. The letter runs on the receiver's thread, in posting order.
    void post(Letter letter)
    {
        bool wake = false;
        {
            QMutexLocker lock(&m_mutex);
            m_letters.push_back(std::move(letter));
            wake = !m_wakeupPending;
            m_wakeupPending = true;
        }
        if (wake)
            QMetaObject::invokeMethod(
                m_receiver, [this] { drain(); }, Qt::QueuedConnection);
    }

    // Like post(), but the receiver is not woken until wakeDeferred(): a poster that makes many
    // letters in one turn of its own event loop wakes each worker once for all of them.
    void postDeferred(Letter letter)
    {
        QMutexLocker lock(&m_mutex);
        m_letters.push_back(std::move(letter));
        m_wakeDeferred = !m_wakeupPending;
    }

    // Wakes the receiver if letters posted with postDeferred() wait and no wakeup is on its way.
    void wakeDeferred()
    {
        {
            QMutexLocker lock(&m_mutex);
            if (!m_wakeDeferred || m_wakeupPending)
                return;
            m_wakeDeferred = false;
            m_wakeupPending = true;
        }
        QMetaObject::invokeMethod(
            m_receiver, [this] { drain(); }, Qt::QueuedConnection);
    }

private:
    void drain()
    {
        std::vector<Letter> letters;
        {
            QMutexLocker lock(&m_mutex);
            letters.swap(m_letters);
            m_wakeupPending = false;
            m_wakeDeferred = false;
        }
        if (m_beginBatch)
            m_beginBatch();
        for (Letter &letter : letters)
            letter();
        if (m_endBatch)
            m_endBatch();
    }

    QObject *m_receiver;
    std::function<void()> m_beginBatch;
    std::function<void()> m_endBatch;
    QMutex m_mutex;
    std::vector<Letter> m_letters;
    bool m_wakeupPending = false;
    bool m_wakeDeferred = false; // letters wait for wakeDeferred()
};

} // namespace herald::syncd
