#pragma once

#include "config/config.h"
#include "model/notification.h"
#include "ws/outgoing.h"

#include <QList>
#include <QObject>
#include <QThread>

#include <atomic>
#include <memory>
#include <vector>

namespace herald::syncd {

class Authenticator;
class Relay;
class StoreThread;
class WsWorker;
struct Metrics;

// Where notifications, receipts and deletes fan out to the WebSocket sessions. Owns the worker
// threads; each message is encoded once and handed to every worker in one queued call, and a
// worker only touches the sessions it owns. Callable from any thread.
class Hub : public QObject
{
    Q_OBJECT
public:
    Hub(const Config &config, StoreThread *store, Authenticator *authenticator, Metrics *metrics,
        QObject *parent = nullptr);
    ~Hub() override;

    // Where WebSockets that open with a peerHello go; set before start().
    void setRelay(Relay *relay) { m_relay = relay; }
    Relay *relay() const { return m_relay; }

    void start();
    // Closes every session with 1001 and ends the worker threads.
    void stop();

    // Takes over a connection whose first request, still unread, is a WebSocket upgrade.
    void adopt(qintptr descriptor);

    void publish(const QList<Notification> &notifications);
    void acknowledged(const QString &user, const QList<NotificationId> &ids);
    void deleted(const Notification &notification);
    // Closes every session of `user` with 1008; returns how many. Blocks until done.
    int dropUser(const QString &user);

    int nodeId() const { return m_config.nodeId; }
    qint64 sessionCount() const;
    bool reserveSession(); // false past maxConnections
    void releaseSession();

private:
    // Posts `call` to the workers that have sessions for `channelKey` (or `user`).
    template <typename F> void onWorkersWithChannel(const QString &channelKey, F &&call);
    template <typename F> void onWorkersWithUser(const QString &user, F &&call);

    const Config &m_config;
    StoreThread *m_store;
    Authenticator *m_authenticator;
    Metrics *m_metrics;
    Relay *m_relay = nullptr;
    std::vector<std::unique_ptr<QThread>> m_threads;
    std::vector<WsWorker *> m_workers;
    std::atomic<qint64> m_sessions{0};
    std::atomic<quint32> m_nextWorker{0};
};

} // namespace herald::syncd
