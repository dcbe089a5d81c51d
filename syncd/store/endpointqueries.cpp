// SPDX-License-Identifier: Apache-2.0
#include "store/endpointqueries.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

QString toJsonArray(const QStringList &items)
{
    return QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(items)).toJson(QJsonDocument::Compact));
}

QStringList fromJsonArray(const QString &json)
{
    QStringList items;
    for (const QJsonValue &value : QJsonDocument::fromJson(json.toUtf8()).array())
        items.append(value.toString());
    return items;
}

const QString EndpointColumns =
    u"name, kind, url, secret, recipients, enabled, disabled_reason, failures_in_row, updated_ms"_s;

EndpointRecord endpointFromRow(const QSqlQuery &q)
{
    EndpointRecord e;
    e.name = q.value(0).toString();
    e.kind = q.value(1).toString();
    e.url = q.value(2).toString();
    e.secret = q.value(3).toString();
    e.recipients = fromJsonArray(q.value(4).toString());
    e.enabled = q.value(5).toInt() != 0;
    e.disabledReason = q.value(6).toString();
    e.failuresInRow = q.value(7).toInt();
    e.updatedMs = q.value(8).toLongLong();
    return e;
}

BehaviorRecord behaviorFromRow(const QSqlQuery &q)
{
    return {q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
            fromJsonArray(q.value(3).toString())};
}

} // namespace

Result<bool> EndpointQueries::put(const EndpointRecord &endpoint)
{
    auto existing = find(endpoint.name);
    if (!existing)
        return tl::unexpected(existing.error());
    const QString recipients = toJsonArray(endpoint.recipients);
    auto query =
        existing->has_value()
            ? m_connection.run(
                  u"UPDATE endpoints SET kind = ?, url = ?, secret = ?, recipients = ?, "
                  "enabled = CASE WHEN ? = 1 THEN 1 ELSE enabled END, "
                  "disabled_reason = CASE WHEN ? = 1 THEN '' ELSE disabled_reason END, "
                  "failures_in_row = CASE WHEN ? = 1 THEN 0 ELSE failures_in_row END, "
                  "updated_ms = ? WHERE name = ?"_s,
                  {endpoint.kind, endpoint.url, endpoint.secret, recipients, int(endpoint.enabled),
                   int(endpoint.enabled), int(endpoint.enabled), endpoint.updatedMs, endpoint.name})
            : m_connection.run(u"INSERT INTO endpoints (name, kind, url, secret, recipients, "
                               "enabled, disabled_reason, failures_in_row, updated_ms) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)"_s,
                               {endpoint.name, endpoint.kind, endpoint.url, endpoint.secret,
                                recipients, int(endpoint.enabled), endpoint.disabledReason,
                                endpoint.updatedMs});
    if (!query)
        return tl::unexpected(query.error());
    return !existing->has_value();
}

Result<std::optional<EndpointRecord>> EndpointQueries::find(const QString &name)
{
    auto query = m_connection.run(
        u"SELECT "_s + EndpointColumns + u" FROM endpoints WHERE name = ?"_s, {name});
    if (!query)
        return tl::unexpected(query.error());
    if (!query->next())
        return std::optional<EndpointRecord>();
    return std::optional<EndpointRecord>(endpointFromRow(*query));
}

Result<QList<EndpointRecord>> EndpointQueries::all()
{
    auto query =
        m_connection.run(u"SELECT "_s + EndpointColumns + u" FROM endpoints ORDER BY name"_s);
    if (!query)
        return tl::unexpected(query.error());
    QList<EndpointRecord> endpoints;
    while (query->next())
        endpoints.append(endpointFromRow(*query));
    return endpoints;
}

Result<bool> EndpointQueries::remove(const QString &name)
{
    bool removed = false;
    auto done = m_connection.atomically([&]() -> Result<void> {
        auto jobs = m_connection.run(
            u"DELETE FROM deliveries WHERE endpoint = ? AND status = 'pending'"_s, {name});
        if (!jobs)
            return tl::unexpected(jobs.error());
        auto query = m_connection.run(u"DELETE FROM endpoints WHERE name = ?"_s, {name});
        if (!query)
            return tl::unexpected(query.error());
        removed = query->numRowsAffected() > 0;
        return {};
    });
    if (!done)
        return tl::unexpected(done.error());
    return removed;
}

Result<bool> EndpointQueries::enable(const QString &name)
{
    auto query = m_connection.run(u"UPDATE endpoints SET enabled = 1, disabled_reason = '', "
                                  "failures_in_row = 0 WHERE name = ?"_s,
                                  {name});
    if (!query)
        return tl::unexpected(query.error());
    return query->numRowsAffected() > 0;
}

Result<bool> EndpointQueries::recordAttempt(const QString &name, bool failed, int disableAfter,
                                            const QString &reason, qint64 nowMs)
{
    if (!failed) {
        auto query = m_connection.run(
            u"UPDATE endpoints SET failures_in_row = 0 WHERE name = ? AND failures_in_row <> 0"_s,
            {name});
        if (!query)
            return tl::unexpected(query.error());
        return false;
    }
    auto counted = m_connection.run(
        u"UPDATE endpoints SET failures_in_row = failures_in_row + 1 WHERE name = ?"_s, {name});
    if (!counted)
        return tl::unexpected(counted.error());
    auto disabled =
        m_connection.run(u"UPDATE endpoints SET enabled = 0, disabled_reason = ?, updated_ms = ? "
                         "WHERE name = ? AND enabled = 1 AND failures_in_row >= ?"_s,
                         {reason, nowMs, name, disableAfter});
    if (!disabled)
        return tl::unexpected(disabled.error());
    return disabled->numRowsAffected() > 0;
}

Result<bool> EndpointQueries::putBehavior(const BehaviorRecord &behavior)
{
    auto existing = this->behavior(behavior.application, behavior.name);
    if (!existing)
        return tl::unexpected(existing.error());
    const QString endpoints = toJsonArray(behavior.endpoints);
    auto query =
        existing->has_value()
            ? m_connection.run(u"UPDATE behaviors SET match = ?, endpoints = ? "
                               "WHERE application = ? AND name = ?"_s,
                               {behavior.matchJson, endpoints, behavior.application, behavior.name})
            : m_connection.run(
                  u"INSERT INTO behaviors (application, name, match, "
                  "endpoints) VALUES (?, ?, ?, ?)"_s,
                  {behavior.application, behavior.name, behavior.matchJson, endpoints});
    if (!query)
        return tl::unexpected(query.error());
    return !existing->has_value();
}

Result<std::optional<BehaviorRecord>> EndpointQueries::behavior(const QString &application,
                                                                const QString &name)
{
    auto query = m_connection.run(u"SELECT application, name, match, endpoints FROM behaviors "
                                  "WHERE application = ? AND name = ?"_s,
                                  {application, name});
    if (!query)
        return tl::unexpected(query.error());
    if (!query->next())
        return std::optional<BehaviorRecord>();
    return std::optional<BehaviorRecord>(behaviorFromRow(*query));
}

Result<QList<BehaviorRecord>> EndpointQueries::behaviors(const QString &application)
{
    auto query = application.isEmpty()
                     ? m_connection.run(u"SELECT application, name, match, endpoints FROM "
                                        "behaviors ORDER BY application, name"_s)
                     : m_connection.run(u"SELECT application, name, match, endpoints FROM "
                                        "behaviors WHERE application = ? ORDER BY name"_s,
                                        {application});
    if (!query)
        return tl::unexpected(query.error());
    QList<BehaviorRecord> behaviors;
    while (query->next())
        behaviors.append(behaviorFromRow(*query));
    return behaviors;
}

Result<bool> EndpointQueries::removeBehavior(const QString &application, const QString &name)
{
    auto query = m_connection.run(u"DELETE FROM behaviors WHERE application = ? AND name = ?"_s,
                                  {application, name});
    if (!query)
        return tl::unexpected(query.error());
    return query->numRowsAffected() > 0;
}

Result<void> EndpointQueries::removeBehaviorsOf(const QString &application)
{
    auto query = m_connection.run(u"DELETE FROM behaviors WHERE application = ?"_s, {application});
    if (!query)
        return tl::unexpected(query.error());
    return {};
}

} // namespace herald::syncd
