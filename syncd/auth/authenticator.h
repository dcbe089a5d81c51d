// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "auth/principal.h"

#include <QHash>
#include <QObject>
#include <QReadWriteLock>
#include <QSet>

#include <functional>
#include <optional>

namespace herald::syncd {

class StoreThread;
struct Metrics;

// Turns a bearer token into a Principal. Known tokens are cached in memory for a short time so
// that requests rarely wait for the store; a miss asks the store (tokens made by the command
// line while the daemon runs are valid at once). A revoked token id is refused from revoke()
// on, also when a store lookup that began before it answers after it. Thread-safe.
class Authenticator : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(std::optional<Principal>)>;

    // `metrics` (optional, outlives this) counts the store lookups.
    Authenticator(StoreThread *store, bool noAuth, Metrics *metrics = nullptr,
                  QObject *parent = nullptr);

    bool noAuth() const { return m_noAuth; }

    // `callback` runs in `context`'s thread (immediately when the answer is known without the
    // store). `context` must be long-lived (see StoreThread::submit). An empty token with
    // auth on yields nullopt.
    void authenticate(const QString &token, QObject *context, Callback callback);
    // What authenticate() would answer without asking the store: the principal of a known,
    // unrevoked token (or admin with --no-auth), nullopt for anything else. Any thread.
    std::optional<Principal> known(const QString &token) const;
    // The token stops working now (called for API revocations at once, for the command
    // line's and other daemons' by core/TokenRevocationWatcher).
    void revoke(qint64 tokenId);

    static constexpr qint64 CacheLifetimeMs = 30000;

private:
    struct Entry
    {
        Principal principal;
        qint64 expiresAtMs;
    };
    std::optional<Principal> cached(const QByteArray &hash) const;

    StoreThread *m_store;
    const bool m_noAuth;
    Metrics *m_metrics;
    mutable QReadWriteLock m_lock;
    QHash<QByteArray, Entry> m_cache;
    // Ids are never reused (AUTOINCREMENT / BIGSERIAL), so remembering them is safe; revocations
    // are rare, so the set stays small.
    QSet<qint64> m_revoked;
};

} // namespace herald::syncd
