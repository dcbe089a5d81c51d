#pragma once

#include <QMutex>
#include <QObject>

#include <functional>
#include <vector>

namespace herald::syncd {

// Hands work to a worker thread with as few wakeups as possible: letters posted while the
// worker is busy or not yet woken wait in the box and are all read in one wakeup. Each wakeup
// of a Qt event loop polls every socket that loop watches, so under load this turns one poll
// per notification into one poll per batch.
class WorkerMailbox
{
public:
    using Letter = std::function<void()>;

    explicit WorkerMailbox(QObject *receiver) : m_receiver(receiver) {}

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

private:
    void drain()
    {
        std::vector<Letter> letters;
        {
            QMutexLocker lock(&m_mutex);
            letters.swap(m_letters);
            m_wakeupPending = false;
        }
        for (Letter &letter : letters)
            letter();
    }

    QObject *m_receiver;
    QMutex m_mutex;
    std::vector<Letter> m_letters;
    bool m_wakeupPending = false;
};

} // namespace herald::syncd
