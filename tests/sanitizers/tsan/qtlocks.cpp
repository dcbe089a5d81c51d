// SPDX-License-Identifier: Apache-2.0
// QWaitCondition, QReadWriteLock and QSemaphore, told to TSan (tests/README.md, "Sanitizers").
//
// QMutex needs nothing: its lock and unlock are inline and annotated for TSan (qtsan_impl.h).
// But QWaitCondition::wait(QMutex *) unlocks and relocks the caller's mutex inside libQt6Core:
// TSan would believe the waiting thread holds the mutex throughout, report the next thread to
// lock it ("double lock of a mutex") and lose every ordering the mutex gives from then on
// (StoreThread's queue). QReadWriteLock and QSemaphore are not annotated at all.
#include "qtsymbols.h"

#include <QDeadlineTimer>
#include <QMutex>
#include <QReadWriteLock>
#include <QSemaphore>
#include <QWaitCondition>

#include <sanitizer/tsan_interface.h>

#include <algorithm>
#include <vector>

using herald::tsan::calledFromExecutable;
using herald::tsan::qtFunction;

namespace {

constexpr unsigned ReadLock = __tsan_mutex_read_lock;
constexpr unsigned TryLock = __tsan_mutex_try_lock;
constexpr unsigned TryLockFailed = __tsan_mutex_try_lock_failed;

// QReadWriteLock::unlock() does not say whether it ends a read or a write lock, and TSan needs
// to know: each thread keeps the read-write locks it took through these definitions.
struct HeldLock
{
    const void *lock;
    bool forRead;
};
thread_local std::vector<HeldLock> heldLocks;

template <typename Take>
bool lockReadWrite(QReadWriteLock *lock, bool forRead, unsigned flags, Take &&take)
{
    const unsigned mode = (forRead ? ReadLock : 0u) | flags;
    __tsan_mutex_pre_lock(lock, mode);
    const bool locked = take();
    __tsan_mutex_post_lock(lock, mode | (locked ? 0u : TryLockFailed), 0);
    if (locked)
        heldLocks.push_back({lock, forRead});
    return locked;
}

} // namespace

bool QWaitCondition::wait(QMutex *lockedMutex, QDeadlineTimer deadline)
{
    using Wait = bool (*)(QWaitCondition *, QMutex *, QDeadlineTimer);
    static const Wait qtWait =
        qtFunction<Wait>("_ZN14QWaitCondition4waitEP6QMutex14QDeadlineTimer");
    if (!calledFromExecutable(__builtin_return_address(0)))
        return qtWait(this, lockedMutex, deadline);
    __tsan_mutex_pre_unlock(lockedMutex, 0);
    __tsan_mutex_post_unlock(lockedMutex, 0);
    const bool woken = qtWait(this, lockedMutex, deadline);
    __tsan_mutex_pre_lock(lockedMutex, 0);
    __tsan_mutex_post_lock(lockedMutex, 0, 0);
    return woken;
}

bool QWaitCondition::wait(QMutex *lockedMutex, unsigned long time)
{
    using Wait = bool (*)(QWaitCondition *, QMutex *, unsigned long);
    static const Wait qtWait = qtFunction<Wait>("_ZN14QWaitCondition4waitEP6QMutexm");
    if (!calledFromExecutable(__builtin_return_address(0)))
        return qtWait(this, lockedMutex, time);
    __tsan_mutex_pre_unlock(lockedMutex, 0);
    __tsan_mutex_post_unlock(lockedMutex, 0);
    const bool woken = qtWait(this, lockedMutex, time);
    __tsan_mutex_pre_lock(lockedMutex, 0);
    __tsan_mutex_post_lock(lockedMutex, 0, 0);
    return woken;
}

void QReadWriteLock::lockForRead()
{
    using Lock = void (*)(QReadWriteLock *);
    static const Lock qtLock = qtFunction<Lock>("_ZN14QReadWriteLock11lockForReadEv");
    if (!calledFromExecutable(__builtin_return_address(0)))
        return qtLock(this);
    lockReadWrite(this, true, 0, [this] {
        qtLock(this);
        return true;
    });
}

bool QReadWriteLock::tryLockForRead()
{
    using Try = bool (*)(QReadWriteLock *);
    static const Try qtTry = qtFunction<Try>("_ZN14QReadWriteLock14tryLockForReadEv");
    if (!calledFromExecutable(__builtin_return_address(0)))
        return qtTry(this);
    return lockReadWrite(this, true, TryLock, [this] { return qtTry(this); });
}

bool QReadWriteLock::tryLockForRead(int timeout)
{
    using Try = bool (*)(QReadWriteLock *, int);
    static const Try qtTry = qtFunction<Try>("_ZN14QReadWriteLock14tryLockForReadEi");
    if (!calledFromExecutable(__builtin_return_address(0)))
        return qtTry(this, timeout);
    return lockReadWrite(this, true, TryLock, [this, timeout] { return qtTry(this, timeout); });
}

void QReadWriteLock::lockForWrite()
{
    using Lock = void (*)(QReadWriteLock *);
    static const Lock qtLock = qtFunction<Lock>("_ZN14QReadWriteLock12lockForWriteEv");
    if (!calledFromExecutable(__builtin_return_address(0)))
        return qtLock(this);
    lockReadWrite(this, false, 0, [this] {
        qtLock(this);
        return true;
    });
}

bool QReadWriteLock::tryLockForWrite()
{
    using Try = bool (*)(QReadWriteLock *);
    static const Try qtTry = qtFunction<Try>("_ZN14QReadWriteLock15tryLockForWriteEv");
    if (!calledFromExecutable(__builtin_return_address(0)))
        return qtTry(this);
    return lockReadWrite(this, false, TryLock, [this] { return qtTry(this); });
}

bool QReadWriteLock::tryLockForWrite(int timeout)
{
    using Try = bool (*)(QReadWriteLock *, int);
    static const Try qtTry = qtFunction<Try>("_ZN14QReadWriteLock15tryLockForWriteEi");
    if (!calledFromExecutable(__builtin_return_address(0)))
        return qtTry(this, timeout);
    return lockReadWrite(this, false, TryLock, [this, timeout] { return qtTry(this, timeout); });
}

void QReadWriteLock::unlock()
{
    using Unlock = void (*)(QReadWriteLock *);
    static const Unlock qtUnlock = qtFunction<Unlock>("_ZN14QReadWriteLock6unlockEv");
    // Annotated when it ends a lock that was annotated, whoever calls.
    const auto held = std::find_if(heldLocks.rbegin(), heldLocks.rend(),
                                   [this](const HeldLock &h) { return h.lock == this; });
    if (held == heldLocks.rend())
        return qtUnlock(this);
    const unsigned mode = held->forRead ? ReadLock : 0u;
    heldLocks.erase(std::next(held).base());
    __tsan_mutex_pre_unlock(this, mode);
    qtUnlock(this);
    __tsan_mutex_post_unlock(this, mode);
}

// A semaphore orders what one thread did before release() before what another does after
// the acquire that takes it.
void QSemaphore::release(int n)
{
    using Release = void (*)(QSemaphore *, int);
    static const Release qtRelease = qtFunction<Release>("_ZN10QSemaphore7releaseEi");
    __tsan_release(this);
    qtRelease(this, n);
}

void QSemaphore::acquire(int n)
{
    using Acquire = void (*)(QSemaphore *, int);
    static const Acquire qtAcquire = qtFunction<Acquire>("_ZN10QSemaphore7acquireEi");
    qtAcquire(this, n);
    __tsan_acquire(this);
}

bool QSemaphore::tryAcquire(int n)
{
    using Try = bool (*)(QSemaphore *, int);
    static const Try qtTry = qtFunction<Try>("_ZN10QSemaphore10tryAcquireEi");
    const bool acquired = qtTry(this, n);
    if (acquired)
        __tsan_acquire(this);
    return acquired;
}

bool QSemaphore::tryAcquire(int n, int timeout)
{
    using Try = bool (*)(QSemaphore *, int, int);
    static const Try qtTry = qtFunction<Try>("_ZN10QSemaphore10tryAcquireEii");
    const bool acquired = qtTry(this, n, timeout);
    if (acquired)
        __tsan_acquire(this);
    return acquired;
}
