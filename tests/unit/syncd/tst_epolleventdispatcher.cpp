// SPDX-License-Identifier: Apache-2.0
// EpollEventDispatcher on a real QThread: posted events, timers, sockets and event loops, as
// the WebSocket workers use them.
#include "net/epolleventdispatcher.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QMutex>
#include <QSemaphore>
#include <QSignalSpy>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using herald::syncd::EpollEventDispatcher;

namespace {

// How late a timer may fire on a loaded machine (two cores shared with builds).
constexpr qint64 kLateMs = 150;

// A thread running EpollEventDispatcher, with an object on it to run code in its context.
// What a test creates there it parents to context(), which the thread deletes when it ends.
class DispatcherThread
{
public:
    DispatcherThread()
    {
        m_thread.setEventDispatcher(new EpollEventDispatcher);
        m_context = new QObject;
        m_context->moveToThread(&m_thread);
        QObject::connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
        m_thread.start();
    }
    ~DispatcherThread() { stop(); }

    bool stop()
    {
        m_thread.quit();
        return m_thread.wait(5000);
    }

    // Runs `code` on the thread and waits for it.
    template <typename Code> void run(Code &&code)
    {
        QMetaObject::invokeMethod(m_context, std::forward<Code>(code),
                                  Qt::BlockingQueuedConnection);
    }
    // Runs `code` on the thread later.
    template <typename Code> void post(Code &&code)
    {
        QMetaObject::invokeMethod(m_context, std::forward<Code>(code), Qt::QueuedConnection);
    }

    QObject *context() const { return m_context; }
    QThread &thread() { return m_thread; }
    EpollEventDispatcher *dispatcher()
    {
        return qobject_cast<EpollEventDispatcher *>(m_thread.eventDispatcher());
    }

private:
    QThread m_thread;
    QObject *m_context;
};

// Counts the events of one custom type it receives.
class EventCounter : public QObject
{
public:
    using QObject::QObject;
    static inline const QEvent::Type kType = QEvent::Type(QEvent::registerEventType());
    std::atomic<int> received{0};

protected:
    bool event(QEvent *e) override
    {
        if (e->type() != kType)
            return QObject::event(e);
        ++received;
        return true;
    }
};

// Records its timer events and hands each to `onTimer`.
class TimerRecorder : public QObject
{
public:
    std::function<void(int)> onTimer;
    QList<int> fired;

protected:
    void timerEvent(QTimerEvent *event) override
    {
        fired.append(event->timerId());
        if (onTimer)
            onTimer(event->timerId());
    }
};

// Plain blocking loopback clients, outside Qt: the idle crowd and the peers that misbehave.
int connectLoopback(quint16 port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

class RawClients
{
public:
    ~RawClients()
    {
        for (int fd : fds)
            ::close(fd);
    }
    bool open(quint16 port, int count)
    {
        for (int i = 0; i < count; ++i) {
            const int fd = connectLoopback(port);
            if (fd < 0)
                return false;
            fds.push_back(fd);
        }
        return true;
    }
    std::vector<int> fds;
};

// A QTcpServer on the thread that counts what it accepts and hands each socket to `onAccept`.
struct CountingServer
{
    QTcpServer *server = nullptr;
    quint16 port = 0;
    std::atomic<int> accepted{0};

    void listen(DispatcherThread &worker, std::function<void(QTcpSocket *)> onAccept = {})
    {
        worker.run([&, onAccept] {
            server = new QTcpServer(worker.context());
            server->setListenBacklogSize(4096);
            QObject::connect(server, &QTcpServer::newConnection, server, [this, onAccept] {
                while (QTcpSocket *socket = server->nextPendingConnection()) {
                    ++accepted;
                    if (onAccept)
                        onAccept(socket);
                }
            });
            server->listen(QHostAddress::LocalHost, 0);
            port = server->serverPort();
        });
    }
};

} // namespace

class TestEpollEventDispatcher : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // Two thousand connections with both ends in this process.
        rlimit limit{};
        getrlimit(RLIMIT_NOFILE, &limit);
        limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, 16384);
        setrlimit(RLIMIT_NOFILE, &limit);
        m_fdLimit = int(limit.rlim_cur);
    }

    void isTheThreadsDispatcher()
    {
        DispatcherThread worker;
        QVERIFY(worker.dispatcher());
        QAbstractEventDispatcher *seen = nullptr;
        worker.run([&] { seen = QAbstractEventDispatcher::instance(); });
        QCOMPARE(seen, worker.dispatcher());
    }

    void deliversPostedEventsFromAnotherThreadPromptly()
    {
        DispatcherThread worker;
        EventCounter *counter = nullptr;
        worker.run([&] { counter = new EventCounter(worker.context()); });
        QSemaphore delivered;
        // The thread has no timers and no sockets: only wakeUp() can get these through.
        for (int round = 0; round < 20; ++round) {
            QElapsedTimer clock;
            clock.start();
            QCoreApplication::postEvent(counter, new QEvent(EventCounter::kType));
            worker.post([&] { delivered.release(); });
            QVERIFY(delivered.tryAcquire(1, 5000));
            QVERIFY2(clock.elapsed() < kLateMs, qPrintable(u"took %1 ms"_s.arg(clock.elapsed())));
        }
        QCOMPARE(counter->received.load(), 20);
    }

    void wakeUpsFromManyThreadsAllArrive()
    {
        DispatcherThread worker;
        std::atomic<int> calls{0};
        std::vector<std::unique_ptr<QThread>> posters;
        for (int i = 0; i < 4; ++i) {
            posters.emplace_back(QThread::create([&] {
                for (int n = 0; n < 2000; ++n)
                    worker.post([&] { ++calls; });
            }));
            posters.back()->start();
        }
        for (auto &poster : posters)
            QVERIFY(poster->wait(5000));
        QTRY_COMPARE_WITH_TIMEOUT(calls.load(), 8000, 5000);
    }

    void singleShotTimerFiresOnTime()
    {
        DispatcherThread worker;
        std::atomic<qint64> firedAfter{-1};
        QElapsedTimer clock;
        worker.run([&] {
            clock.start();
            QTimer::singleShot(100, Qt::PreciseTimer, worker.context(),
                               [&] { firedAfter = clock.elapsed(); });
        });
        QTRY_VERIFY_WITH_TIMEOUT(firedAfter.load() >= 0, 2000);
        QVERIFY2(firedAfter >= 100 && firedAfter < 100 + kLateMs,
                 qPrintable(u"fired after %1 ms"_s.arg(firedAfter.load())));
    }

    void repeatingTimerKeepsItsPaceAndStops()
    {
        DispatcherThread worker;
        QMutex mutex;
        QList<qint64> ticks;
        std::atomic<int> tickCount{0};
        QElapsedTimer clock;
        QTimer *timer = nullptr;
        worker.run([&] {
            timer = new QTimer(worker.context());
            timer->setTimerType(Qt::PreciseTimer);
            timer->setInterval(50);
            QObject::connect(timer, &QTimer::timeout, timer, [&] {
                QMutexLocker lock(&mutex);
                ticks.append(clock.elapsed());
                if (++tickCount == 10)
                    timer->stop();
            });
            clock.start();
            timer->start();
        });
        QTRY_COMPARE_WITH_TIMEOUT(tickCount.load(), 10, 3000);
        QTest::qWait(200); // a stopped timer stays quiet
        QMutexLocker lock(&mutex);
        QCOMPARE(ticks.size(), 10);
        for (int k = 0; k < ticks.size(); ++k)
            QVERIFY2(ticks[k] >= 50 * (k + 1),
                     qPrintable(u"tick %1 at %2 ms"_s.arg(k).arg(ticks[k])));
        // Deadlines count from the previous deadline, so lateness does not add up.
        QVERIFY2(ticks.last() < 500 + kLateMs, qPrintable(u"tick 10 at %1 ms"_s.arg(ticks.last())));
        bool active = true;
        lock.unlock();
        worker.run([&] { active = timer->isActive(); });
        QVERIFY(!active);
    }

    void lateTimerDoesNotCatchUpInABurst()
    {
        DispatcherThread worker;
        QMutex mutex;
        QList<qint64> ticks;
        std::atomic<int> tickCount{0};
        QElapsedTimer clock;
        worker.run([&] {
            auto *timer = new QTimer(worker.context());
            timer->setTimerType(Qt::PreciseTimer);
            timer->setInterval(40);
            QObject::connect(timer, &QTimer::timeout, timer, [&, timer] {
                QMutexLocker lock(&mutex);
                ticks.append(clock.elapsed());
                const int count = ++tickCount;
                if (count == 1)
                    QThread::msleep(200); // the thread is busy for five intervals
                if (count == 4)
                    timer->stop();
            });
            clock.start();
            timer->start();
        });
        QTRY_COMPARE_WITH_TIMEOUT(tickCount.load(), 4, 3000);
        QMutexLocker lock(&mutex);
        // One late tick right after the busy spell, then the normal pace again, counted from
        // that tick (a burst would fire the missed ones back to back). The margins are for a
        // loaded machine: a burst is ~0 ms apart.
        QStringList at;
        for (qint64 tick : ticks)
            at.append(QString::number(tick));
        QVERIFY2(ticks[2] - ticks[1] >= 20 && ticks[3] - ticks[1] >= 60,
                 qPrintable(u"ticks at "_s + at.join(u", "_s) + u" ms"_s));
    }

    void timerMayKillItselfAndOthersInItsTimeout()
    {
        DispatcherThread worker;
        TimerRecorder *recorder = nullptr;
        int first = 0;
        int second = 0;
        worker.run([&] {
            recorder = new TimerRecorder;
            recorder->setParent(worker.context());
            first = recorder->startTimer(10, Qt::PreciseTimer);
            second = recorder->startTimer(10, Qt::PreciseTimer); // due in the same wakeup
            recorder->onTimer = [&](int) {
                recorder->killTimer(first);
                recorder->killTimer(second);
            };
        });
        QTest::qWait(150);
        QList<int> fired;
        QList<QAbstractEventDispatcher::TimerInfo> left;
        int remaining = 0;
        worker.run([&] {
            fired = recorder->fired;
            left = worker.dispatcher()->registeredTimers(recorder);
            remaining = worker.dispatcher()->remainingTime(first);
        });
        QCOMPARE(fired.size(), 1);
        QVERIFY(left.isEmpty());
        QCOMPARE(remaining, -1);
    }

    void timerRestartedInItsTimeoutKeepsFiring()
    {
        DispatcherThread worker;
        std::atomic<int> fired{0};
        worker.run([&] {
            auto *timer = new QTimer(worker.context());
            timer->setInterval(10);
            QObject::connect(timer, &QTimer::timeout, timer, [&, timer] {
                if (++fired < 5)
                    timer->start(10); // kills and registers again, maybe under the same id
                else
                    timer->stop();
            });
            timer->start();
        });
        QTRY_COMPARE_WITH_TIMEOUT(fired.load(), 5, 2000);
        QTest::qWait(50);
        QCOMPARE(fired.load(), 5);
    }

    void reportsRegisteredTimersAndRemainingTime()
    {
        DispatcherThread worker;
        int id = 0;
        QList<QAbstractEventDispatcher::TimerInfo> timers;
        QList<QAbstractEventDispatcher::TimerInfo> afterKill;
        int remaining = 0;
        int qtimerRemaining = 0;
        int remainingAfterKill = 0;
        worker.run([&] {
            EpollEventDispatcher *dispatcher = worker.dispatcher();
            QObject owner;
            id = owner.startTimer(1000, Qt::CoarseTimer);
            timers = dispatcher->registeredTimers(&owner);
            remaining = dispatcher->remainingTime(id);
            QTimer timer;
            timer.start(500);
            qtimerRemaining = timer.remainingTime();
            owner.killTimer(id);
            remainingAfterKill = dispatcher->remainingTime(id);
            afterKill = dispatcher->registeredTimers(&owner);
        });
        QCOMPARE(timers.size(), 1);
        QCOMPARE(timers[0].timerId, id);
        QCOMPARE(timers[0].interval, 1000);
        QCOMPARE(timers[0].timerType, Qt::CoarseTimer);
        QVERIFY2(remaining > 1000 - kLateMs && remaining <= 1000,
                 qPrintable(QString::number(remaining)));
        QVERIFY2(qtimerRemaining > 500 - kLateMs && qtimerRemaining <= 500,
                 qPrintable(QString::number(qtimerRemaining)));
        QCOMPARE(remainingAfterKill, -1);
        QVERIFY(afterKill.isEmpty());
    }

    void zeroIntervalTimerLetsOtherWorkThrough()
    {
        DispatcherThread worker;
        std::atomic<int> idleRuns{0};
        std::atomic<bool> timerFired{false};
        QTimer *idle = nullptr;
        worker.run([&] {
            idle = new QTimer(worker.context());
            idle->setInterval(0);
            QObject::connect(idle, &QTimer::timeout, idle, [&] { ++idleRuns; });
            idle->start();
            QTimer::singleShot(20, worker.context(), [&] { timerFired = true; });
        });
        std::atomic<bool> posted{false};
        worker.post([&] { posted = true; });
        QTRY_VERIFY_WITH_TIMEOUT(posted.load() && timerFired.load(), 2000);
        QVERIFY(idleRuns > 0);
        worker.run([&] { idle->stop(); });
    }

    void tcpEchoBesideManyIdleConnections()
    {
        const int idleCount = std::min(2000, (m_fdLimit - 100) / 2);
        DispatcherThread worker;
        CountingServer echo;
        echo.listen(worker, [](QTcpSocket *socket) {
            QObject::connect(socket, &QTcpSocket::readyRead, socket,
                             [socket] { socket->write(socket->readAll()); });
        });
        QVERIFY(echo.port);
        RawClients idle;
        QVERIFY(idle.open(echo.port, idleCount));
        QTRY_COMPARE_WITH_TIMEOUT(echo.accepted.load(), idleCount, 10000);

        // An active client on the same thread: connecting waits on a write notifier, and every
        // round trip on read notifiers among thousands of quiet ones.
        std::atomic<int> roundTrips{0};
        worker.run([&] {
            auto *client = new QTcpSocket(worker.context());
            QObject::connect(client, &QTcpSocket::connected, client,
                             [client] { client->write("0\n"); });
            QObject::connect(client, &QTcpSocket::readyRead, client, [client, &roundTrips] {
                while (client->canReadLine()) {
                    const int n = client->readLine().trimmed().toInt();
                    roundTrips = n + 1;
                    if (n + 1 < 500)
                        client->write(QByteArray::number(n + 1) + '\n');
                }
            });
            client->connectToHost(QHostAddress::LocalHost, echo.port);
        });
        QTRY_COMPARE_WITH_TIMEOUT(roundTrips.load(), 500, 10000);
        QCOMPARE(echo.accepted.load(), idleCount + 1);
    }

    void webSocketExchange()
    {
        DispatcherThread worker;
        quint16 port = 0;
        worker.run([&] {
            auto *server =
                new QWebSocketServer(u"test"_s, QWebSocketServer::NonSecureMode, worker.context());
            QObject::connect(server, &QWebSocketServer::newConnection, server, [server] {
                while (QWebSocket *socket = server->nextPendingConnection()) {
                    QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                                     [socket](const QString &text) {
                                         socket->sendTextMessage(u"echo:"_s + text);
                                     });
                    QObject::connect(socket, &QWebSocket::disconnected, socket,
                                     &QObject::deleteLater);
                }
            });
            server->listen(QHostAddress::LocalHost, 0);
            port = server->serverPort();
        });
        QVERIFY(port);

        QWebSocket client;
        QSignalSpy connected(&client, &QWebSocket::connected);
        QSignalSpy received(&client, &QWebSocket::textMessageReceived);
        client.open(QUrl(u"ws://127.0.0.1:%1/"_s.arg(port)));
        QVERIFY(connected.wait(5000));
        client.sendTextMessage(u"hello"_s);
        QVERIFY(received.wait(5000));
        QCOMPARE(received.takeFirst().at(0).toString(), u"echo:hello"_s);
        // Larger than the socket buffers: the server's reply needs several write notifications.
        const QString big(4 * 1024 * 1024, u'x');
        client.sendTextMessage(big);
        QTRY_COMPARE_WITH_TIMEOUT(received.size(), 1, 10000);
        QCOMPARE(received.takeFirst().at(0).toString().size(), big.size() + 5);
        QSignalSpy disconnected(&client, &QWebSocket::disconnected);
        client.close();
        QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, 5000);
    }

    void noticesPeersThatCloseOrReset()
    {
        DispatcherThread worker;
        std::atomic<int> disconnected{0};
        CountingServer server;
        server.listen(worker, [&](QTcpSocket *socket) {
            QObject::connect(socket, &QTcpSocket::disconnected, socket, [&, socket] {
                ++disconnected;
                socket->deleteLater();
            });
        });
        const int closing = connectLoopback(server.port);
        const int resetting = connectLoopback(server.port);
        QVERIFY(closing >= 0 && resetting >= 0);
        QTRY_COMPARE_WITH_TIMEOUT(server.accepted.load(), 2, 5000);
        ::close(closing); // FIN
        QTRY_COMPARE_WITH_TIMEOUT(disconnected.load(), 1, 5000);
        const linger resetOnClose{1, 0};
        setsockopt(resetting, SOL_SOCKET, SO_LINGER, &resetOnClose, sizeof resetOnClose);
        ::close(resetting); // RST: EPOLLHUP and EPOLLERR
        QTRY_COMPARE_WITH_TIMEOUT(disconnected.load(), 2, 5000);
    }

    void deletingSocketsFromAnotherSocketsReadyReadIsSafe()
    {
        DispatcherThread worker;
        QList<QTcpSocket *> serverSide; // only touched on the worker
        std::atomic<int> handled{0};
        CountingServer server;
        server.listen(worker, [&](QTcpSocket *socket) {
            serverSide.append(socket);
            QObject::connect(socket, &QTcpSocket::readyRead, socket, [&, socket] {
                ++handled;
                socket->readAll();
                // Delete every other socket whose data arrived in this same wakeup, then open
                // as many again: their descriptors come back under the same numbers.
                const QList<QTcpSocket *> others = serverSide;
                serverSide = {socket};
                for (QTcpSocket *other : others) {
                    if (other == socket)
                        continue;
                    delete other;
                    auto *replacement = new QTcpSocket(worker.context());
                    replacement->connectToHost(QHostAddress::LocalHost, server.port);
                }
            });
        });
        RawClients clients;
        QVERIFY(clients.open(server.port, 8));
        QTRY_COMPARE_WITH_TIMEOUT(server.accepted.load(), 8, 5000);

        // Hold the thread while the data arrives, so that one epoll_wait reports all eight.
        QSemaphore holding;
        QSemaphore release;
        worker.post([&] {
            holding.release();
            release.acquire();
        });
        QVERIFY(holding.tryAcquire(1, 5000));
        for (int fd : clients.fds)
            QCOMPARE(::write(fd, "x", 1), 1);
        release.release();

        QTRY_COMPARE_WITH_TIMEOUT(server.accepted.load(), 15, 5000); // the replacements
        QCOMPARE(handled.load(), 1);
        bool alive = false;
        worker.run([&] { alive = true; });
        QVERIFY(alive);
    }

    void notifierDisabledEarlierInTheSameWakeupStaysQuiet()
    {
        DispatcherThread worker;
        std::vector<std::array<int, 2>> pairs(8);
        for (auto &pair : pairs) {
            QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair.data()), 0);
            QCOMPARE(::write(pair[1], "x", 1), 1); // all readable before the thread looks
        }
        std::atomic<int> activations{0};
        std::atomic<int> failedReads{0};
        worker.run([&] {
            auto notifiers = std::make_shared<QList<QSocketNotifier *>>();
            for (const auto &pair : pairs)
                notifiers->append(
                    new QSocketNotifier(pair[0], QSocketNotifier::Read, worker.context()));
            for (QSocketNotifier *notifier : *notifiers) {
                QObject::connect(notifier, &QSocketNotifier::activated, notifier,
                                 [&, notifier, notifiers](QSocketDescriptor socket) {
                                     ++activations;
                                     char byte;
                                     if (::read(int(socket), &byte, 1) != 1)
                                         ++failedReads;
                                     for (QSocketNotifier *other : *notifiers) {
                                         if (other != notifier)
                                             other->setEnabled(false);
                                     }
                                 });
            }
        });
        QTRY_VERIFY_WITH_TIMEOUT(activations.load() > 0, 2000);
        worker.run([] {}); // one more turn of the loop
        QCOMPARE(activations.load(), 1);
        QCOMPARE(failedReads.load(), 0);
        QVERIFY(worker.stop());
        for (const auto &pair : pairs) {
            ::close(pair[0]);
            ::close(pair[1]);
        }
    }

    void nestedEventLoopExecAndQuit()
    {
        DispatcherThread worker;
        qint64 nestedMs = -1;
        worker.run([&] {
            QEventLoop loop;
            QTimer::singleShot(30, Qt::PreciseTimer, &loop, &QEventLoop::quit);
            QElapsedTimer clock;
            clock.start();
            loop.exec();
            nestedMs = clock.elapsed();
        });
        QVERIFY2(nestedMs >= 30 && nestedMs < 30 + kLateMs, qPrintable(QString::number(nestedMs)));

        // A nested loop that another thread ends.
        QEventLoop *running = nullptr;
        QSemaphore started;
        std::atomic<bool> returned{false};
        worker.post([&] {
            QEventLoop loop;
            running = &loop;
            started.release();
            loop.exec();
            returned = true;
        });
        QVERIFY(started.tryAcquire(1, 5000));
        QMetaObject::invokeMethod(running, &QEventLoop::quit, Qt::QueuedConnection);
        QTRY_VERIFY_WITH_TIMEOUT(returned.load(), 2000);
    }

    void threadQuitEndsItsLoopPromptly()
    {
        DispatcherThread worker;
        worker.run([] {}); // running and idle in epoll_wait
        QElapsedTimer clock;
        clock.start();
        QVERIFY(worker.stop());
        QVERIFY2(clock.elapsed() < kLateMs, qPrintable(QString::number(clock.elapsed())));
    }

    void interruptEndsABlockingProcessEvents()
    {
        DispatcherThread worker;
        QSemaphore started;
        std::atomic<qint64> blockedMs{-1};
        worker.post([&] {
            EpollEventDispatcher *dispatcher = worker.dispatcher();
            dispatcher->processEvents(QEventLoop::AllEvents); // whatever woke us to get here
            started.release();
            QElapsedTimer clock;
            clock.start();
            dispatcher->processEvents(QEventLoop::WaitForMoreEvents);
            blockedMs = clock.elapsed();
        });
        QVERIFY(started.tryAcquire(1, 5000));
        QTest::qWait(100); // let it block: nothing else could wake it
        QCOMPARE(blockedMs.load(), qint64(-1));
        worker.dispatcher()->interrupt();
        QTRY_VERIFY_WITH_TIMEOUT(blockedMs.load() >= 0, 2000);
        QVERIFY(blockedMs >= 90);
    }

    void processEventsSaysWhetherItDidAnything()
    {
        DispatcherThread worker;
        bool idle = true;
        bool timerFired = false;
        worker.run([&] {
            EpollEventDispatcher *dispatcher = worker.dispatcher();
            dispatcher->processEvents(QEventLoop::AllEvents); // the wakeup that brought us here
            idle = !dispatcher->processEvents(QEventLoop::AllEvents);
            QObject owner;
            owner.startTimer(5, Qt::PreciseTimer);
            timerFired = dispatcher->processEvents(QEventLoop::WaitForMoreEvents);
        });
        QVERIFY(idle);
        QVERIFY(timerFired);
    }

private:
    int m_fdLimit = 1024;
};

QTEST_GUILESS_MAIN(TestEpollEventDispatcher)
#include "tst_epolleventdispatcher.moc"
