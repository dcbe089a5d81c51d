// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "auth/principal.h"
#include "config/config.h"
#include "core/behavior.h"
#include "core/reply.h"
#include "store/endpointtypes.h"

#include <QJsonObject>
#include <QObject>

#include <optional>

namespace herald::syncd {

class RoutingTable;
class StoreThread;

// Endpoints, behaviour groups and the delivery log (PROTOCOL.md, Routing to endpoints): who
// may change them (admins), what a valid one is, and the RoutingTable the publish path routes
// by, kept in step with every change here and reloaded every second for changes made
// elsewhere. Lives on the front thread; answers arrive there.
class EndpointService : public QObject
{
    Q_OBJECT
public:
    // Email endpoints are refused unless `smtp` is configured.
    EndpointService(const EndpointSettings &settings, const SmtpSettings &smtp, int nodeId,
                    StoreThread &store, RoutingTable &routing, QObject *parent = nullptr);
    void start(); // the first load now, then every ReloadMs
    static constexpr int ReloadMs = 1000;

    struct Saved
    {
        EndpointRecord endpoint;
        bool created = false;
        bool secretShown = false; // the answer carries the secret (made or set by this PUT)
    };
    struct Listed
    {
        EndpointRecord endpoint;
        DeliveryCounts deliveries;
    };

    // Reads and checks a PUT body (kind, url, secret, to, enabled); a webhook without a secret
    // keeps the one it has or gets a new one.
    void putEndpoint(const Principal &principal, const QString &name, const QJsonObject &body,
                     Reply<Saved> done);
    void endpoints(const Principal &principal, Reply<QList<Listed>> done);
    void endpoint(const Principal &principal, const QString &name, Reply<Listed> done);
    void removeEndpoint(const Principal &principal, const QString &name, Reply<void> done);
    void enableEndpoint(const Principal &principal, const QString &name, Reply<Listed> done);
    void deliveries(const Principal &principal, const QString &name,
                    std::optional<DeliveryStatus> status, int limit,
                    Reply<QList<DeliveryJob>> done);
    // Queues a test delivery (a notification of code "herald.test" that no session sees);
    // the answer is its job.
    void testEndpoint(const Principal &principal, const QString &name, Reply<DeliveryJob> done);

    // Reads and checks a PUT body (Behavior::fromJson); the application and every endpoint
    // named must exist.
    void putBehavior(const Principal &principal, const QString &application, const QString &name,
                     const QJsonObject &body, Reply<std::pair<Behavior, bool>> done);
    void behaviors(const Principal &principal, const QString &application,
                   Reply<QList<Behavior>> done);
    void behavior(const Principal &principal, const QString &application, const QString &name,
                  Reply<Behavior> done);
    void removeBehavior(const Principal &principal, const QString &application, const QString &name,
                        Reply<void> done);

    // Reads a stored behaviour group back (its JSON was checked before it was stored).
    static Behavior fromRecord(const BehaviorRecord &record);

Q_SIGNALS:
    // Jobs were added to the outbox (a test delivery) or an endpoint became deliverable again.
    void deliveriesAdded();

private:
    static Result<void> checkAdmin(const Principal &principal);
    Result<EndpointRecord> readEndpoint(const QString &name, const QJsonObject &body) const;
    void reload();

    const EndpointSettings &m_settings;
    const bool m_smtpConfigured;
    const int m_nodeId;
    StoreThread &m_store;
    RoutingTable &m_routing;
    bool m_reloading = false;
    bool m_reloadFailing = false;
};

} // namespace herald::syncd
