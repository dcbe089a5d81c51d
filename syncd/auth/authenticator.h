#pragma once

#include "auth/principal.h"

#include <QHash>
#include <QObject>
#include <QReadWriteLock>

#include <functional>
#include <optional>

namespace herald::syncd {

class StoreThread;

// Turns a bearer token into a Principal. Known tokens are cached in memory for a short time so
// that requests rarely wait for the store; a miss asks the store (tokens made by the command
// line while the daemon runs are valid at once). Revocation through the API takes effect at
// once, through the command line within the cache lifetime. Thread-safe.
class Authenticator : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(std::optional<Principal>)>;

    Authenticator(StoreThread *store, bool noAuth, QObject *parent = nullptr);

    bool noAuth() const { return m_noAuth; }

    // `callback` runs in `context`'s thread (immediately when the answer is known without the
    // store). `context` must be long-lived (see StoreThread::submit). An empty token with
    // auth on yields nullopt.
    void authenticate(const QString &token, QObject *context, Callback callback);
    void forget(qint64 tokenId);

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
    mutable QReadWriteLock m_lock;
    QHash<QByteArray, Entry> m_cache;
};

} // namespace herald::syncd
