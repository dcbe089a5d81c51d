// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/error.h"
#include "store/sqlconnection.h"
#include "store/storetypes.h"

#include <QHash>
#include <QList>
#include <QStringList>

#include <optional>

namespace herald::syncd {

// Users and tokens (SqlStore's methods of the same names; their contracts are documented
// there). Works on a connection it does not own.
class AccountQueries
{
public:
    explicit AccountQueries(SqlConnection &connection) : m_connection(connection) {}

    Result<void> createUser(const QString &name);
    Result<bool> userExists(const QString &name);
    // A user's delivery preferences as stored (JSON); nullopt: none stored (the defaults).
    Result<std::optional<QString>> preferences(const QString &user);
    // The preferences stored or changed at `sinceMs` or later (by any node of the database):
    // user, JSON, when.
    struct StoredPreferences
    {
        QString user;
        QString json;
        qint64 updatedMs = 0;
    };
    Result<QList<StoredPreferences>> preferencesSince(qint64 sinceMs);
    Result<void> putPreferences(const QString &user, const QString &json, qint64 nowMs);
    Result<QStringList> users();

    Result<qint64> insertToken(const TokenRecord &token);
    Result<std::optional<TokenRecord>> findTokenByHash(const QByteArray &hash);
    Result<bool> deleteToken(qint64 id);
    Result<QList<qint64>> deleteUser(const QString &name);
    Result<QList<TokenRecord>> tokens();
    Result<QList<TokenRevocation>> revocationsSince(qint64 sinceMs);
    Result<void> purgeRevocations(qint64 beforeMs);

private:
    Result<QList<TokenRecord>> selectTokens(const QString &where, const QVariantList &values);
    Result<void> recordRevocation(qint64 tokenId);

    SqlConnection &m_connection;
};

} // namespace herald::syncd
