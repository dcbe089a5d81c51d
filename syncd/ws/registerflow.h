// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "auth/principal.h"
#include "core/resumebook.h"
#include "model/notification.h"
#include "protocol/error.h"
#include "protocol/messages.h"
#include "ws/clientsession.h"
#include "ws/outgoing.h"

#include <QList>
#include <QString>

#include <functional>
#include <optional>

class QObject;

namespace herald::syncd {

class Authenticator;
class FailedAuthLimiter;
class FrameWriter;
class InboxService;
class NotificationService;
class SessionIndex;
struct Metrics;
struct Backlog; // the core's (NotificationService::backlog)

// A session's way from its register frame to live delivery: authenticate the token, decide
// whom the session acts for, subscribe it, answer `registered`, send the backlog and
// `backlogDone`. Live messages that arrive while the backlog loads are held back and sent
// after it, without the ones the backlog already carried, so a client sees each notification
// once and in order.
//
// Stages (ClientSession::Stage): start() moves AwaitingRegister to Authenticating, a granted
// register to LoadingBacklog, the loaded backlog to Live; a publishing session (no user, no
// subscriptions) goes straight to Live. A refused register or a failed backlog goes to
// `refuse`; the flow never closes a session itself.
//
// Threads: the worker's thread only; the authenticator's and the service's answers arrive in
// `context`'s thread (the worker, which must outlive the flow's pending answers: it owns it).
class RegisterFlow
{
public:
    // Sends `error` to the session, then closes it with `closeCode` and `reason`.
    using Refuse = std::function<void(ClientSession &session, const Error &error, int closeCode,
                                      const QString &reason)>;
    struct Dependencies
    {
        Authenticator &authenticator;
        FailedAuthLimiter &authFailures; // shared with REST: bad tokens per client address
        NotificationService &notifications;
        InboxService &inbox; // learns what the user follows, and sends the unseen count
        SessionIndex &sessions;
        FrameWriter &writer;
        Metrics &metrics;
        QObject *context;
        Refuse refuse;
        HandedOn handedOn; // the worker's position: how far its live sessions were handed
    };
    // `workerIndex` only names the worker in logs; `nodeId` goes into `registered`.
    RegisterFlow(int workerIndex, int nodeId, Dependencies dependencies);

    // Takes `message`, the session's first frame (session.hermes already says which wire it
    // speaks). Its token, else `upgradeToken` (the upgrade request's, header or query), is
    // checked; an unknown token only while the session's address has failures left.
    void start(ClientSession &session, const RegisterMessage &message, const QString &upgradeToken);

    // A notification the backlog carried can still come live afterwards: its store commit came
    // before the backlog's read, its fan-out (after the disk sync, or from the relay's thread)
    // after the backlog's answer. The backlog's ids are kept this long to drop those.
    static constexpr qint64 BacklogRememberedMs = 10'000;
    // Forgets the backlog's ids once BacklogRememberedMs have passed (the worker's sweep).
    void forgetOldBacklog(ClientSession &session);

    // A live message for a session that follows it: held back while the backlog loads,
    // dropped if the backlog carried it, ignored unless registered; sent otherwise.
    void deliver(ClientSession &session, const OutgoingPtr &outgoing);

private:
    bool mayLookUp(ClientSession &session, const QString &token);
    void complete(quint64 sessionId, const RegisterMessage &message,
                  const std::optional<Principal> &principal);
    // A session that only publishes: registered, no backlog, nothing to follow.
    void startPublishing(ClientSession &session);
    void loadBacklog(ClientSession &session, const RegisterMessage &message);
    void finishBacklog(quint64 sessionId, const Backlog &backlog);

    const int m_workerIndex;
    const int m_nodeId;
    Dependencies m_deps;
};

} // namespace herald::syncd
