// SPDX-License-Identifier: Apache-2.0
#include "authenticator.h"

#include "auth/tokensecret.h"
#include "metrics/metrics.h"
#include "store/storethread.h"

#include <QDateTime>

namespace herald::syncd {

Authenticator::Authenticator(StoreThread *store, bool noAuth, Metrics *metrics, QObject *parent)
    : QObject(parent), m_store(store), m_noAuth(noAuth), m_metrics(metrics)
{
}

std::optional<Principal> Authenticator::known(const QString &token) const
{
    if (m_noAuth)
        return Principal::admin();
    if (token.isEmpty())
        return std::nullopt;
    return cached(TokenSecret::hash(token));
}

std::optional<Principal> Authenticator::cached(const QByteArray &hash) const
{
    QReadLocker lock(&m_lock);
    auto it = m_cache.constFind(hash);
    if (it == m_cache.constEnd() || it->expiresAtMs < QDateTime::currentMSecsSinceEpoch())
        return std::nullopt;
    return it->principal;
}

void Authenticator::authenticate(const QString &token, QObject *context, Callback callback)
{
    if (m_noAuth) {
        callback(Principal::admin());
        return;
    }
    if (token.isEmpty()) {
        callback(std::nullopt);
        return;
    }
    const QByteArray hash = TokenSecret::hash(token);
    if (auto principal = cached(hash)) {
        callback(*principal);
        return;
    }
    if (m_metrics)
        ++m_metrics->authStoreLookups;
    m_store->submit<std::optional<TokenRecord>>(
        [hash](SqlStore &store) { return store.findTokenByHash(hash); }, context,
        [this, hash, callback = std::move(callback)](Result<std::optional<TokenRecord>> found) {
            if (!found || !found->has_value()) {
                callback(std::nullopt);
                return;
            }
            const TokenRecord &record = **found;
            Principal principal{record.kind, record.application, record.user, record.id};
            {
                QWriteLocker lock(&m_lock);
                if (m_revoked.contains(record.id)) {
                    lock.unlock();
                    callback(std::nullopt);
                    return;
                }
                m_cache.insert(hash,
                               {principal, QDateTime::currentMSecsSinceEpoch() + CacheLifetimeMs});
            }
            callback(principal);
        });
}

void Authenticator::revoke(qint64 tokenId)
{
    QWriteLocker lock(&m_lock);
    m_revoked.insert(tokenId);
    for (auto it = m_cache.begin(); it != m_cache.end();) {
        if (it->principal.tokenId == tokenId)
            it = m_cache.erase(it);
        else
            ++it;
    }
}

} // namespace herald::syncd
