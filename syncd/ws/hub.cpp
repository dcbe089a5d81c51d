// SPDX-License-Identifier: Apache-2.0
#include "hub.h"

#include "core/arrivallog.h"
#include "ws/sessionquota.h"
#include "ws/wsworker.h"

#include <QPointer>

#include <memory>

#include <unistd.h>

namespace herald::syncd {

Hub::Hub(const SessionQuota &quota, ArrivalLog &arrivals) : m_quota(quota), m_arrivals(arrivals) {}

void Hub::stop()
{
    // Letters of this turn first, so that they run before the workers close their sessions.
    if (m_endOfTurn.onItsThread())
        wakeWorkersAtEndOfTurn();
    m_stopped = true;
    for (WsWorker *worker : m_workers) {
        QMetaObject::invokeMethod(
            worker,
            [worker] { worker->closeAllAndQuit(1001, QStringLiteral("server shutting down")); },
            Qt::QueuedConnection);
    }
}

void Hub::deliverToChannel(const OutgoingPtr &outgoing, Wake wake)
{
    if (m_stopped)
        return;
    // Off the hub's thread there is no end of turn to wait for.
    const bool atEndOfTurn = wake == Wake::AtEndOfTurn && m_endOfTurn.onItsThread();
    const WorkerInterest::Workers workers = m_channelInterest.workersFor(outgoing->channelKey());
    if (workers == 0)
        return;
    forEachOf(workers, [&outgoing, atEndOfTurn](WsWorker *worker) {
        if (atEndOfTurn)
            worker->mailbox().postDeferred(outgoing);
        else
            worker->mailbox().post(outgoing);
    });
    if (atEndOfTurn)
        m_endOfTurn.request();
}

template <typename F> void Hub::forEachOf(WorkerInterest::Workers workers, F &&call) const
{
    for (std::size_t i = 0; i < m_workers.size() && workers != 0; ++i) {
        if (workers & WorkerInterest::bit(int(i))) {
            workers &= ~WorkerInterest::bit(int(i));
            call(m_workers[i]);
        }
    }
}

void Hub::wakeWorkersAtEndOfTurn()
{
    if (m_stopped)
        return; // the workers may be gone with their threads
    for (WsWorker *worker : m_workers)
        worker->mailbox().wakeDeferred();
}

template <typename F> void Hub::onWorkersWithUser(const QString &user, F &&call)
{
    if (m_stopped)
        return;
    forEachOf(m_userInterest.workersFor(user), [&call](WsWorker *worker) {
        worker->mailbox().post(WorkerMailbox::Work([worker, call] { call(worker); }));
    });
}

void Hub::adopt(qintptr descriptor, const WebSocketUpgradeRequest &upgrade, const QString &token,
                const SessionOrigin &origin)
{
    if (m_workers.empty() || m_stopped) {
        ::close(int(descriptor));
        return;
    }
    // Round robin keeps the shares even without asking the workers how busy they are. The
    // worker completes the handshake itself, on its own thread.
    WsWorker *worker = m_workers[m_nextWorker.fetch_add(1) % m_workers.size()];
    QMetaObject::invokeMethod(
        worker,
        [worker, descriptor, upgrade, token, origin] {
            worker->adopt(descriptor, upgrade, token, origin);
        },
        Qt::QueuedConnection);
}

void Hub::publish(const QList<Notification> &notifications)
{
    ArrivalLog::Stamper arrivals = m_arrivals.stamper();
    for (const Notification &n : notifications) {
        auto outgoing = std::make_shared<const Outgoing>(NotificationMessage{n},
                                                         channelKey(n.application, n.channel),
                                                         n.recipients, arrivals.stamp(n));
        deliverToChannel(outgoing, Wake::AtEndOfTurn);
    }
}

void Hub::toUser(const QString &user, ServerMessage message)
{
    auto outgoing =
        std::make_shared<const Outgoing>(std::move(message), QString(), QStringList{user});
    onWorkersWithUser(user, [user, outgoing](WsWorker *w) { w->deliverToUser(user, outgoing); });
}

void Hub::acknowledged(const QString &user, const QList<NotificationId> &ids)
{
    if (!ids.isEmpty())
        toUser(user, AcknowledgedMessage{ids});
}

void Hub::hidden(const QString &user, const QList<NotificationId> &ids)
{
    if (!ids.isEmpty())
        toUser(user, DeletedMessage{ids});
}

void Hub::cleared(const QString &user, NotificationId upTo)
{
    toUser(user, ClearedMessage{upTo});
}

void Hub::seen(const QString &user, NotificationId upTo)
{
    toUser(user, SeenMessage{upTo});
}

void Hub::unseen(const QString &user, qint64 count)
{
    toUser(user, UnseenMessage{count});
}

void Hub::preferences(const QString &user, const QJsonObject &preferences)
{
    toUser(user, PreferencesMessage{preferences});
}

void Hub::digest(const QString &user, const DigestMessage &digest)
{
    toUser(user, digest);
}

bool Hub::hasSessions(const QString &user) const
{
    return !m_stopped && m_userInterest.workersFor(user) != 0;
}

void Hub::deleted(const Notification &n)
{
    auto outgoing = std::make_shared<const Outgoing>(
        DeletedMessage{{n.id}}, channelKey(n.application, n.channel), n.recipients);
    deliverToChannel(outgoing, Wake::Now);
}

void Hub::dropUser(const QString &user, QObject *context, std::function<void(int)> done)
{
    // Every worker answers with its count in `context`'s thread; the last answer completes.
    struct Tally
    {
        int pending;
        int closed = 0;
        std::function<void(int)> done;
    };
    auto tally = std::make_shared<Tally>(Tally{int(m_workers.size()), 0, std::move(done)});
    if (m_workers.empty() || m_stopped)
        return tally->done(0);
    QPointer<QObject> answerTo(context);
    for (WsWorker *worker : m_workers) {
        QMetaObject::invokeMethod(
            worker,
            [worker, user, tally, answerTo] {
                const int closed = worker->dropUser(user);
                if (!answerTo)
                    return;
                QMetaObject::invokeMethod(
                    answerTo.data(),
                    [tally, closed] {
                        tally->closed += closed;
                        if (--tally->pending == 0)
                            tally->done(tally->closed);
                    },
                    Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
    }
}

void Hub::closeTokenSessions(const QSet<qint64> &tokenIds)
{
    if (m_stopped)
        return;
    // A token's sessions may be on any worker: revocations are rare, so ask them all.
    for (WsWorker *worker : m_workers) {
        QMetaObject::invokeMethod(
            worker, [worker, tokenIds] { worker->closeTokenSessions(tokenIds); },
            Qt::QueuedConnection);
    }
}

qint64 Hub::sessionCount() const
{
    return m_quota.used();
}

} // namespace herald::syncd
