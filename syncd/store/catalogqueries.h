// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/application.h"
#include "protocol/error.h"
#include "store/sqlconnection.h"
#include "store/storetypes.h"
#include "store/transactioncache.h"

#include <QList>

#include <optional>

namespace herald::syncd {

// Applications and channels (SqlStore's catalog methods; their contracts are documented
// there). Works on a connection it does not own.
class CatalogQueries
{
public:
    explicit CatalogQueries(SqlConnection &connection)
        : m_connection(connection), m_applicationIds(connection), m_channelIds(connection)
    {
    }

    Result<Application> upsertApplication(const Application &application);
    Result<std::optional<Application>> findApplication(const QString &name);
    Result<QList<Application>> applications();
    Result<bool> deleteApplication(const QString &name);

    Result<Channel> upsertChannel(const Channel &channel);
    Result<std::optional<Channel>> findChannel(const QString &application, const QString &name);
    Result<QList<Channel>> channels(const QString &application);
    // Up to `limit` channels with their application and both row ids, the newest first.
    Result<QList<ChannelRow>> channelRows(int limit);

    // Row id of an application; nullopt when unknown.
    Result<std::optional<qint64>> applicationId(const QString &name);
    // Row id of a channel; nullopt when unknown. With `create`, an unknown channel of a known
    // application is created (title and description empty).
    Result<std::optional<qint64>> channelId(qint64 applicationId, const QString &name, bool create);

private:
    Result<QList<Channel>> selectChannels(const QString &where, const QVariantList &values);
    Result<std::optional<qint64>> findOrCreateChannel(qint64 applicationId, const QString &name,
                                                      bool create);

    SqlConnection &m_connection;
    // Row ids found in the open transaction: a batch of publishes to one channel looks it
    // up once. Only ids of rows that exist are kept; deleting an application forgets all.
    TransactionCache<QString, qint64> m_applicationIds;
    TransactionCache<QPair<qint64, QString>, qint64> m_channelIds;
};

} // namespace herald::syncd
