// SPDX-License-Identifier: Apache-2.0
#include "core/accountservice.h"

#include "auth/authenticator.h"
#include "core/fanout.h"
#include "core/peeroutlet.h"
#include "store/storethread.h"

namespace herald::syncd {

AccountService::AccountService(StoreThread &store, Authenticator &authenticator, FanOut &fanOut,
                               PeerOutlet &peers, QObject *parent)
    : QObject(parent), m_store(store), m_authenticator(authenticator), m_fanOut(fanOut),
      m_peers(peers)
{
}

Result<void> AccountService::checkAdmin(const Principal &principal)
{
    if (!principal.isAdmin())
        return fail(ErrorCode::Forbidden, QStringLiteral("token: admin only"));
    return {};
}

void AccountService::createUser(const Principal &principal, const QString &name, Reply<bool> done)
{
    if (auto allowed = checkAdmin(principal); !allowed)
        return done(tl::unexpected(allowed.error()));
    m_store.submit<bool>(
        [name](SqlStore &store) -> Result<bool> {
            if (auto created = store.createUser(name); !created)
                return tl::unexpected(created.error());
            return true;
        },
        this, std::move(done));
}

void AccountService::users(const Principal &principal, Reply<QStringList> done)
{
    if (auto allowed = checkAdmin(principal); !allowed)
        return done(tl::unexpected(allowed.error()));
    m_store.submit<QStringList>([](SqlStore &store) { return store.users(); }, this,
                                std::move(done));
}

void AccountService::dropUser(const Principal &principal, const QString &user, Reply<int> done)
{
    if (auto allowed = checkAdmin(principal); !allowed)
        return done(tl::unexpected(allowed.error()));
    m_peers.relayDrop(user);
    m_fanOut.dropUser(user, this, [done = std::move(done)](int closed) { done(closed); });
}

void AccountService::issueToken(const Principal &principal, TokenKind kind,
                                const QString &application, const QString &user,
                                const QString &label, Reply<IssuedToken> done)
{
    if (auto allowed = checkAdmin(principal); !allowed)
        return done(tl::unexpected(allowed.error()));
    m_store.submit<IssuedToken>(
        [kind, application, user, label](SqlStore &store) {
            return herald::syncd::issueToken(store, kind, application, user, label);
        },
        this, std::move(done));
}

void AccountService::tokens(const Principal &principal, Reply<QList<TokenRecord>> done)
{
    if (auto allowed = checkAdmin(principal); !allowed)
        return done(tl::unexpected(allowed.error()));
    m_store.submit<QList<TokenRecord>>([](SqlStore &store) { return store.tokens(); }, this,
                                       std::move(done));
}

void AccountService::revokeToken(const Principal &principal, qint64 id, Reply<bool> done)
{
    if (auto allowed = checkAdmin(principal); !allowed)
        return done(tl::unexpected(allowed.error()));
    m_store.submit<bool>(
        [id](SqlStore &store) -> Result<bool> {
            auto deleted = store.deleteToken(id);
            if (deleted && !*deleted)
                return fail(ErrorCode::NotFound, QStringLiteral("id: no token %1").arg(id));
            return deleted;
        },
        this,
        [this, id, done = std::move(done)](Result<bool> deleted) {
            if (deleted)
                applyRevocations({id});
            done(std::move(deleted));
        });
}

void AccountService::deleteUser(const Principal &principal, const QString &user, Reply<bool> done)
{
    if (auto allowed = checkAdmin(principal); !allowed)
        return done(tl::unexpected(allowed.error()));
    m_store.submit<QList<qint64>>(
        [user](SqlStore &store) { return store.deleteUser(user); }, this,
        [this, user, done = std::move(done)](Result<QList<qint64>> revoked) {
            if (!revoked)
                return done(tl::unexpected(revoked.error()));
            applyRevocations(QSet<qint64>(revoked->begin(), revoked->end()));
            Q_EMIT userDeleted(user);
            // Sessions that named the user with an admin token (or --no-auth) go too.
            m_peers.relayDrop(user);
            m_fanOut.dropUser(user, this, [done](int) { done(true); });
        });
}

void AccountService::applyRevocations(const QSet<qint64> &tokenIds)
{
    if (tokenIds.isEmpty())
        return;
    for (const qint64 id : tokenIds)
        m_authenticator.revoke(id);
    m_fanOut.closeTokenSessions(tokenIds);
}

} // namespace herald::syncd
