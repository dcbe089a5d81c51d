// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/error.h"
#include "store/endpointtypes.h"
#include "store/sqlconnection.h"

#include <QList>

#include <optional>

namespace herald::syncd {

// Tables `endpoints` and `behaviors` (schema 6): where notifications leave the daemon and
// which of an application's notifications go where. Plain storage: what is valid is the
// core's to say. Works on a connection it does not own, on that connection's thread.
class EndpointQueries
{
public:
    explicit EndpointQueries(SqlConnection &connection) : m_connection(connection) {}

    // Creates or replaces; true when it is new. Replacing keeps the run of failures and
    // the disabled state unless `endpoint` says enabled (a PUT that re-enables).
    Result<bool> put(const EndpointRecord &endpoint);
    Result<std::optional<EndpointRecord>> find(const QString &name);
    Result<QList<EndpointRecord>> all(); // by name
    // With its pending jobs (a job for an endpoint that is gone can never be delivered).
    Result<bool> remove(const QString &name);
    // Enables it again and forgets its failures; false when there is no such endpoint.
    Result<bool> enable(const QString &name);
    // A success resets the run of failures; a failure extends it and disables the endpoint
    // once it reaches `disableAfter` (with `reason`). True when this call disabled it.
    Result<bool> recordAttempt(const QString &name, bool failed, int disableAfter,
                               const QString &reason, qint64 nowMs);

    Result<bool> putBehavior(const BehaviorRecord &behavior); // true when new
    Result<std::optional<BehaviorRecord>> behavior(const QString &application, const QString &name);
    // One application's (by name), or every application's when `application` is empty.
    Result<QList<BehaviorRecord>> behaviors(const QString &application = {});
    Result<bool> removeBehavior(const QString &application, const QString &name);
    Result<void> removeBehaviorsOf(const QString &application);

private:
    SqlConnection &m_connection;
};

} // namespace herald::syncd
