// SPDX-License-Identifier: Apache-2.0
#include "store/accountqueries.h"

#include "model/timestamps.h"
#include "store/storelog.h"

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

// Empty texts are stored as NULL: a user token has no application, and so on.
QVariant nullIfEmpty(const QString &text)
{
    return text.isEmpty() ? QVariant() : QVariant(text);
}

qint64 msOrNow(const QDateTime &time)
{
    return (time.isValid() ? time : utcNow()).toMSecsSinceEpoch();
}

} // namespace

Result<void> AccountQueries::createUser(const QString &name)
{
    auto query = m_connection.run(m_connection.dialect().insertOrIgnore(
                                      u"users"_s, u"name, created_at_ms"_s, u"?, ?"_s, u"name"_s),
                                  {name, msOrNow({})});
    if (!query)
        return tl::unexpected(query.error());
    if (query->numRowsAffected() == 0)
        return fail(ErrorCode::Conflict, u"name: user '%1' exists already"_s.arg(name));
    return {};
}

Result<bool> AccountQueries::userExists(const QString &name)
{
    auto query = m_connection.run(u"SELECT 1 FROM users WHERE name = ?"_s, {name});
    if (!query)
        return tl::unexpected(query.error());
    return query->next();
}

Result<std::optional<QString>> AccountQueries::preferences(const QString &user)
{
    auto query =
        m_connection.run(u"SELECT preferences FROM user_preferences WHERE user_name = ?"_s, {user});
    if (!query)
        return tl::unexpected(query.error());
    if (!query->next())
        return std::optional<QString>();
    return std::optional<QString>(query->value(0).toString());
}

Result<QList<AccountQueries::StoredPreferences>> AccountQueries::preferencesSince(qint64 sinceMs)
{
    auto query = m_connection.run(u"SELECT user_name, preferences, updated_ms FROM "
                                  "user_preferences WHERE updated_ms >= ?"_s,
                                  {sinceMs});
    if (!query)
        return tl::unexpected(query.error());
    QList<StoredPreferences> changed;
    while (query->next())
        changed.append(
            {query->value(0).toString(), query->value(1).toString(), query->value(2).toLongLong()});
    return changed;
}

Result<void> AccountQueries::putPreferences(const QString &user, const QString &json, qint64 nowMs)
{
    auto query = m_connection.run(
        u"INSERT INTO user_preferences (user_name, preferences, updated_ms) VALUES (?, ?, ?) "
        "ON CONFLICT (user_name) DO UPDATE SET preferences = excluded.preferences, "
        "updated_ms = excluded.updated_ms"_s,
        {user, json, nowMs});
    if (!query)
        return tl::unexpected(query.error());
    return {};
}

Result<QStringList> AccountQueries::users()
{
    auto query = m_connection.run(u"SELECT name FROM users ORDER BY name"_s);
    if (!query)
        return tl::unexpected(query.error());
    QStringList names;
    while (query->next())
        names.append(query->value(0).toString());
    return names;
}

Result<qint64> AccountQueries::insertToken(const TokenRecord &token)
{
    auto query = m_connection.run(
        m_connection.dialect().insertOrIgnore(
            u"tokens"_s, u"hash, kind, application, user_name, label, created_at_ms"_s,
            u"?, ?, ?, ?, ?, ?"_s, u"hash"_s) +
            u" RETURNING id"_s,
        {QString::fromLatin1(token.hash), tokenKindName(token.kind), nullIfEmpty(token.application),
         nullIfEmpty(token.user), token.label, msOrNow(token.createdAt)});
    if (!query)
        return tl::unexpected(query.error());
    if (!query->next())
        return fail(ErrorCode::Conflict, u"token: a token with this hash exists already"_s);
    return query->value(0).toLongLong();
}

Result<std::optional<TokenRecord>> AccountQueries::findTokenByHash(const QByteArray &hash)
{
    auto found = selectTokens(u"WHERE hash = ?"_s, {QString::fromLatin1(hash)});
    if (!found)
        return tl::unexpected(found.error());
    if (found->isEmpty())
        return std::optional<TokenRecord>();
    return std::optional<TokenRecord>(found->first());
}

Result<bool> AccountQueries::deleteToken(qint64 id)
{
    auto query = m_connection.run(u"DELETE FROM tokens WHERE id = ?"_s, {id});
    if (!query)
        return tl::unexpected(query.error());
    if (query->numRowsAffected() == 0)
        return false;
    if (auto recorded = recordRevocation(id); !recorded)
        return tl::unexpected(recorded.error());
    return true;
}

Result<QList<qint64>> AccountQueries::deleteUser(const QString &name)
{
    auto exists = userExists(name);
    if (!exists)
        return tl::unexpected(exists.error());
    if (!*exists)
        return fail(ErrorCode::NotFound, u"user: no user '%1'"_s.arg(name));
    auto owned = selectTokens(u"WHERE user_name = ?"_s, {name});
    if (!owned)
        return tl::unexpected(owned.error());
    QList<qint64> revoked;
    for (const TokenRecord &token : std::as_const(*owned)) {
        if (auto deleted = deleteToken(token.id); !deleted)
            return tl::unexpected(deleted.error());
        revoked.append(token.id);
    }
    // Read state goes with the user; notifications addressed to them stay for the others.
    const QStringList statements = {u"DELETE FROM receipts WHERE user_name = ?"_s,
                                    u"DELETE FROM inbox_follows WHERE user_name = ?"_s,
                                    u"DELETE FROM inbox_state WHERE user_name = ?"_s,
                                    u"DELETE FROM inbox_hidden WHERE user_name = ?"_s,
                                    u"DELETE FROM inbox_rules WHERE user_name = ?"_s,
                                    u"DELETE FROM user_preferences WHERE user_name = ?"_s,
                                    u"DELETE FROM users WHERE name = ?"_s};
    for (const QString &statement : statements) {
        if (auto done = m_connection.run(statement, {name}); !done)
            return tl::unexpected(done.error());
    }
    return revoked;
}

Result<void> AccountQueries::recordRevocation(qint64 tokenId)
{
    auto query =
        m_connection.run(u"INSERT INTO token_revocations (token_id, revoked_at_ms) VALUES (?, ?)"_s,
                         {tokenId, msOrNow({})});
    if (!query)
        return tl::unexpected(query.error());
    return {};
}

Result<QList<TokenRevocation>> AccountQueries::revocationsSince(qint64 sinceMs)
{
    auto query = m_connection.run(u"SELECT seq, token_id FROM token_revocations "
                                  "WHERE revoked_at_ms >= ? ORDER BY seq"_s,
                                  {sinceMs});
    if (!query)
        return tl::unexpected(query.error());
    QList<TokenRevocation> result;
    while (query->next())
        result.append({query->value(0).toLongLong(), query->value(1).toLongLong()});
    return result;
}

Result<void> AccountQueries::purgeRevocations(qint64 beforeMs)
{
    auto query =
        m_connection.run(u"DELETE FROM token_revocations WHERE revoked_at_ms < ?"_s, {beforeMs});
    if (!query)
        return tl::unexpected(query.error());
    return {};
}

Result<QList<TokenRecord>> AccountQueries::tokens()
{
    return selectTokens(QString(), {});
}

Result<QList<TokenRecord>> AccountQueries::selectTokens(const QString &where,
                                                        const QVariantList &values)
{
    auto query = m_connection.run(u"SELECT id, hash, kind, application, user_name, label, "
                                  "created_at_ms FROM tokens "_s +
                                      where + u" ORDER BY id"_s,
                                  values);
    if (!query)
        return tl::unexpected(query.error());
    QList<TokenRecord> result;
    while (query->next()) {
        const auto kind = tokenKindFromName(query->value(2).toString());
        if (!kind) {
            // The CHECK constraint keeps this from happening; never guess a kind for a token.
            qCWarning(lcStore) << "token" << query->value(0).toLongLong()
                               << "has an unknown kind; ignored";
            continue;
        }
        TokenRecord token;
        token.id = query->value(0).toLongLong();
        token.hash = query->value(1).toString().toLatin1();
        token.kind = *kind;
        token.application = query->value(3).toString();
        token.user = query->value(4).toString();
        token.label = query->value(5).toString();
        token.createdAt = QDateTime::fromMSecsSinceEpoch(query->value(6).toLongLong(), Qt::UTC);
        result.append(token);
    }
    return result;
}

} // namespace herald::syncd
