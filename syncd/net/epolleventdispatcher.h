// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QAbstractEventDispatcher>

#include <atomic>
#include <memory>

namespace herald::syncd {

// An event dispatcher for the WebSocket worker threads (Linux only). Qt's own dispatchers poll
// every socket notifier of the thread on each wakeup, so a wakeup costs more with every open
// connection; with epoll the kernel hands back only the sockets that are ready, and a wakeup
// costs the same with 500 or 50,000 idle connections.
//
// Install it with QThread::setEventDispatcher() before the thread starts. wakeUp() and
// interrupt() may be called from any thread; everything else runs on the dispatcher's thread,
// as Qt guarantees. Socket notifiers are level-triggered, like Qt's. Timers keep millisecond
// precision for every Qt::TimerType (coarse ones are not coalesced).
class EpollEventDispatcher : public QAbstractEventDispatcher
{
    Q_OBJECT
public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    // Sends the posted events, then waits (with QEventLoop::WaitForMoreEvents) until a socket is
    // ready, a timer is due or wakeUp() is called, and delivers what is ready. True when a socket
    // notifier, a timer with a non-zero interval or a wakeup was processed.
    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    using QAbstractEventDispatcher::registerTimer;
    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                       QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override; // ms, -1 for an unknown timer

    void wakeUp() override;    // any thread; several calls before a wakeup cost one
    void interrupt() override; // any thread; the current processEvents() returns soon

private:
    class SocketWatches;
    class TimerQueue;
    struct Batch;

    Batch waitForSockets(int timeoutMs);
    Batch waitForWakeUp(int timeoutMs);
    void consumeWakeUp();
    int activate(const Batch &batch);

    int m_epollFd = -1;
    int m_wakeUpFd = -1;
    std::unique_ptr<SocketWatches> m_sockets;
    std::unique_ptr<TimerQueue> m_timers;
    std::atomic<bool> m_wakeUpPending{false};
    std::atomic<bool> m_interrupted{false};
    // Counts epoll_wait calls: when a notifier runs a nested event loop, the rest of the outer
    // batch may be stale (level-triggered, so what is still ready comes back in the next one).
    quint64 m_polls = 0;
};

} // namespace herald::syncd
