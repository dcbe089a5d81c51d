// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/application.h"
#include "model/notification.h"
#include "protocol/error.h"

#include <QHash>
#include <QStringList>

#include <optional>

namespace herald::syncd {

// One application's registered event types as the publish path checks them: a notification's
// `code` must be one of the types and its `level` one of that type's levels. An application
// that registers no event types, or says acceptUnknownEvents, takes every code and level (so
// producers that never registered any keep working). Built once per registration, then only
// read: a check is two hash lookups. A plain value, safe to copy between threads.
class EventTypeRules
{
public:
    EventTypeRules() = default; // nothing registered: everything passes
    explicit EventTypeRules(const Application &application);

    // True when publishes are checked at all.
    bool isEnforced() const { return m_enforced; }

    // A bad_request naming the code or level ("code: ...") when the notification's code or
    // level is not registered; with `batchIndex` the path is the batch item's ("[2].code").
    Result<void> check(const Notification &notification, qsizetype batchIndex = -1) const;

    // Where `level` stands among the levels of event type `code`, in the order the application
    // registered them (0 first); nullopt when either is not registered. Registration order is
    // severity order, so a minimum level compares by this rank.
    std::optional<int> levelRank(const QString &code, const QString &level) const;
    // Whether `level` is `minimum` or registered after it, for event type `code`; nullopt when
    // either level is not one of that type's.
    std::optional<bool> reaches(const QString &code, const QString &level,
                                const QString &minimum) const;

private:
    QString m_application;
    bool m_enforced = false;
    QStringList m_codes;                  // registration order, for error messages
    QHash<QString, QStringList> m_levels; // event type id -> level ids in registration order
};

} // namespace herald::syncd
