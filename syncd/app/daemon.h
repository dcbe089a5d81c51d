#pragma once

#include "config/config.h"
#include "metrics/metrics.h"
#include "model/idgenerator.h"

#include <QObject>

#include <memory>

namespace herald::syncd {

class AdminApi;
class Authenticator;
class CatalogApi;
class HttpServer;
class Hub;
class NotificationsApi;
class Relay;
class Router;
class StoreThread;
class SystemApi;
class UnixSignalWatcher;
struct ApiContext;

// The composition root of the running daemon: builds the store thread, the authenticator, the
// WebSocket hub and its workers, the REST API and the listening front, wires them together,
// and takes them down in order on SIGTERM.
class Daemon : public QObject
{
    Q_OBJECT
public:
    explicit Daemon(Config config, QObject *parent = nullptr);
    ~Daemon() override;

    // Opens the store and starts listening. On failure returns the process exit code
    // (2 configuration, 1 other) after logging why; 0 when running.
    int start();

private:
    void shutDown(int signalNumber);

    Config m_config;
    Metrics m_metrics;
    IdGenerator m_ids;
    std::unique_ptr<StoreThread> m_store;
    Authenticator *m_authenticator = nullptr;
    Hub *m_hub = nullptr;
    std::unique_ptr<Relay> m_relay;
    Router *m_router = nullptr;
    std::unique_ptr<ApiContext> m_api;
    std::unique_ptr<SystemApi> m_systemApi;
    std::unique_ptr<CatalogApi> m_catalogApi;
    std::unique_ptr<NotificationsApi> m_notificationsApi;
    std::unique_ptr<AdminApi> m_adminApi;
    HttpServer *m_http = nullptr;
    UnixSignalWatcher *m_signals = nullptr;
    bool m_stopping = false;
};

} // namespace herald::syncd
