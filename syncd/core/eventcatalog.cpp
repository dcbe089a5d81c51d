// SPDX-License-Identifier: Apache-2.0
#include "core/eventcatalog.h"

namespace herald::syncd {

void EventCatalog::whenLoaded(Reply<void> then)
{
    if (m_loaded)
        return then({});
    m_waiting.push_back(std::move(then));
}

const EventTypeRules &EventCatalog::rules(const QString &application) const
{
    static const EventTypeRules unchecked;
    const auto found = m_rules.constFind(application);
    return found == m_rules.cend() ? unchecked : *found;
}

void EventCatalog::replaceAll(QHash<QString, EventTypeRules> all)
{
    m_rules = std::move(all);
    m_loaded = true;
    // Taken first: a waiting publish may itself ask again.
    const std::vector<Reply<void>> waiting = std::exchange(m_waiting, {});
    for (const Reply<void> &then : waiting)
        then({});
}

void EventCatalog::loadFailed(const Error &error)
{
    const std::vector<Reply<void>> waiting = std::exchange(m_waiting, {});
    for (const Reply<void> &then : waiting)
        then(tl::unexpected(error));
}

void EventCatalog::remember(const Application &application)
{
    m_rules.insert(application.name, EventTypeRules(application));
}

void EventCatalog::forget(const QString &application)
{
    m_rules.remove(application);
}

} // namespace herald::syncd
