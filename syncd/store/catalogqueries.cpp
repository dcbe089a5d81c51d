// SPDX-License-Identifier: Apache-2.0
#include "store/catalogqueries.h"

#include "store/storelog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlRecord>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

QString eventTypesToJson(const QList<EventType> &eventTypes)
{
    QJsonArray array;
    for (const EventType &type : eventTypes) {
        QJsonArray levels;
        for (const Level &level : type.levels)
            levels.append(QJsonObject{{u"id"_s, level.id}, {u"title"_s, level.title}});
        array.append(
            QJsonObject{{u"id"_s, type.id}, {u"title"_s, type.title}, {u"levels"_s, levels}});
    }
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

QList<EventType> eventTypesFromJson(const QString &text)
{
    QList<EventType> eventTypes;
    const QJsonArray array = QJsonDocument::fromJson(text.toUtf8()).array();
    for (const QJsonValue &value : array) {
        const QJsonObject object = value.toObject();
        EventType type{object.value(u"id").toString(), object.value(u"title").toString(), {}};
        const QJsonArray levels = object.value(u"levels").toArray();
        for (const QJsonValue &level : levels) {
            type.levels.append(Level{level.toObject().value(u"id").toString(),
                                     level.toObject().value(u"title").toString()});
        }
        eventTypes.append(type);
    }
    return eventTypes;
}

const QString ApplicationColumns = u"id, name, title, event_types, accept_unknown_events"_s;

Application applicationFrom(const QSqlQuery &query)
{
    return Application{query.value(0).toLongLong(), query.value(1).toString(),
                       query.value(2).toString(), eventTypesFromJson(query.value(3).toString()),
                       query.value(4).toInt() != 0};
}

} // namespace

Result<Application> CatalogQueries::upsertApplication(const Application &application)
{
    // The name identifies the application and never changes; the rest is replaced.
    auto query = m_connection.run(
        u"INSERT INTO applications (name, title, event_types, accept_unknown_events) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET title = excluded.title, "
        "event_types = excluded.event_types, "
        "accept_unknown_events = excluded.accept_unknown_events RETURNING id"_s,
        {application.name, application.title, eventTypesToJson(application.eventTypes),
         application.acceptUnknownEvents ? 1 : 0});
    if (!query)
        return tl::unexpected(query.error());
    if (!query->next())
        return fail(ErrorCode::Internal, u"database: upsert returned no application id"_s);
    Application stored = application;
    stored.rowId = query->value(0).toLongLong();
    return stored;
}

Result<std::optional<Application>> CatalogQueries::findApplication(const QString &name)
{
    auto query = m_connection.run(
        u"SELECT "_s + ApplicationColumns + u" FROM applications WHERE name = ?"_s, {name});
    if (!query)
        return tl::unexpected(query.error());
    if (!query->next())
        return std::optional<Application>();
    return std::optional<Application>(applicationFrom(*query));
}

Result<QList<Application>> CatalogQueries::applications()
{
    auto query =
        m_connection.run(u"SELECT "_s + ApplicationColumns + u" FROM applications ORDER BY name"_s);
    if (!query)
        return tl::unexpected(query.error());
    QList<Application> result;
    while (query->next())
        result.append(applicationFrom(*query));
    return result;
}

Result<bool> CatalogQueries::deleteApplication(const QString &name)
{
    // Channels, notifications, recipients and receipts follow by ON DELETE CASCADE.
    m_applicationIds.clear();
    m_channelIds.clear();
    auto query = m_connection.run(u"DELETE FROM applications WHERE name = ?"_s, {name});
    if (!query)
        return tl::unexpected(query.error());
    return query->numRowsAffected() > 0;
}

Result<std::optional<qint64>> CatalogQueries::applicationId(const QString &name)
{
    if (const qint64 *known = m_applicationIds.find(name))
        return std::optional<qint64>(*known);
    auto id = m_connection.readInteger(u"SELECT id FROM applications WHERE name = ?"_s, {name});
    if (id && *id)
        m_applicationIds.insert(name, **id);
    return id;
}

Result<std::optional<qint64>> CatalogQueries::channelId(qint64 applicationId, const QString &name,
                                                        bool create)
{
    const QPair<qint64, QString> key(applicationId, name);
    if (const qint64 *known = m_channelIds.find(key))
        return std::optional<qint64>(*known);
    auto found = findOrCreateChannel(applicationId, name, create);
    if (found && *found)
        m_channelIds.insert(key, **found);
    return found;
}

Result<std::optional<qint64>> CatalogQueries::findOrCreateChannel(qint64 applicationId,
                                                                  const QString &name, bool create)
{
    const QString select = u"SELECT id FROM channels WHERE application_id = ? AND name = ?"_s;
    auto found = m_connection.readInteger(select, {applicationId, name});
    if (!found || *found || !create)
        return found;
    // Another writer (another node on a shared PostgreSQL database) may create the same
    // channel at the same moment: whoever comes second waits for the first to commit and
    // then takes its row instead of failing on the unique constraint.
    // RETURNING gives the new row's id; no row when the other writer's row is there.
    auto inserted = m_connection.readInteger(
        m_connection.dialect().insertOrIgnore(u"channels"_s, u"application_id, name"_s, u"?, ?"_s,
                                              u"application_id, name"_s) +
            u" RETURNING id"_s,
        {applicationId, name});
    if (!inserted || *inserted) {
        // Debug only: producers may make thousands of channels, one log line each cost S2w 4%
        // of its rate (docs/PERFORMANCE.md, "S4, round 4"); GET .../channels lists them.
        if (inserted)
            qCDebug(lcStore) << "created channel" << name << "of application" << applicationId;
        return inserted;
    }
    auto existing = m_connection.readInteger(select, {applicationId, name});
    if (existing && !*existing) {
        // Only under an isolation level above READ COMMITTED, where the other writer's row
        // stays invisible to this transaction.
        return fail(ErrorCode::Unavailable,
                    u"channel: '%1' was created concurrently; try again"_s.arg(name));
    }
    return existing;
}

Result<Channel> CatalogQueries::upsertChannel(const Channel &channel)
{
    auto application = applicationId(channel.application);
    if (!application)
        return tl::unexpected(application.error());
    if (!*application) {
        return fail(ErrorCode::NotFound,
                    u"application: unknown application '%1'"_s.arg(channel.application));
    }
    auto query = m_connection.run(
        u"INSERT INTO channels (application_id, name, title, description) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (application_id, name) DO UPDATE SET title = excluded.title, "
        "description = excluded.description RETURNING id"_s,
        {**application, channel.name, channel.title, channel.description});
    if (!query)
        return tl::unexpected(query.error());
    if (!query->next())
        return fail(ErrorCode::Internal, u"database: upsert returned no channel id"_s);
    Channel stored = channel;
    stored.rowId = query->value(0).toLongLong();
    return stored;
}

Result<std::optional<Channel>> CatalogQueries::findChannel(const QString &application,
                                                           const QString &name)
{
    auto found = selectChannels(u"a.name = ? AND c.name = ?"_s, {application, name});
    if (!found)
        return tl::unexpected(found.error());
    if (found->isEmpty())
        return std::optional<Channel>();
    return std::optional<Channel>(found->first());
}

Result<QList<Channel>> CatalogQueries::channels(const QString &application)
{
    if (application.isEmpty())
        return selectChannels(u"1 = 1"_s, {});
    return selectChannels(u"a.name = ?"_s, {application});
}

Result<QList<ChannelRow>> CatalogQueries::channelRows(int limit)
{
    auto query = m_connection.run(u"SELECT a.name, c.name, a.id, c.id FROM channels c "
                                  "JOIN applications a ON a.id = c.application_id "
                                  "ORDER BY c.id DESC LIMIT ?"_s,
                                  {limit});
    if (!query)
        return tl::unexpected(query.error());
    QList<ChannelRow> rows;
    while (query->next()) {
        rows.append({query->value(0).toString(), query->value(1).toString(),
                     query->value(2).toLongLong(), query->value(3).toLongLong()});
    }
    return rows;
}

Result<QList<Channel>> CatalogQueries::selectChannels(const QString &where,
                                                      const QVariantList &values)
{
    auto query =
        m_connection.run(u"SELECT c.id, a.name, c.name, c.title, c.description FROM channels c "
                         "JOIN applications a ON a.id = c.application_id WHERE "_s +
                             where + u" ORDER BY a.name, c.name"_s,
                         values);
    if (!query)
        return tl::unexpected(query.error());
    QList<Channel> result;
    while (query->next()) {
        result.append(Channel{query->value(0).toLongLong(), query->value(1).toString(),
                              query->value(2).toString(), query->value(3).toString(),
                              query->value(4).toString()});
    }
    return result;
}

} // namespace herald::syncd
