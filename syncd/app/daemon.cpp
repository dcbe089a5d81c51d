#include "daemon.h"

#include "api/adminapi.h"
#include "api/apicontext.h"
#include "api/catalogapi.h"
#include "api/notificationsapi.h"
#include "api/systemapi.h"
#include "app/applog.h"
#include "app/unixsignalwatcher.h"
#include "auth/authenticator.h"
#include "http/httpserver.h"
#include "http/router.h"
#include "model/timestamps.h"
#include "relay/relay.h"
#include "store/storethread.h"
#include "ws/hub.h"
#include "ws/upgradegate.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QTimer>

#include <sys/resource.h>

#include <algorithm>

namespace herald::syncd {

Q_LOGGING_CATEGORY(lcApp, "herald.syncd.app", QtInfoMsg)

Daemon::Daemon(Config config, QObject *parent)
    : QObject(parent), m_config(std::move(config)), m_ids(m_config.nodeId)
{
}

Daemon::~Daemon()
{
    if (m_relay)
        m_relay->stop();
    if (m_hub)
        m_hub->stop();
    if (m_store)
        m_store->stopAndDrain();
}

namespace {

// Every WebSocket is a descriptor: take the hard limit, and keep some for the database,
// REST clients and peers.
int connectionCapFromDescriptorLimit()
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

int Daemon::start()
{
    if (m_config.maxConnections == 0) {
        m_config.maxConnections = connectionCapFromDescriptorLimit();
        qCInfo(lcApp) << "holding up to" << m_config.maxConnections << "WebSockets";
    }
    if (!m_config.database.contains(u"://"))
        QDir().mkpath(QFileInfo(m_config.database).absolutePath());
    StoreOptions storeOptions;
    storeOptions.synchronous = m_config.synchronous;
    storeOptions.autoCreateChannels = m_config.autoCreateChannels;
    storeOptions.nodeId = m_config.nodeId;
    auto store = StoreThread::start(m_config.database, storeOptions);
    if (!store) {
        qCCritical(lcApp).noquote()
            << "cannot open the database:" << store.error().message; // the URL may hold a password
        return 1;
    }
    m_store = std::move(*store);
    qCInfo(lcApp).noquote() << "database" << m_store->databaseName()
                            << QStringLiteral("(synchronous=%1)").arg(m_config.synchronous);

    m_authenticator = new Authenticator(m_store.get(), m_config.noAuth, this);
    if (m_config.noAuth)
        qCWarning(lcApp) << "*** --no-auth: EVERY REQUEST ACTS AS ADMIN. Development only; never"
                            " expose this server. ***";
    m_hub = new Hub(m_config, m_store.get(), m_authenticator, &m_metrics, this);
    m_relay = std::make_unique<Relay>(m_config, *m_store, *m_hub, m_metrics);
    m_hub->setRelay(m_relay.get());
    m_hub->start();
    m_relay->start();

    m_router = new Router(m_authenticator, this);
    m_api.reset(new ApiContext{m_config, *m_store, *m_hub, *m_relay, *m_authenticator, m_metrics,
                               m_ids, JsonCodec(m_config.limits), HermesCodec(m_config.limits),
                               m_router});
    m_systemApi = std::make_unique<SystemApi>(*m_api);
    m_catalogApi = std::make_unique<CatalogApi>(*m_api);
    m_notificationsApi = std::make_unique<NotificationsApi>(*m_api);
    m_adminApi = std::make_unique<AdminApi>(*m_api);
    m_systemApi->addRoutes(*m_router);
    m_catalogApi->addRoutes(*m_router);
    m_notificationsApi->addRoutes(*m_router);
    m_adminApi->addRoutes(*m_router);
    auto *gate = new UpgradeGate(m_authenticator, this);
    m_router->setUpgradeCheck(
        QStringLiteral("/api/v1/ws"),
        [gate](const HttpRequest &request, HttpHandler::UpgradeDecision decide) {
            gate->check(request, std::move(decide));
        });

    HttpServerLimits httpLimits{m_config.maxHeaderBytes, m_config.limits.maxBodyBytes,
                                m_config.httpIdleTimeoutMs, m_config.httpRequestTimeoutMs};
    m_http = new HttpServer(
        m_router, [this](qintptr descriptor) { m_hub->adopt(descriptor); }, httpLimits, this);
    if (!m_http->listen(m_config.listenAddress, m_config.listenPort)) {
        qCCritical(lcApp).noquote()
            << "cannot listen on"
            << m_config.listenAddress.toString() + u':' + QString::number(m_config.listenPort)
            << "-" << m_http->errorString();
        return 1;
    }
    // Expired notifications leave the store once a minute; queries already leave them out.
    auto *purge = new QTimer(this);
    purge->setInterval(60000);
    connect(purge, &QTimer::timeout, this, [this] {
        m_store->submit<QList<NotificationId>>(
            [](SqlStore &store) { return store.purgeExpired(utcNow()); }, this,
            [](Result<QList<NotificationId>> purged) {
                if (purged && !purged->isEmpty())
                    qCInfo(lcApp) << "removed" << purged->size() << "expired notifications";
            });
    });
    purge->start();
    m_signals = new UnixSignalWatcher(this);
    connect(m_signals, &UnixSignalWatcher::terminationRequested, this, &Daemon::shutDown);
    QString address = m_http->address().toString();
    if (m_http->address().protocol() == QAbstractSocket::IPv6Protocol)
        address = u'[' + address + u']';
    qCInfo(lcApp).noquote() << "node" << m_config.nodeId << "listening on"
                            << address + u':' + QString::number(m_http->port());
    return 0;
}

void Daemon::shutDown(int signalNumber)
{
    if (m_stopping)
        return;
    m_stopping = true;
    qCInfo(lcApp) << "signal" << signalNumber << "- shutting down";
    m_http->stopAccepting();
    m_relay->stop(); // peers get 1001 and resync later from what was committed
    m_hub->stop();   // sessions get 1001
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
