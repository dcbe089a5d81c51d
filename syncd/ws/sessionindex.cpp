// SPDX-License-Identifier: Apache-2.0
#include "sessionindex.h"

namespace herald::syncd {

namespace {
const SessionIndex::Sessions NoSessions;
}

SessionIndex::SessionIndex(WorkerInterest &channelInterest, WorkerInterest &userInterest,
                           int worker)
    : m_channelInterest(channelInterest), m_userInterest(userInterest), m_worker(worker)
{
}

std::shared_ptr<ClientSession> SessionIndex::create()
{
    auto session = std::make_shared<ClientSession>();
    session->id = m_nextId++;
    m_sessions.insert(session->id, session);
    return session;
}

std::shared_ptr<ClientSession> SessionIndex::remove(quint64 id)
{
    auto session = m_sessions.take(id);
    if (session)
        unfollow(*session);
    return session;
}

void SessionIndex::follow(ClientSession &session, const QString &user,
                          const QSet<QString> &channelKeys)
{
    session.user = user;
    for (const QString &key : channelKeys) {
        session.channelKeys.insert(key);
        auto &subscribers = m_byChannel[key];
        if (subscribers.isEmpty())
            m_channelInterest.add(key, m_worker);
        subscribers.append(&session);
    }
    auto &sessionsOfUser = m_byUser[user];
    if (sessionsOfUser.isEmpty())
        m_userInterest.add(user, m_worker);
    sessionsOfUser.append(&session);
}

void SessionIndex::unfollow(ClientSession &session)
{
    for (const QString &key : std::as_const(session.channelKeys)) {
        auto it = m_byChannel.find(key);
        if (it != m_byChannel.end()) {
            it->removeOne(&session);
            if (it->isEmpty()) {
                m_byChannel.erase(it);
                m_channelInterest.remove(key, m_worker);
            }
        }
    }
    session.channelKeys.clear();
    auto it = m_byUser.find(session.user);
    if (it != m_byUser.end()) {
        it->removeOne(&session);
        if (it->isEmpty()) {
            m_byUser.erase(it);
            m_userInterest.remove(session.user, m_worker);
        }
    }
}

const SessionIndex::Sessions &SessionIndex::subscribers(const QString &channelKey) const
{
    auto it = m_byChannel.constFind(channelKey);
    return it == m_byChannel.constEnd() ? NoSessions : *it;
}

const SessionIndex::Sessions &SessionIndex::sessionsOf(const QString &user) const
{
    auto it = m_byUser.constFind(user);
    return it == m_byUser.constEnd() ? NoSessions : *it;
}

} // namespace herald::syncd
