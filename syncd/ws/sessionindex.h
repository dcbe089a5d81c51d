// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ws/clientsession.h"
#include "ws/workerinterest.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

#include <memory>

namespace herald::syncd {

// The sessions of one worker, by id, by channel key ("app/channel") and by user, and the
// worker's bit in the WorkerInterests the Hub reads to decide which workers to wake. Plain
// bookkeeping: it neither reads nor writes sockets.
//
// Threads: the worker's thread only (the WorkerInterests are readable from any). A channel key
// or a user has the worker's bit exactly while at least one of its sessions follows it.
class SessionIndex
{
public:
    // Keeps `worker`'s bits in the shared channel and user interests.
    SessionIndex(WorkerInterest &channelInterest, WorkerInterest &userInterest, int worker);

    // A new session (AwaitingRegister, following nothing) under an id never used before on
    // this index. The index shares ownership until remove().
    std::shared_ptr<ClientSession> create();
    // Null when there is no such session (any more).
    std::shared_ptr<ClientSession> find(quint64 id) const { return m_sessions.value(id); }
    // Takes the session out of the index (unfollow() included); null if it was not there.
    std::shared_ptr<ClientSession> remove(quint64 id);

    // Indexes a registered session under `user` and each of `channelKeys` (recorded in the
    // session's user and channelKeys). `session` must have come from create() and not follow
    // anything yet.
    void follow(ClientSession &session, const QString &user, const QSet<QString> &channelKeys);
    // Takes the session out of the channel and user lookups (it stays findable by id, e.g.
    // while its close handshake runs). Harmless when it follows nothing.
    void unfollow(ClientSession &session);

    // Who follows a channel key / the sessions of a user, each once, in no particular order;
    // empty when none. The lists change under the caller if it unfollows or removes sessions
    // while it iterates them. Lists, not sets: most channels have one or a few sessions here,
    // and a set's iteration starts by scanning 128 empty slots (docs/PERFORMANCE.md, S2w).
    // Taking one of n sessions out costs O(n): 18,000 sessions of one user closing at once
    // took 40-100 ms of daemon CPU with lists and with sets alike.
    using Sessions = QList<ClientSession *>;
    const Sessions &subscribers(const QString &channelKey) const;
    const Sessions &sessionsOf(const QString &user) const;

    const QHash<quint64, std::shared_ptr<ClientSession>> &sessions() const { return m_sessions; }
    int size() const { return int(m_sessions.size()); }

private:
    QHash<quint64, std::shared_ptr<ClientSession>> m_sessions;
    QHash<QString, Sessions> m_byChannel;
    QHash<QString, Sessions> m_byUser;
    WorkerInterest &m_channelInterest;
    WorkerInterest &m_userInterest;
    int m_worker;
    quint64 m_nextId = 1;
};

} // namespace herald::syncd
