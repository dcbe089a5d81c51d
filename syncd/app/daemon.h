// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/config.h"
#include "core/arrivallog.h"
#include "core/eventcatalog.h"
#include "core/followbook.h"
#include "core/knownchannels.h"
#include "core/preferencebook.h"
#include "core/resumebook.h"
#include "core/routingtable.h"
#include "metrics/deliverymetrics.h"
#include "metrics/metrics.h"

#include <QLockFile>
#include <QObject>
#include <QThread>

#include <memory>
#include <vector>

namespace herald::syncd {

class AccountService;
class AdminApi;
class Authenticator;
class CatalogApi;
class CatalogService;
class DaemonStatus;
class EndpointService;
class EndpointsApi;
class PreferencesApi;
class DigestsApi;
class DigestScheduler;
class FeedApi;
class OutboxHost;
class HttpServer;
class Hub;
class InboxApi;
class InboxFanOut;
class InboxService;
class UnseenTracker;
class NotificationRepository;
class NotificationService;
class NotificationsApi;
class PlainTextPublishApi;
class AlertmanagerApi;
class Relay;
class RelayedDigests;
class RequestLimits;
class Router;
class SessionQuota;
class FailedAuthLimiter;
class StoreThread;
class SystemApi;
class UnixSignalWatcher;
class WsWorker;

// The composition root of the running daemon: builds every part, owns every thread and moves
// each object to its thread once, wires the parts together through constructors, and takes
// them down in order on SIGTERM. See docs/ARCHITECTURE.md for the threads table.
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
    void startWorkers();
    void startRelay();
    void buildApi();
    void startOutbox();
    bool listen();
    void shutDown(int signalNumber);
    void stopThreads();

    Config m_config;
    Metrics m_metrics;
    KnownChannels m_knownChannels;
    EventCatalog m_eventCatalog;
    RoutingTable m_routing;
    PreferenceBook m_preferenceBook; // every user's delivery preferences, for every thread
    FollowBook m_followBook;         // what every user follows, for every thread
    ArrivalLog m_arrivals;           // the order the hub hands on persistent notifications
    ResumeBook m_liveSessions;       // where devices' sessions stopped, for exact resumes
    std::unique_ptr<RelayedDigests> m_relayedDigests; // for the relay, on the store's thread
    DeliveryMetrics m_deliveryMetrics;
    std::unique_ptr<QLockFile> m_databaseLock; // held while the daemon runs (SQLite only)
    std::unique_ptr<StoreThread> m_store;
    Authenticator *m_authenticator = nullptr;
    std::unique_ptr<SessionQuota> m_sessionQuota;
    int m_descriptorBudget = 0; // for connections, HTTP and WebSockets together
    std::unique_ptr<FailedAuthLimiter> m_authFailures; // REST, upgrades and register frames
    std::vector<std::unique_ptr<QThread>> m_workerThreads;
    std::unique_ptr<Hub> m_hub;
    UnseenTracker *m_unseen = nullptr;
    std::unique_ptr<InboxFanOut> m_fanOut; // the hub, as the core and the relay see it
    QThread m_relayThread;
    Relay *m_relay = nullptr; // lives on m_relayThread until it ends, then here; deleted last
    std::unique_ptr<NotificationRepository> m_repository;
    NotificationService *m_notifications = nullptr;
    InboxService *m_inbox = nullptr;
    CatalogService *m_catalog = nullptr;
    AccountService *m_accounts = nullptr;
    std::unique_ptr<DaemonStatus> m_status;
    RequestLimits *m_requestLimits = nullptr; // REST, upgrades and WebSocket publish frames
    Router *m_router = nullptr;
    std::unique_ptr<SystemApi> m_systemApi;
    std::unique_ptr<CatalogApi> m_catalogApi;
    std::unique_ptr<NotificationsApi> m_notificationsApi;
    std::unique_ptr<PlainTextPublishApi> m_plainTextPublishApi;
    std::unique_ptr<AlertmanagerApi> m_alertmanagerApi;
    std::unique_ptr<AdminApi> m_adminApi;
    std::unique_ptr<InboxApi> m_inboxApi;
    EndpointService *m_endpoints = nullptr;
    std::unique_ptr<EndpointsApi> m_endpointsApi;
    std::unique_ptr<PreferencesApi> m_preferencesApi;
    std::unique_ptr<DigestsApi> m_digestsApi;
    DigestScheduler *m_digests = nullptr;
    std::unique_ptr<FeedApi> m_feedApi;
    std::unique_ptr<OutboxHost> m_outbox; // stopped before the store drains
    HttpServer *m_http = nullptr;
    UnixSignalWatcher *m_signals = nullptr;
    bool m_stopping = false;
};

} // namespace herald::syncd
