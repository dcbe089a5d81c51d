// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "auth/principal.h"
#include "auth/tokenissuer.h"
#include "core/reply.h"

#include <QObject>
#include <QSet>

#include <functional>

namespace herald::syncd {

class Authenticator;
class FanOut;
class PeerOutlet;
class StoreThread;

// Users, tokens, and dropping a user's sessions: administration, admin only. Lives on the
// front thread; answers arrive there.
class AccountService : public QObject
{
    Q_OBJECT
public:
    AccountService(StoreThread &store, Authenticator &authenticator, FanOut &fanOut,
                   PeerOutlet &peers, QObject *parent = nullptr);

    static Result<void> checkAdmin(const Principal &principal);

    void createUser(const Principal &principal, const QString &name, Reply<bool> done);
    void users(const Principal &principal, Reply<QStringList> done);
    // Closes every session of `user`, on this node and on every peer in reach; the answer is
    // how many closed on this node.
    void dropUser(const Principal &principal, const QString &user, Reply<int> done);
    // Deletes the user with their tokens and read state; their tokens stop working and their
    // sessions close (1008) at once. NotFound when there is no such user.
    void deleteUser(const Principal &principal, const QString &user, Reply<bool> done);

    void issueToken(const Principal &principal, TokenKind kind, const QString &application,
                    const QString &user, const QString &label, Reply<IssuedToken> done);
    void tokens(const Principal &principal, Reply<QList<TokenRecord>> done);
    // Deletes the token; requests made with it fail from now on and the sessions opened with
    // it close (1008). NotFound when there is none.
    void revokeToken(const Principal &principal, qint64 id, Reply<bool> done);
    // Makes revocations take effect on this node: the token stops working, its sessions close.
    // For revocations made here and those TokenRevocationWatcher finds in the store.
    void applyRevocations(const QSet<qint64> &tokenIds);

Q_SIGNALS:
    // The user, their tokens and their read state are gone from the store.
    void userDeleted(const QString &user);

private:
    StoreThread &m_store;
    Authenticator &m_authenticator;
    FanOut &m_fanOut;
    PeerOutlet &m_peers;
};

} // namespace herald::syncd
