// SPDX-License-Identifier: Apache-2.0
#include "epolleventdispatcher.h"

#include "net/netlog.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QVarLengthArray>

#include <array>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>
#include <set>
#include <unordered_map>
#include <vector>

#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace herald::syncd {

namespace {

constexpr int kNotifierTypes = 3; // QSocketNotifier::Read, Write, Exception
constexpr int kMaxEventsPerWait = 256;

// What each notifier type asks epoll for.
constexpr std::array<uint32_t, kNotifierTypes> kInterest{EPOLLIN, EPOLLOUT, EPOLLPRI};
// What activates it: an error or a hang-up must reach readers and writers alike, or a socket
// that only waits to write would never learn that the peer is gone.
constexpr std::array<uint32_t, kNotifierTypes> kActivatedBy{
    EPOLLIN | EPOLLERR | EPOLLHUP, EPOLLOUT | EPOLLERR | EPOLLHUP, EPOLLPRI};

const char *typeName(int type)
{
    static constexpr std::array<const char *, kNotifierTypes> names{"read", "write", "exception"};
    return names[type];
}

// One notifier to send QEvent::SockAct to, as the kernel reported it.
struct Activation
{
    QSocketNotifier *notifier;
    int fd;
    int type;
    quint64 registration; // which registration of the notifier this came from
};

} // namespace

struct EpollEventDispatcher::Batch
{
    QVarLengthArray<Activation, 64> activations;
    bool wokenUp = false;
    quint64 poll = 0;
};

// The socket notifiers by descriptor, and the epoll set that mirrors them: one registration per
// descriptor that combines what its read, write and exception notifiers wait for.
class EpollEventDispatcher::SocketWatches
{
public:
    explicit SocketWatches(int epollFd) : m_epollFd(epollFd) {}

    void add(QSocketNotifier *notifier)
    {
        const int fd = int(notifier->socket());
        const int type = notifier->type();
        if (fd < 0) {
            qCWarning(lcNet) << "socket notifier without a descriptor ignored";
            return;
        }
        Watch &watch = m_watches[fd];
        if (watch.notifiers[type] && watch.notifiers[type] != notifier)
            qCWarning(lcNet, "several %s notifiers for socket %d; the last one wins",
                      typeName(type), fd);
        const uint32_t before = watch.interest();
        watch.notifiers[type] = notifier;
        watch.registrations[type] = m_nextRegistration++;
        updateKernel(fd, before, watch.interest());
    }

    void remove(QSocketNotifier *notifier)
    {
        const int fd = int(notifier->socket());
        const int type = notifier->type();
        auto it = m_watches.find(fd);
        if (it == m_watches.end() || it->second.notifiers[type] != notifier)
            return; // a notifier replaced by a second one of its type (warned about in add)
        Watch &watch = it->second;
        const uint32_t before = watch.interest();
        watch.notifiers[type] = nullptr;
        watch.registrations[type] = 0;
        const uint32_t after = watch.interest();
        updateKernel(fd, before, after);
        if (after == 0)
            m_watches.erase(it);
    }

    // Appends the notifiers that `events` on `fd` activate, in read, write, exception order.
    void collect(int fd, uint32_t events, QVarLengthArray<Activation, 64> &out) const
    {
        auto it = m_watches.find(fd);
        if (it == m_watches.end())
            return; // closed behind its notifiers' back while its file lives on elsewhere
        const Watch &watch = it->second;
        for (int type = 0; type < kNotifierTypes; ++type) {
            if (watch.notifiers[type] && (events & kActivatedBy[type]))
                out.append({watch.notifiers[type], fd, type, watch.registrations[type]});
        }
    }

    // Whether the activation still names a registered notifier: one activated before it in the
    // same batch may have disabled or deleted it, or closed its descriptor and opened another.
    bool isCurrent(const Activation &activation) const
    {
        auto it = m_watches.find(activation.fd);
        return it != m_watches.end() &&
               it->second.registrations[activation.type] == activation.registration;
    }

private:
    struct Watch
    {
        std::array<QSocketNotifier *, kNotifierTypes> notifiers{};
        std::array<quint64, kNotifierTypes> registrations{}; // unique per process lifetime
        uint32_t interest() const
        {
            uint32_t events = 0;
            for (int type = 0; type < kNotifierTypes; ++type) {
                if (notifiers[type])
                    events |= kInterest[type];
            }
            return events;
        }
    };

    void updateKernel(int fd, uint32_t before, uint32_t after)
    {
        if (before == after)
            return;
        epoll_event event{};
        event.events = after;
        event.data.fd = fd;
        if (after == 0) {
            // EBADF/ENOENT: the descriptor was closed first, which took it out of the set.
            if (epoll_ctl(m_epollFd, EPOLL_CTL_DEL, fd, &event) != 0 && errno != EBADF &&
                errno != ENOENT)
                qCWarning(lcNet, "epoll_ctl(DEL, %d): %s", fd, std::strerror(errno));
            return;
        }
        int operation = before == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
        if (epoll_ctl(m_epollFd, operation, fd, &event) == 0)
            return;
        // A descriptor closed without its notifiers being disabled leaves the set behind our
        // back, and its number can come back before they go: switch operations once.
        if ((operation == EPOLL_CTL_MOD && errno == ENOENT) ||
            (operation == EPOLL_CTL_ADD && errno == EEXIST)) {
            operation = operation == EPOLL_CTL_ADD ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
            if (epoll_ctl(m_epollFd, operation, fd, &event) == 0)
                return;
        }
        // EPERM: a regular file, which epoll cannot watch (and which is always ready).
        qCWarning(lcNet, "cannot watch socket %d: %s", fd, std::strerror(errno));
    }

    int m_epollFd;
    std::unordered_map<int, Watch> m_watches;
    quint64 m_nextRegistration = 1;
};

// The thread's timers by deadline on the steady clock.
class EpollEventDispatcher::TimerQueue
{
public:
    using Clock = std::chrono::steady_clock;

    void add(int id, qint64 intervalMs, Qt::TimerType type, QObject *object)
    {
        remove(id); // Qt never reuses a live id; this keeps the indexes consistent if it did
        const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(intervalMs);
        m_timers.emplace(id, Timer{object, intervalMs, type, deadline, m_nextSerial++, false});
        m_byDeadline.emplace(deadline, id);
        m_byObject.emplace(object, id);
    }

    bool remove(int id)
    {
        auto it = m_timers.find(id);
        if (it == m_timers.end())
            return false;
        m_byDeadline.erase({it->second.deadline, id});
        auto [first, last] = m_byObject.equal_range(it->second.object);
        for (auto entry = first; entry != last; ++entry) {
            if (entry->second == id) {
                m_byObject.erase(entry);
                break;
            }
        }
        m_timers.erase(it);
        return true;
    }

    bool removeAll(QObject *object)
    {
        const QList<int> ids = idsOf(object);
        for (int id : ids)
            remove(id);
        return !ids.isEmpty();
    }

    QList<TimerInfo> timersOf(QObject *object) const
    {
        QList<TimerInfo> infos;
        for (int id : idsOf(object)) {
            const Timer &timer = m_timers.at(id);
            infos.append(TimerInfo(id, int(timer.intervalMs), timer.type));
        }
        return infos;
    }

    int remainingMs(int id) const
    {
        auto it = m_timers.find(id);
        return it == m_timers.end() ? -1 : msUntil(it->second.deadline, Clock::now());
    }

    // How long the thread may sleep before a timer is due; -1 when none is.
    int msUntilNext() const
    {
        for (const auto &[deadline, id] : m_byDeadline) {
            // A timer whose event is being delivered (the receiver runs a nested event loop)
            // cannot fire again until that returns, so it must not cut the sleep short either.
            if (!m_timers.at(id).firing)
                return msUntil(deadline, Clock::now());
        }
        return -1;
    }

    // Sends a QTimerEvent for each timer that is due, earliest first, each at most once. Returns
    // how many had a non-zero interval (zero-interval timers are idle work, not events).
    int fireDue(const std::atomic<bool> &interrupted)
    {
        const Clock::time_point now = Clock::now();
        std::vector<std::pair<int, quint64>> due; // id and serial, as events may change both
        for (const auto &[deadline, id] : m_byDeadline) {
            if (deadline > now)
                break;
            const Timer &timer = m_timers.at(id);
            if (!timer.firing)
                due.emplace_back(id, timer.serial);
        }
        int fired = 0;
        for (const auto &[id, serial] : due) {
            if (interrupted.load(std::memory_order_relaxed))
                break;
            Timer *timer = find(id, serial);
            // Gone, or fired already by a nested event loop of an earlier timer.
            if (!timer || timer->firing || timer->deadline > now)
                continue;
            rearm(id, *timer, now);
            timer->firing = true;
            if (timer->intervalMs > 0)
                ++fired;
            QTimerEvent event(id);
            QCoreApplication::sendEvent(timer->object, &event);
            // The receiver may have killed, restarted or deleted it, and any insertion may have
            // moved it in memory.
            if (Timer *still = find(id, serial))
                still->firing = false;
        }
        return fired;
    }

private:
    struct Timer
    {
        QObject *object;
        qint64 intervalMs;
        Qt::TimerType type;
        Clock::time_point deadline;
        quint64 serial; // tells a timer from a later one that got the same id
        bool firing;
    };

    static int msUntil(Clock::time_point deadline, Clock::time_point now)
    {
        if (deadline <= now)
            return 0;
        // Rounded up: waking a millisecond early would only mean a second, empty wakeup.
        const auto ms = std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count();
        return ms > INT_MAX ? INT_MAX : int(ms);
    }

    Timer *find(int id, quint64 serial)
    {
        auto it = m_timers.find(id);
        return it != m_timers.end() && it->second.serial == serial ? &it->second : nullptr;
    }

    QList<int> idsOf(QObject *object) const
    {
        QList<int> ids;
        auto [first, last] = m_byObject.equal_range(object);
        for (auto entry = first; entry != last; ++entry)
            ids.append(entry->second);
        return ids;
    }

    // The next deadline counts from the one just reached, so a repeating timer does not drift;
    // a timer that fell behind by a whole interval starts again from now instead of firing a
    // burst to catch up.
    void rearm(int id, Timer &timer, Clock::time_point now)
    {
        m_byDeadline.erase({timer.deadline, id});
        const auto interval = std::chrono::milliseconds(timer.intervalMs);
        timer.deadline += interval;
        if (timer.deadline < now)
            timer.deadline = now + interval;
        m_byDeadline.emplace(timer.deadline, id);
    }

    std::unordered_map<int, Timer> m_timers;
    std::set<std::pair<Clock::time_point, int>> m_byDeadline;
    std::unordered_multimap<QObject *, int> m_byObject;
    quint64 m_nextSerial = 1;
};

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent), m_epollFd(epoll_create1(EPOLL_CLOEXEC)),
      m_wakeUpFd(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)),
      m_sockets(std::make_unique<SocketWatches>(m_epollFd)),
      m_timers(std::make_unique<TimerQueue>())
{
    // Without either the thread could not wait for anything: nothing sensible is left to do.
    if (m_epollFd < 0 || m_wakeUpFd < 0)
        qFatal("EpollEventDispatcher: epoll_create1/eventfd failed: %s", std::strerror(errno));
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = m_wakeUpFd;
    if (epoll_ctl(m_epollFd, EPOLL_CTL_ADD, m_wakeUpFd, &event) != 0)
        qFatal("EpollEventDispatcher: cannot watch the wakeup eventfd: %s", std::strerror(errno));
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    ::close(m_wakeUpFd);
    ::close(m_epollFd);
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.store(false, std::memory_order_relaxed);
    QCoreApplication::sendPostedEvents();

    const bool withTimers = !flags.testFlag(QEventLoop::X11ExcludeTimers);
    const bool withSockets = !flags.testFlag(QEventLoop::ExcludeSocketNotifiers);
    // An event posted from here on calls wakeUp(), which ends the wait below at once.
    const bool mayBlock = flags.testFlag(QEventLoop::WaitForMoreEvents) &&
                          !m_interrupted.load(std::memory_order_relaxed);
    if (mayBlock)
        emit aboutToBlock();
    int timeoutMs = 0;
    if (mayBlock)
        timeoutMs = withTimers ? m_timers->msUntilNext() : -1;
    const Batch batch = withSockets ? waitForSockets(timeoutMs) : waitForWakeUp(timeoutMs);
    if (mayBlock)
        emit awake();

    int processed = 0;
    if (batch.wokenUp) {
        ++processed;
        // Deliver what the wakeup was for now, not on the next call: a caller of
        // processEvents(WaitForMoreEvents) waits for exactly this.
        QCoreApplication::sendPostedEvents();
    }
    processed += activate(batch);
    if (withTimers && !m_interrupted.load(std::memory_order_relaxed))
        processed += m_timers->fireDue(m_interrupted);
    return processed > 0;
}

EpollEventDispatcher::Batch EpollEventDispatcher::waitForSockets(int timeoutMs)
{
    std::array<epoll_event, kMaxEventsPerWait> events;
    const int count = epoll_wait(m_epollFd, events.data(), int(events.size()), timeoutMs);
    Batch batch;
    batch.poll = ++m_polls;
    if (count < 0) {
        if (errno != EINTR)
            qCWarning(lcNet, "epoll_wait: %s", std::strerror(errno));
        return batch;
    }
    for (int i = 0; i < count; ++i) {
        if (events[i].data.fd == m_wakeUpFd)
            batch.wokenUp = true;
        else
            m_sockets->collect(events[i].data.fd, events[i].events, batch.activations);
    }
    if (batch.wokenUp)
        consumeWakeUp();
    return batch;
}

// For QEventLoop::ExcludeSocketNotifiers: ready sockets must neither be delivered nor end the
// wait, so only the wakeup descriptor is watched.
EpollEventDispatcher::Batch EpollEventDispatcher::waitForWakeUp(int timeoutMs)
{
    pollfd wakeUp{m_wakeUpFd, POLLIN, 0};
    Batch batch;
    batch.poll = ++m_polls;
    if (::poll(&wakeUp, 1, timeoutMs) > 0 && (wakeUp.revents & POLLIN)) {
        batch.wokenUp = true;
        consumeWakeUp();
    }
    return batch;
}

// Reads the counter before clearing the flag: a wakeUp() that saw the flag still set posted its
// event before this point, so the sendPostedEvents() that follows delivers it.
void EpollEventDispatcher::consumeWakeUp()
{
    eventfd_t count = 0;
    eventfd_read(m_wakeUpFd, &count);
    m_wakeUpPending.store(false, std::memory_order_release);
}

int EpollEventDispatcher::activate(const Batch &batch)
{
    int activated = 0;
    QEvent event(QEvent::SockAct);
    for (const Activation &activation : batch.activations) {
        if (m_interrupted.load(std::memory_order_relaxed) || m_polls != batch.poll)
            break; // what is still ready is reported again by the next epoll_wait
        if (!m_sockets->isCurrent(activation))
            continue;
        QCoreApplication::sendEvent(activation.notifier, &event);
        ++activated;
    }
    return activated;
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    m_sockets->add(notifier);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    m_sockets->remove(notifier);
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject *object)
{
    m_timers->add(timerId, interval, timerType, object);
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    return m_timers->remove(timerId);
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    return m_timers->removeAll(object);
}

QList<QAbstractEventDispatcher::TimerInfo>
EpollEventDispatcher::registeredTimers(QObject *object) const
{
    return m_timers->timersOf(object);
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    return m_timers->remainingMs(timerId);
}

void EpollEventDispatcher::wakeUp()
{
    if (m_wakeUpPending.exchange(true, std::memory_order_acq_rel))
        return; // the eventfd is signalled already and not yet read
    eventfd_write(m_wakeUpFd, 1);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.store(true, std::memory_order_relaxed);
    wakeUp();
}

} // namespace herald::syncd
