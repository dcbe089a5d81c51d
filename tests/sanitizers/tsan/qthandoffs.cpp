// SPDX-License-Identifier: Apache-2.0
// Queued calls and the end of a QThread, told to TSan (tests/README.md, "Sanitizers").
//
// A queued call (QMetaObject::invokeMethod to an object of another thread) crosses threads
// through Qt's event queue, and QThread::wait() learns that the thread has ended from a flag;
// both are guarded by mutexes inside libQt6Core that TSan does not see. Without these, what a
// caller wrote before a queued call would look unordered with what the call reads, and what a
// thread did before it ended with what its waiter does after wait().
#include "qtsymbols.h"

#include <QCoreApplication>
#include <QMetaObject>
#include <QThread>
#include <QVariant>

#include <sanitizer/tsan_interface.h>

using herald::tsan::calledFromExecutable;
using herald::tsan::qtFunction;

namespace {

// Wraps a queued call's slot object: the caller releases it when it hands the call over, the
// thread that runs the call acquires it first and releases it after, and whichever thread
// drops the last reference (Qt counts them inside libQt6Core) acquires it before the call and
// what it captured are destroyed.
class HandOff final : public QtPrivate::QSlotObjectBase
{
public:
    explicit HandOff(QtPrivate::QSlotObjectBase *call) : QSlotObjectBase(&run), m_call(call)
    {
        __tsan_release(this);
    }

private:
    static void run(int which, QSlotObjectBase *self, QObject *receiver, void **args, bool *ret)
    {
        auto *handOff = static_cast<HandOff *>(self);
        __tsan_acquire(handOff);
        switch (which) {
        case Destroy:
            handOff->m_call->destroyIfLastRef();
            delete handOff;
            break;
        case Call:
            handOff->m_call->call(receiver, args);
            __tsan_release(handOff);
            break;
        case Compare:
            *ret = handOff->m_call->compare(args);
            break;
        }
    }

    QtPrivate::QSlotObjectBase *m_call;
};

const char *const EndedProperty = "_herald_tsan_end_released";

} // namespace

bool QMetaObject::invokeMethodImpl(QObject *object, QtPrivate::QSlotObjectBase *slot,
                                   Qt::ConnectionType type, void *ret)
{
    using Invoke = bool (*)(QObject *, QtPrivate::QSlotObjectBase *, Qt::ConnectionType, void *);
    static const Invoke qtInvoke =
        qtFunction<Invoke>("_ZN11QMetaObject16invokeMethodImplEP7QObjectPN9QtPrivate15QSlotObjectBa"
                           "seEN2Qt14ConnectionTypeEPv");
    return qtInvoke(object, new HandOff(slot), type, ret);
}

// The thread releases itself as its last act that Herald's code can see: when it emits
// finished(), after the deferred deletes that Qt would run right after (a worker deleted with
// its thread); wait() acquires it once the thread has ended.
void QThread::start(Priority priority)
{
    using Start = void (*)(QThread *, Priority);
    static const Start qtStart = qtFunction<Start>("_ZN7QThread5startENS_8PriorityE");
    if (calledFromExecutable(__builtin_return_address(0)) && !property(EndedProperty).toBool()) {
        setProperty(EndedProperty, true);
        connect(
            this, &QThread::finished, this,
            [this] {
                QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
                __tsan_release(this);
            },
            Qt::DirectConnection);
    }
    qtStart(this, priority);
}

bool QThread::wait(QDeadlineTimer deadline)
{
    using Wait = bool (*)(QThread *, QDeadlineTimer);
    static const Wait qtWait = qtFunction<Wait>("_ZN7QThread4waitE14QDeadlineTimer");
    const bool ended = qtWait(this, deadline);
    if (ended)
        __tsan_acquire(this);
    return ended;
}
