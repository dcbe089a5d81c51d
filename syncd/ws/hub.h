// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/fanout.h"
#include "net/endofturn.h"
#include "net/websockethandshake.h"
#include "ws/outgoing.h"
#include "ws/sessionquota.h"
#include "ws/workerinterest.h"

#include <QList>
#include <QObject>

#include <atomic>
#include <vector>

namespace herald::syncd {

class ArrivalLog;
class WsWorker;

// Where notifications, receipts and deletes fan out to the WebSocket sessions (the core's
// FanOut). Each message is encoded once and handed to the workers that have sessions for it in
// one queued call; a worker only touches the sessions it owns. The workers and their threads
// belong to the composition root. Every method is callable from any thread and never waits for
// a worker.
class Hub final : public FanOut
{
public:
    // `arrivals` stamps the persistent notifications handed on (see publish()).
    Hub(const SessionQuota &quota, ArrivalLog &arrivals);

    // Composition only, before any other call: the workers, already on their threads, in
    // the order of their indexes (at most WorkerInterest::MaxWorkers). Each keeps its bit in
    // these two.
    void addWorker(WsWorker *worker) { m_workers.push_back(worker); }
    WorkerInterest &channelInterest() { return m_channelInterest; }
    WorkerInterest &userInterest() { return m_userInterest; }

    // Takes over a connection whose first request, still unread, is a WebSocket upgrade the
    // front admitted: `upgrade` is what it parsed of the request, `token` the request's token
    // (Authorization or ?token=), empty without one; `origin` its client, for the caps.
    void adopt(qintptr descriptor, const WebSocketUpgradeRequest &upgrade, const QString &token,
               const SessionOrigin &origin);
    // Asks every worker to close its sessions with 1001 and end its thread. From then on every
    // other call does nothing (the workers go away with their threads; answers of work still
    // committed during shutdown must not reach them).
    void stop();

    // Stamps each notification with its arrival position and hands it on under the log's
    // lock, so that every worker gets them in position order (see ArrivalLog).
    void publish(const QList<Notification> &notifications) override;
    void acknowledged(const QString &user, const QList<NotificationId> &ids) override;
    void deleted(const Notification &notification) override;
    void dropUser(const QString &user, QObject *context, std::function<void(int)> done) override;
    void closeTokenSessions(const QSet<qint64> &tokenIds) override;
    void hidden(const QString &user, const QList<NotificationId> &ids) override;
    void cleared(const QString &user, NotificationId upTo) override;
    void seen(const QString &user, NotificationId upTo) override;
    void unseen(const QString &user, qint64 count) override;
    void preferences(const QString &user, const QJsonObject &preferences) override;
    void digest(const QString &user, const DigestMessage &digest) override;
    bool hasSessions(const QString &user) const override;

    qint64 sessionCount() const;

private:
    // Posts `call` to the workers that have sessions for `user`.
    template <typename F> void onWorkersWithUser(const QString &user, F &&call);
    // Calls `call` with each worker whose bit is in `workers`.
    template <typename F> void forEachOf(WorkerInterest::Workers workers, F &&call) const;
    // Hands `outgoing` to the workers that have sessions for its channel. AtEndOfTurn: on the
    // hub's own thread, notifications published in one turn of its event loop (every request
    // the front read in one wakeup) reach each worker in one wakeup, at the end of the turn;
    // from other threads, and with Now, at once.
    enum class Wake
    {
        Now,
        AtEndOfTurn
    };
    void deliverToChannel(const OutgoingPtr &outgoing, Wake wake);
    void wakeWorkersAtEndOfTurn();
    void toUser(const QString &user, ServerMessage message);

    std::vector<WsWorker *> m_workers;
    WorkerInterest m_channelInterest;
    WorkerInterest m_userInterest;
    const SessionQuota &m_quota;
    ArrivalLog &m_arrivals;
    std::atomic<quint32> m_nextWorker{0};
    std::atomic<bool> m_stopped{false};
    EndOfTurn m_endOfTurn{[this] { wakeWorkersAtEndOfTurn(); }}; // on the hub's thread
};

} // namespace herald::syncd
