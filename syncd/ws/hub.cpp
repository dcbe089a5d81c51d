#include "hub.h"

#include "metrics/metrics.h"
#include "ws/wslog.h"
#include "ws/wsworker.h"

#ifdef Q_OS_LINUX
#include "ws/epolleventdispatcher.h"
#endif

#include <unistd.h>

namespace herald::syncd {

Q_LOGGING_CATEGORY(lcWs, "herald.syncd.ws", QtInfoMsg)

Hub::Hub(const Config &config, StoreThread *store, Authenticator *authenticator, Metrics *metrics,
         QObject *parent)
    : QObject(parent), m_config(config), m_store(store), m_authenticator(authenticator),
      m_metrics(metrics)
{
}

Hub::~Hub()
{
    stop();
}

void Hub::start()
{
    const int count = m_config.workerThreads > 0 ? m_config.workerThreads
                                                 : std::max(2, QThread::idealThreadCount());
#ifdef Q_OS_LINUX
    // Qt's own dispatcher polls every socket of the loop on each wakeup; it stays selectable
    // (HERALD_EVENT_DISPATCHER=qt) to compare the two.
    const bool useEpoll = qEnvironmentVariable("HERALD_EVENT_DISPATCHER") != u"qt";
#else
    const bool useEpoll = false;
#endif
    for (int i = 0; i < count; ++i) {
        auto thread = std::make_unique<QThread>();
        thread->setObjectName(QStringLiteral("ws-%1").arg(i));
#ifdef Q_OS_LINUX
        if (useEpoll)
            thread->setEventDispatcher(new EpollEventDispatcher);
#endif
        auto *worker = new WsWorker(i, {&m_config, m_store, m_authenticator, m_metrics, this});
        worker->moveToThread(thread.get());
        connect(thread.get(), &QThread::finished, worker, &QObject::deleteLater);
        thread->start();
        m_workers.push_back(worker);
        m_threads.push_back(std::move(thread));
    }
    qCInfo(lcWs) << "WebSocket sessions spread over" << count << "event loops"
                 << (useEpoll ? "(epoll)" : "(Qt's event dispatcher)");
}

void Hub::stop()
{
    if (m_threads.empty())
        return;
    for (WsWorker *worker : m_workers) {
        QMetaObject::invokeMethod(
            worker, [worker] { worker->closeAll(1001, QStringLiteral("server shutting down")); },
            Qt::BlockingQueuedConnection);
    }
    for (auto &thread : m_threads) {
        thread->quit();
        thread->wait();
    }
    m_threads.clear();
    m_workers.clear();
}

template <typename F> void Hub::onWorkersWithChannel(const QString &channelKey, F &&call)
{
    for (WsWorker *worker : m_workers) {
        if (worker->channelInterest().contains(channelKey))
            worker->mailbox().post([worker, call] { call(worker); });
    }
}

template <typename F> void Hub::onWorkersWithUser(const QString &user, F &&call)
{
    for (WsWorker *worker : m_workers) {
        if (worker->userInterest().contains(user))
            worker->mailbox().post([worker, call] { call(worker); });
    }
}

void Hub::adopt(qintptr descriptor)
{
    if (m_workers.empty()) {
        ::close(int(descriptor));
        return;
    }
    // Round robin keeps the shares even without asking the workers how busy they are. The
    // worker makes the socket itself, on its own thread.
    WsWorker *worker = m_workers[m_nextWorker.fetch_add(1) % m_workers.size()];
    QMetaObject::invokeMethod(
        worker, [worker, descriptor] { worker->adopt(descriptor); }, Qt::QueuedConnection);
}

void Hub::publish(const QList<Notification> &notifications)
{
    for (const Notification &n : notifications) {
        auto outgoing = std::make_shared<const Outgoing>(
            NotificationMessage{n}, Outgoing::channelKey(n.application, n.channel), n.recipients);
        onWorkersWithChannel(outgoing->channelKey(),
                             [outgoing](WsWorker *w) { w->deliver(outgoing); });
    }
}

void Hub::acknowledged(const QString &user, const QList<NotificationId> &ids)
{
    if (ids.isEmpty())
        return;
    auto outgoing =
        std::make_shared<const Outgoing>(AcknowledgedMessage{ids}, QString(), QStringList{user});
    onWorkersWithUser(user, [user, outgoing](WsWorker *w) { w->deliverToUser(user, outgoing); });
}

void Hub::deleted(const Notification &n)
{
    auto outgoing = std::make_shared<const Outgoing>(
        DeletedMessage{{n.id}}, Outgoing::channelKey(n.application, n.channel), n.recipients);
    onWorkersWithChannel(outgoing->channelKey(), [outgoing](WsWorker *w) { w->deliver(outgoing); });
}

int Hub::dropUser(const QString &user)
{
    int closed = 0;
    for (WsWorker *worker : m_workers) {
        QMetaObject::invokeMethod(
            worker, [worker, user, &closed] { closed += worker->dropUser(user); },
            Qt::BlockingQueuedConnection);
    }
    return closed;
}

qint64 Hub::sessionCount() const
{
    return m_sessions.load();
}

bool Hub::reserveSession()
{
    if (m_sessions.fetch_add(1) >= m_config.maxConnections) {
        m_sessions.fetch_sub(1);
        return false;
    }
    return true;
}

void Hub::releaseSession()
{
    m_sessions.fetch_sub(1);
}

} // namespace herald::syncd
