// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ws/outgoing.h"

#include <QMutex>
#include <QObject>

#include <functional>
#include <variant>
#include <vector>

namespace herald::syncd {

// Hands work to a worker thread with as few wakeups as possible: letters posted while the
// worker is busy or not yet woken wait in the box and are all read in one wakeup, and the
// worker writes each session's frames of the whole batch at once (see FrameWriter::endBatch).
//
// A letter is work to run, or a message for the worker's subscribers. The second kind is one
// per notification and worker, so it is kept without a closure (a closure that holds a
// shared_ptr costs a heap block of its own), and the boxes' buffers are reused from batch to
// batch (docs/PERFORMANCE.md, S2w).
class WorkerMailbox
{
public:
    using Work = std::function<void()>;
    using Letter = std::variant<Work, OutgoingPtr>;

    explicit WorkerMailbox(QObject *receiver) : m_receiver(receiver) {}

    // Run on the receiver's thread around each batch of letters, and for each message posted
    // (set before the first post).
    void setHandlers(std::function<void()> begin, std::function<void()> end,
                     std::function<void(const OutgoingPtr &)> deliver)
    {
        m_beginBatch = std::move(begin);
        m_endBatch = std::move(end);
        m_deliver = std::move(deliver);
    }

    // Any thread. The letter runs (is delivered) on the receiver's thread, in posting order.
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
        // The box read last time comes back empty with its capacity: the posters fill it
        // without growing it. (A letter that drains again gets a new one.)
        std::vector<Letter> letters;
        letters.swap(m_spare);
        {
            QMutexLocker lock(&m_mutex);
            letters.swap(m_letters);
            m_wakeupPending = false;
            m_wakeDeferred = false;
        }
        if (m_beginBatch)
            m_beginBatch();
        for (Letter &letter : letters) {
            if (auto *work = std::get_if<Work>(&letter))
                (*work)();
            else if (m_deliver)
                m_deliver(std::get<OutgoingPtr>(letter));
        }
        if (m_endBatch)
            m_endBatch();
        letters.clear();
        if (letters.capacity() <= MaxKeptLetters) // after a burst, not held for good
            m_spare.swap(letters);
    }

    static constexpr size_t MaxKeptLetters = 4096;

    QObject *m_receiver;
    std::function<void()> m_beginBatch;
    std::function<void()> m_endBatch;
    std::function<void(const OutgoingPtr &)> m_deliver;
    std::vector<Letter> m_spare; // the receiver's
    QMutex m_mutex;
    std::vector<Letter> m_letters;
    bool m_wakeupPending = false;
    bool m_wakeDeferred = false; // letters wait for wakeDeferred()
};

} // namespace herald::syncd
