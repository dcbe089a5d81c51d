// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/behavior.h"
#include "store/endpointtypes.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QStringList>

namespace herald::syncd {

class EventCatalog;

// Every application's behaviour groups and the endpoints that are enabled, in memory, so that
// routing a publish costs no trip to the store. EndpointService fills it: everything at start
// and every second (other nodes and the command line change them too), and this node's own
// changes at once. Front thread only.
class RoutingTable
{
public:
    // Replaces everything (a reload).
    void replaceAll(const QList<Behavior> &behaviors, const QSet<QString> &enabledEndpoints);
    void put(const Behavior &behavior);
    void remove(const QString &application, const QString &name);
    void forgetApplication(const QString &application);
    void setEndpointEnabled(const QString &endpoint, bool enabled);

    // The enabled endpoints `notification` goes to, each once, in the order of the groups
    // (by name) and of their endpoint lists. Empty, and cheap, for an application without
    // groups.
    QStringList endpointsFor(const Notification &notification,
                             const EventCatalog &eventTypes) const;
    bool routesAnything() const { return !m_byApplication.isEmpty(); }
    // The outbox's jobs for a publish: one per notification and endpoint it goes to, due at
    // once, delivered by `node`.
    QList<DeliveryJob> jobsFor(const QList<Notification> &notifications,
                               const EventCatalog &eventTypes, int node, qint64 nowMs) const;

private:
    QHash<QString, QList<Behavior>> m_byApplication; // each list by name
    QSet<QString> m_enabled;
};

} // namespace herald::syncd
