// SPDX-License-Identifier: Apache-2.0
#include "daemon.h"

#include "config-herald.h"

#include "api/adminapi.h"
#include "api/alertmanagerapi.h"
#include "api/catalogapi.h"
#include "api/digestsapi.h"
#include "api/endpointsapi.h"
#include "api/feedapi.h"
#include "api/inboxapi.h"
#include "api/notificationsapi.h"
#include "api/plaintextpublishapi.h"
#include "api/preferencesapi.h"
#include "api/systemapi.h"
#include "api/upgradegate.h"
#include "app/applog.h"
#include "app/daemonstatus.h"
#include "app/outboxhost.h"
#include "app/unixsignalwatcher.h"
#include "auth/authenticator.h"
#include "core/accountservice.h"
#include "core/catalogservice.h"
#include "core/digestscheduler.h"
#include "core/endpointservice.h"
#include "core/expirysweeper.h"
#include "core/feedservice.h"
#include "core/followbookloader.h"
#include "core/inboxfanout.h"
#include "core/inboxservice.h"
#include "core/notificationservice.h"
#include "core/outboxtakeover.h"
#include "core/preferenceservice.h"
#include "core/relayeddigests.h"
#include "core/storenotificationrepository.h"
#include "core/tokenrevocationwatcher.h"
#include "core/unseentracker.h"
#include "delivery/outboxdispatcher.h"
#include "delivery/usermail.h"
#include "http/httpserver.h"
#include "http/requestlimits.h"
#include "http/router.h"
#include "limits/addresskey.h"
#include "limits/failedauthlimiter.h"
#include "relay/relay.h"
#include "store/databaselock.h"
#include "store/storethread.h"
#include "ws/hub.h"
#include "ws/sessionquota.h"
#include "ws/wsworker.h"

#ifdef Q_OS_LINUX
#include "net/epolleventdispatcher.h"
#endif

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QTimer>

#include <sys/resource.h>

#include <algorithm>

namespace herald::syncd {

Q_LOGGING_CATEGORY(lcApp, "herald.syncd.app", QtInfoMsg)

namespace {

const QString ClientUpgradePath = QStringLiteral("/api/v1/ws");
const QString PeerUpgradePath = QStringLiteral("/api/v1/peer");

// Every connection is a descriptor: take the hard limit, and keep some for the database,
// peers and refused connections; HTTP and WebSockets share the rest (Daemon::start).
int descriptorBudget()
{
    constexpr rlim_t Reserve = 256;
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return 1000;
    if (limit.rlim_cur < limit.rlim_max) {
        rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
            limit = raised;
    }
    const rlim_t usable =
        limit.rlim_cur > 2 * Reserve ? limit.rlim_cur - Reserve : limit.rlim_cur / 2;
    return int(std::min<rlim_t>(usable, 1'000'000));
}

} // namespace

Daemon::Daemon(Config config, QObject *parent) : QObject(parent), m_config(std::move(config))
{
    m_relayThread.setObjectName(QStringLiteral("relay"));
}

Daemon::~Daemon()
{
    stopThreads();
    if (m_store)
        m_store->stopAndDrain();
    m_outbox.reset(); // after the store's last answers
    delete m_relay;
}

int Daemon::start()
{
    for (const QString &warning : std::as_const(m_config.warnings))
        qCWarning(lcApp).noquote() << warning;
    // HTTP and WebSockets share the budget: HTTP up to its cap (a sixteenth, 64 to 1024) and
    // as far as WebSockets leave room, WebSockets all of it but a floor kept for HTTP (a 128th,
    // 16 to 256). So a node of idle sessions holds nearly as many as it has descriptors, and a
    // flood of sessions still leaves REST its floor. New connections past the budget are
    // refused at accept (HttpServer), so the process never runs out of descriptors.
    m_descriptorBudget = descriptorBudget();
    const int budget = m_descriptorBudget;
    TrafficLimits &traffic = m_config.traffic;
    if (traffic.httpConnections == 0)
        traffic.httpConnections = std::clamp(budget / 16, 64, 1024);
    const int httpFloor = std::min(traffic.httpConnections, std::clamp(budget / 128, 16, 256));
    if (m_config.maxConnections == 0)
        m_config.maxConnections = std::max(64, budget - httpFloor);
    qCInfo(lcApp).noquote() << QStringLiteral("holding up to %1 WebSockets and %2 HTTP connections "
                                              "(%3 descriptors for connections, shared; at least "
                                              "%4 kept for HTTP)")
                                   .arg(m_config.maxConnections)
                                   .arg(traffic.httpConnections)
                                   .arg(budget)
                                   .arg(std::clamp(budget - m_config.maxConnections, 0,
                                                   traffic.httpConnections));
    if (m_config.maxConnections > budget - httpFloor)
        qCWarning(lcApp).noquote()
            << QStringLiteral("maxConnections %1 leaves HTTP fewer than %2 of the %3 descriptors "
                              "for connections: REST may be refused while WebSockets hold them; "
                              "raise the open-file limit or lower maxConnections")
                   .arg(m_config.maxConnections)
                   .arg(httpFloor)
                   .arg(budget);
    m_metrics.sessionCap.store(m_config.maxConnections);
    if (!m_config.database.contains(u"://"))
        QDir().mkpath(QFileInfo(m_config.database).absolutePath());
    auto lock = DatabaseLock::acquire(m_config.database);
    if (!lock) {
        qCCritical(lcApp).noquote() << "cannot open the database:" << lock.error().message;
        return 1;
    }
    m_databaseLock = std::move(*lock);
    StoreOptions storeOptions;
    storeOptions.synchronous = m_config.synchronous;
    storeOptions.autoCreateChannels = m_config.autoCreateChannels;
    storeOptions.nodeId = m_config.nodeId;
    // In a cluster every node keeps a copy of every delivery job, for the takeover.
    storeOptions.relayDeliveries = !m_config.clusterSecret.isEmpty();
    auto store = StoreThread::start(m_config.database, storeOptions);
    if (!store) {
        qCCritical(lcApp).noquote()
            << "cannot open the database:" << store.error().message; // the URL may hold a password
        return 1;
    }
    m_store = std::move(*store);
    qCInfo(lcApp).noquote() << "database" << m_store->databaseName()
                            << QStringLiteral("(synchronous=%1)").arg(m_config.synchronous);

    m_authenticator = new Authenticator(m_store.get(), m_config.noAuth, &m_metrics, this);
    if (m_config.noAuth)
        qCWarning(lcApp) << "*** --no-auth: EVERY REQUEST ACTS AS ADMIN. Development only; never"
                            " expose this server. ***";
    m_sessionQuota = std::make_unique<SessionQuota>(m_config.maxConnections,
                                                    m_config.traffic.webSocketsPerAddress);
    m_authFailures = std::make_unique<FailedAuthLimiter>(m_config.traffic.authFailures,
                                                         m_config.traffic.authFailureWindowMs);
    m_requestLimits =
        new RequestLimits(m_config.traffic, *m_authenticator, *m_authFailures, m_metrics, this);
    m_repository = std::make_unique<StoreNotificationRepository>(*m_store);
    m_hub = std::make_unique<Hub>(*m_sessionQuota, m_arrivals);
    m_unseen = new UnseenTracker(m_config, *m_store, *m_hub, m_preferenceBook, this);
    m_fanOut = std::make_unique<InboxFanOut>(*m_hub, *m_unseen, m_preferenceBook);
    m_relay = new Relay(m_config, *m_store, *m_fanOut, m_metrics);
    m_notifications = new NotificationService(
        {m_config, *m_repository, *m_fanOut, *m_relay, m_metrics, m_knownChannels, m_eventCatalog,
         m_routing, m_preferenceBook, m_followBook, m_arrivals, m_liveSessions},
        this);
    m_relay->setResumeWitness(&m_notifications->resumeWitness());
    m_notifications->learnStoredChannels();
    m_relayedDigests = std::make_unique<RelayedDigests>(
        m_preferenceBook, m_followBook, m_config.nodeId, m_config.endpoints.takeoverAfterMs);
    m_relay->setArrivalWork(
        [digests = m_relayedDigests.get()](SqlStore &store, const QList<AcceptedRecord> &accepted) {
            return digests->queue(store, accepted);
        });
    m_inbox = new InboxService(
        {m_config, *m_store, *m_fanOut, *m_unseen, m_preferenceBook, m_followBook}, this);
    startWorkers();
    startRelay();
    buildApi();
    startOutbox();
    // Before `listening on` is logged: whoever waits for that line may send SIGTERM at once,
    // and without the watcher the signal's default action ends the process uncleanly.
    m_signals = new UnixSignalWatcher(this);
    connect(m_signals, &UnixSignalWatcher::terminationRequested, this, &Daemon::shutDown);
    if (!listen())
        return 1;
    (new ExpirySweeper(*m_notifications, this))->start();
    return 0;
}

void Daemon::startWorkers()
{
    const int wanted = m_config.workerThreads > 0 ? m_config.workerThreads
                                                  : std::max(2, QThread::idealThreadCount());
    const int count = std::min(wanted, WorkerInterest::MaxWorkers);
    if (count < wanted) {
        qCWarning(lcApp) << "WebSocket event loops capped at" << count << "(asked for" << wanted
                         << ")";
    }
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
        // A publish frame spends one of its token's requests, as a REST publish does.
        auto admission = [limits = m_requestLimits](const Principal &principal) {
            return limits->spendTokenRequest(principal);
        };
        auto *worker =
            new WsWorker(i, {&m_config, m_notifications, m_inbox, m_authenticator, &m_metrics,
                             m_sessionQuota.get(), m_authFailures.get(), admission,
                             &m_hub->channelInterest(), &m_hub->userInterest()});
        worker->moveToThread(thread.get());
        connect(thread.get(), &QThread::finished, worker, &QObject::deleteLater);
        m_hub->addWorker(worker);
        thread->start();
        m_workerThreads.push_back(std::move(thread));
    }
    qCInfo(lcApp) << "WebSocket sessions spread over" << count << "event loops"
                  << (useEpoll ? "(epoll)" : "(Qt's event dispatcher)");
}

void Daemon::startRelay()
{
    m_relay->moveToThread(&m_relayThread);
    m_relayThread.start();
    QMetaObject::invokeMethod(m_relay, &Relay::start, Qt::QueuedConnection);
}

void Daemon::buildApi()
{
    m_catalog = new CatalogService(*m_store, m_knownChannels, m_eventCatalog, this);
    m_catalog->start();
    m_accounts = new AccountService(*m_store, *m_authenticator, *m_hub, *m_relay, this);
    // A deleted user's preferences and follows would otherwise stay in memory until a restart.
    connect(m_accounts, &AccountService::userDeleted, this, [this](const QString &user) {
        m_preferenceBook.set(user, nullptr);
        m_followBook.forget(user);
    });
    if (!m_config.noAuth) {
        auto *revocations = new TokenRevocationWatcher(*m_store, *m_accounts, this);
        revocations->start();
    }
    m_status = std::make_unique<DaemonStatus>(m_config, m_metrics, m_deliveryMetrics, *m_hub,
                                              *m_relay, *m_store);
    m_router = new Router(m_requestLimits, this);
    m_systemApi = std::make_unique<SystemApi>(*m_status);
    m_catalogApi = std::make_unique<CatalogApi>(*m_catalog, m_config.limits);
    m_notificationsApi = std::make_unique<NotificationsApi>(*m_notifications, m_config.limits);
    m_plainTextPublishApi =
        std::make_unique<PlainTextPublishApi>(*m_notifications, m_config.limits);
    m_alertmanagerApi = std::make_unique<AlertmanagerApi>(*m_notifications, m_config.limits);
    m_adminApi = std::make_unique<AdminApi>(*m_accounts, m_config.limits);
    m_inboxApi = std::make_unique<InboxApi>(*m_inbox, m_config.limits);
    m_systemApi->addRoutes(*m_router);
    m_catalogApi->addRoutes(*m_router);
    m_notificationsApi->addRoutes(*m_router);
    m_plainTextPublishApi->addRoutes(*m_router);
    m_alertmanagerApi->addRoutes(*m_router);
    m_adminApi->addRoutes(*m_router);
    m_inboxApi->addRoutes(*m_router);
    m_endpoints = new EndpointService(m_config.endpoints, m_config.smtp, m_config.nodeId, *m_store,
                                      m_routing, this);
    m_endpoints->start();
    m_endpointsApi = std::make_unique<EndpointsApi>(*m_endpoints);
    m_endpointsApi->addRoutes(*m_router);
    auto *preferences = new PreferenceService(*m_store, *m_fanOut, m_preferenceBook, this);
    preferences->start();
    (new FollowBookLoader(*m_store, m_followBook, this))->start();
    m_preferencesApi = std::make_unique<PreferencesApi>(*preferences);
    m_preferencesApi->addRoutes(*m_router);
    m_digests = new DigestScheduler(
        m_config.nodeId, m_config.endpoints.takeoverAfterMs, *m_store, *m_fanOut, m_preferenceBook,
        {m_config.smtp.isConfigured(), UserMail::preferencesUrl(m_config)},
        DigestSenderOrder(m_config.nodeId, m_config.endpoints.takeoverAfterMs, *m_relay), this);
    m_digests->start(m_relay->enabled() ? m_config.endpoints.takeoverAfterMs / 2 : 0);
    m_digestsApi = std::make_unique<DigestsApi>(*m_digests);
    m_digestsApi->addRoutes(*m_router);
    m_feedApi = std::make_unique<FeedApi>(*new FeedService(m_config, *m_store, this));
    m_feedApi->addRoutes(*m_router);
    auto *gate = new UpgradeGate(m_requestLimits, this);
    m_router->setUpgradeCheck(
        ClientUpgradePath, [gate](const HttpRequest &request, HttpHandler::UpgradeDecision decide) {
            gate->check(request, std::move(decide));
        });
    // Peers prove themselves with the cluster secret in their first frame; a node without one
    // has no peer endpoint at all.
    if (m_relay->enabled()) {
        m_router->setUpgradeCheck(
            PeerUpgradePath,
            [](const HttpRequest &, HttpHandler::UpgradeDecision decide) { decide(std::nullopt); });
    }
}

bool Daemon::listen()
{
    HttpServerLimits httpLimits{m_config.maxHeaderBytes,
                                m_config.limits.maxBodyBytes,
                                m_config.httpIdleTimeoutMs,
                                m_config.httpRequestTimeoutMs,
                                m_config.traffic.httpConnections,
                                m_config.traffic.connectionsPerAddress,
                                m_descriptorBudget,
                                [quota = m_sessionQuota.get()] { return quota->used(); }};
    m_http = new HttpServer(
        m_router,
        [this](qintptr descriptor, const HttpRequest &request) {
            if (request.path == PeerUpgradePath)
                m_relay->adoptInbound(descriptor);
            else
                m_hub->adopt(descriptor, {request.method, request.headers}, request.bearerToken(),
                             {AddressKey::of(request.client), request.clientCappable});
        },
        httpLimits, TrustedProxies(m_config.traffic.trustedProxies), m_metrics, this);
    connect(m_http, &HttpServer::requestTaken, this, [this] { ++m_metrics.httpRequests; });
    if (!m_http->listen(m_config.listenAddress, m_config.listenPort)) {
        qCCritical(lcApp).noquote()
            << "cannot listen on"
            << m_config.listenAddress.toString() + u':' + QString::number(m_config.listenPort)
            << "-" << m_http->errorString();
        return false;
    }
    QString address = m_http->address().toString();
    if (m_http->address().protocol() == QAbstractSocket::IPv6Protocol)
        address = u'[' + address + u']';
    qCInfo(lcApp).noquote() << "node" << m_config.nodeId << "listening on"
                            << address + u':' + QString::number(m_http->port());
    return true;
}

void Daemon::startOutbox()
{
    m_outbox = std::make_unique<OutboxHost>(m_config.endpoints, m_config.smtp, m_config.nodeId,
                                            *m_store, m_deliveryMetrics,
                                            QByteArrayLiteral("herald-syncd/" HERALD_VERSION));
    OutboxHost *outbox = m_outbox.get();
    connect(m_notifications, &NotificationService::deliveriesAdded, this,
            [outbox] { outbox->wake(); });
    connect(m_endpoints, &EndpointService::deliveriesAdded, this, [outbox] { outbox->wake(); });
    connect(m_digests, &DigestScheduler::deliveriesAdded, this, [outbox] { outbox->wake(); });
    auto *takeover = new OutboxTakeover(m_config.nodeId, m_config.endpoints.takeoverAfterMs,
                                        *m_store, *m_relay, this);
    connect(takeover, &OutboxTakeover::deliveriesTaken, this, [outbox] { outbox->wake(); });
    // Routed no more from this moment, not from the next reload on.
    connect(outbox->dispatcher(), &OutboxDispatcher::endpointDisabled, this,
            [this](const QString &endpoint) { m_routing.setEndpointEnabled(endpoint, false); });
    // Back in a cluster, the jobs made before this start wait (as the first look at the
    // digests does) for the peers' records of what they took over or finished meanwhile.
    outbox->start(m_relay->enabled() ? m_config.endpoints.takeoverAfterMs / 2 : 0);
    takeover->start();
}

void Daemon::stopThreads()
{
    if (m_outbox)
        m_outbox->stop(); // its answers from the store are not waited for
    if (m_relayThread.isRunning()) {
        // Peers get 1001 and resync later from what was committed. Posted after everything
        // already queued for the relay, then the thread ends.
        QMetaObject::invokeMethod(m_relay, &Relay::stop, Qt::QueuedConnection);
        // The core keeps asking the relay (isClustered) while answers of work committed during
        // the shutdown arrive: it comes back to this thread and lives until the daemon ends.
        QThread *home = thread();
        QMetaObject::invokeMethod(
            m_relay,
            [relay = m_relay, home] {
                relay->moveToThread(home);
                QThread::currentThread()->quit();
            },
            Qt::QueuedConnection);
        m_relayThread.wait();
    }
    if (m_workerThreads.empty())
        return;    // stopped already (or never started)
    m_hub->stop(); // sessions get 1001; each worker ends its thread after its close frames
    for (auto &thread : m_workerThreads)
        thread->wait();
    m_workerThreads.clear();
}

void Daemon::shutDown(int signalNumber)
{
    if (m_stopping)
        return;
    m_stopping = true;
    qCInfo(lcApp) << "signal" << signalNumber << "- shutting down";
    m_http->stopAccepting();
    stopThreads();
    // Work already accepted is committed and answered before the process ends.
    m_store->stopAndDrain();
    QDeadlineTimer deadline(2000);
    while (!deadline.hasExpired() && m_http->connectionCount() > 0) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        m_http->closeAll();
    }
    qCInfo(lcApp) << "stopped";
    QCoreApplication::exit(0);
}

} // namespace herald::syncd
