// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/eventtyperules.h"
#include "core/reply.h"

#include <QHash>
#include <QString>

#include <functional>
#include <vector>

namespace herald::syncd {

// Every application's EventTypeRules, in memory, so that checking a publish against its event
// types costs no trip to the store. CatalogService fills it: the whole catalog at start and
// again every second (the command line and other daemons on the same database change
// applications too), and this node's own changes at once, so a producer that registers and
// then publishes is checked against what it registered. An application it does not know yet
// (made elsewhere since the last reload) is not checked until the next reload.
// Front thread only.
class EventCatalog
{
public:
    // True once a whole catalog has been loaded.
    bool isLoaded() const { return m_loaded; }
    // Runs `then` when the first catalog is loaded (at once when it is), or with the error of
    // a load that failed. Calls wait in the order they came.
    void whenLoaded(Reply<void> then);

    // The rules of `application`; rules that check nothing for an application it does not know.
    const EventTypeRules &rules(const QString &application) const;

    // Replaces everything with `all` (a reload) and runs what waited for it.
    void replaceAll(QHash<QString, EventTypeRules> all);
    // A load failed: what waits for the first one gets the error (a later load may succeed).
    void loadFailed(const Error &error);
    // This node registered or deleted an application.
    void remember(const Application &application);
    void forget(const QString &application);

private:
    bool m_loaded = false;
    QHash<QString, EventTypeRules> m_rules;
    std::vector<Reply<void>> m_waiting;
};

} // namespace herald::syncd
