// SPDX-License-Identifier: Apache-2.0
#include "core/routingtable.h"

#include "codec/jsoncodec.h"
#include "codec/jsonnotification.h"
#include "core/eventcatalog.h"
#include "core/outboxjobid.h"

#include <QJsonDocument>

#include <algorithm>

namespace herald::syncd {

void RoutingTable::replaceAll(const QList<Behavior> &behaviors,
                              const QSet<QString> &enabledEndpoints)
{
    m_byApplication.clear();
    for (const Behavior &behavior : behaviors)
        put(behavior);
    m_enabled = enabledEndpoints;
}

void RoutingTable::put(const Behavior &behavior)
{
    QList<Behavior> &groups = m_byApplication[behavior.application];
    auto at =
        std::lower_bound(groups.begin(), groups.end(), behavior.name,
                         [](const Behavior &b, const QString &name) { return b.name < name; });
    if (at != groups.end() && at->name == behavior.name)
        *at = behavior;
    else
        groups.insert(at, behavior);
}

void RoutingTable::remove(const QString &application, const QString &name)
{
    auto found = m_byApplication.find(application);
    if (found == m_byApplication.end())
        return;
    found->removeIf([&](const Behavior &b) { return b.name == name; });
    if (found->isEmpty())
        m_byApplication.erase(found);
}

void RoutingTable::forgetApplication(const QString &application)
{
    m_byApplication.remove(application);
}

void RoutingTable::setEndpointEnabled(const QString &endpoint, bool enabled)
{
    if (enabled)
        m_enabled.insert(endpoint);
    else
        m_enabled.remove(endpoint);
}

QStringList RoutingTable::endpointsFor(const Notification &notification,
                                       const EventCatalog &eventTypes) const
{
    const auto found = m_byApplication.constFind(notification.application);
    if (found == m_byApplication.cend())
        return {};
    QStringList endpoints;
    const EventTypeRules &rules = eventTypes.rules(notification.application);
    for (const Behavior &behavior : *found) {
        if (!behavior.matches(notification, rules))
            continue;
        for (const QString &endpoint : behavior.endpoints) {
            if (m_enabled.contains(endpoint) && !endpoints.contains(endpoint))
                endpoints.append(endpoint);
        }
    }
    return endpoints;
}

QList<DeliveryJob> RoutingTable::jobsFor(const QList<Notification> &notifications,
                                         const EventCatalog &eventTypes, int node,
                                         qint64 nowMs) const
{
    QList<DeliveryJob> jobs;
    if (!routesAnything())
        return jobs;
    for (const Notification &n : notifications) {
        const QStringList endpoints = endpointsFor(n, eventTypes);
        if (endpoints.isEmpty())
            continue;
        const QByteArray payload = json::notificationText(n);
        for (const QString &endpoint : endpoints) {
            DeliveryJob job;
            job.id = newOutboxJobId(nowMs);
            job.endpoint = endpoint;
            job.notificationId = n.id;
            job.payload = payload;
            job.node = node;
            job.createdMs = nowMs;
            job.nextAttemptMs = nowMs;
            jobs.append(job);
        }
    }
    return jobs;
}

} // namespace herald::syncd
