// SPDX-License-Identifier: Apache-2.0
#include "registerflow.h"

#include "auth/authenticator.h"
#include "codec/hermescodec.h"
#include "codec/jsoncodec.h"
#include "core/inboxservice.h"
#include "core/notificationservice.h"
#include "limits/failedauthlimiter.h"
#include "metrics/metrics.h"
#include "model/timestamps.h"
#include "ws/framewriter.h"
#include "ws/sessionindex.h"
#include "ws/wslog.h"

#include <QUuid>

#include <algorithm>

namespace herald::syncd {

RegisterFlow::RegisterFlow(int workerIndex, int nodeId, Dependencies dependencies)
    : m_workerIndex(workerIndex), m_nodeId(nodeId), m_deps(std::move(dependencies))
{
}

void RegisterFlow::start(ClientSession &session, const RegisterMessage &message,
                         const QString &upgradeToken)
{
    const QString token = message.token.isEmpty() ? upgradeToken : message.token;
    if (!mayLookUp(session, token))
        return;
    session.stage = ClientSession::Stage::Authenticating;
    const quint64 id = session.id;
    const AddressKey address = session.origin.address;
    const bool counts = !token.isEmpty(); // a missing token is no failed guess
    m_deps.authenticator.authenticate(
        token, m_deps.context,
        [this, id, message, address, counts](std::optional<Principal> principal) {
            if (!principal && counts) {
                ++m_deps.metrics.authFailures;
                m_deps.authFailures.failed(address);
            }
            complete(id, message, principal);
        });
}

bool RegisterFlow::mayLookUp(ClientSession &session, const QString &token)
{
    // Otherwise `register` frames would let an address go on guessing tokens in the store
    // after REST and upgrades refuse it.
    if (token.isEmpty() || m_deps.authenticator.known(token))
        return true;
    const auto blocked = m_deps.authFailures.check(session.origin.address);
    if (blocked.allowed)
        return true;
    ++m_deps.metrics.rateLimitedAuthFailures;
    const qint64 seconds = std::max<qint64>(1, (blocked.retryAfterMs + 999) / 1000);
    const QString why =
        QStringLiteral("token: too many invalid tokens from your address, try again in %1 s")
            .arg(seconds);
    m_deps.refuse(session, {ErrorCode::RateLimited, why}, CloseCode::TryAgainLater, why);
    return false;
}

void RegisterFlow::complete(quint64 sessionId, const RegisterMessage &message,
                            const std::optional<Principal> &principal)
{
    auto session = m_deps.sessions.find(sessionId);
    if (!session || session->stage != ClientSession::Stage::Authenticating)
        return;
    const Result<QString> user =
        NotificationService::sessionUser(principal, message, session->hermes);
    if (!user) {
        const QString why = user.error().message;
        // A register the session may not make is a bad frame (1003), like a bad field.
        const int code = user.error().code == ErrorCode::BadRequest ? CloseCode::UnsupportedData
                                                                    : CloseCode::Policy;
        return m_deps.refuse(*session, user.error(), code, why);
    }
    session->clientId = message.clientId;
    session->tokenId = principal->tokenId;
    session->principal = principal;
    if (user->isEmpty())
        return startPublishing(*session);
    m_deps.sessions.follow(*session, *user, channelKeysOf(message.subscriptions));
    // After follow(): whatever arrives later reaches this worker for the session.
    session->liveFrom = m_deps.notifications.livePosition();
    m_deps.inbox.sessionRegistered(*user, message.subscriptions);
    session->stage = ClientSession::Stage::LoadingBacklog;
    qCDebug(lcWs) << "worker" << m_workerIndex << "registered" << *user << message.clientId
                  << session->channelKeys.size() << "channels";
    if (!session->hermes) {
        const QString sessionName = QUuid::createUuid().toString(QUuid::WithoutBraces);
        m_deps.writer.sendText(
            *session, JsonCodec::encode(RegisteredMessage{sessionName, m_nodeId, utcNow()}));
    }
    loadBacklog(*session, message);
}

void RegisterFlow::startPublishing(ClientSession &session)
{
    qCDebug(lcWs) << "worker" << m_workerIndex << "registered a publishing session"
                  << session.clientId;
    session.stage = ClientSession::Stage::Live;
    FrameWriter &writer = m_deps.writer;
    writer.beginBatch();
    const QString sessionName = QUuid::createUuid().toString(QUuid::WithoutBraces);
    writer.sendText(session, JsonCodec::encode(RegisteredMessage{sessionName, m_nodeId, utcNow()}));
    writer.sendText(session, JsonCodec::encode(BacklogDoneMessage{}));
    writer.endBatch();
}

void RegisterFlow::loadBacklog(ClientSession &session, const RegisterMessage &message)
{
    const quint64 id = session.id;
    m_deps.notifications.backlog(
        session.user, message, m_deps.context, [this, id](Result<Backlog> backlog) {
            if (!backlog) {
                qCWarning(lcWs) << "backlog query failed:" << backlog.error().message;
                if (auto s = m_deps.sessions.find(id)) {
                    m_deps.refuse(
                        *s, {ErrorCode::Unavailable, QStringLiteral("backlog: store unavailable")},
                        CloseCode::TryAgainLater, QStringLiteral("store unavailable"));
                }
                return;
            }
            finishBacklog(id, *backlog);
        });
}

void RegisterFlow::finishBacklog(quint64 sessionId, const Backlog &backlog)
{
    auto session = m_deps.sessions.find(sessionId);
    if (!session || session->stage != ClientSession::Stage::LoadingBacklog)
        return;
    FrameWriter &writer = m_deps.writer;
    writer.beginBatch(); // the backlog, backlogDone and what was held back in one write
    for (const Notification &n : backlog.notifications) {
        session->backlogIds.insert(n.id);
        const NotificationMessage message{n};
        writer.sendText(*session, session->hermes ? HermesCodec::encode(message)
                                                  : JsonCodec::encode(message));
    }
    // Hermes has no backlogDone: its clients get the newest Limits::maxResume, as Hermes did.
    if (!session->hermes)
        writer.sendText(*session,
                        JsonCodec::encode(BacklogDoneMessage{
                            backlog.truncated(), backlog.truncated() ? backlog.matching : 0}));
    session->stage = ClientSession::Stage::Live;
    m_deps.notifications.sessionLive(session->user, session->clientId, session->channelKeys,
                                     session->liveFrom, m_deps.handedOn);
    session->preferences = m_deps.notifications.preferencesOf(session->user);
    const QList<OutgoingPtr> held = std::exchange(session->heldBack, {});
    for (const OutgoingPtr &outgoing : held)
        deliver(*session, outgoing);
    session->backlogSentMs = session->connectedAt.elapsed();
    writer.endBatch();
}

void RegisterFlow::forgetOldBacklog(ClientSession &session)
{
    if (!session.backlogIds.isEmpty() &&
        session.connectedAt.elapsed() - session.backlogSentMs > BacklogRememberedMs) {
        session.backlogIds.clear();
        session.backlogIds.squeeze();
    }
}

void RegisterFlow::deliver(ClientSession &session, const OutgoingPtr &outgoing)
{
    if (session.stage == ClientSession::Stage::LoadingBacklog) {
        session.heldBack.append(outgoing);
        return;
    }
    if (session.stage != ClientSession::Stage::Live)
        return;
    if (auto *n = std::get_if<NotificationMessage>(&outgoing->message())) {
        if (session.backlogIds.contains(n->notification.id))
            return;
        // `off`, in a digest, or to other agents only: not pushed to this desktop.
        if (session.preferences && !session.preferences->pushesToDesktop(n->notification))
            return;
        ++m_deps.metrics.deliveries;
    } else if (std::holds_alternative<PreferencesMessage>(outgoing->message())) {
        session.preferences = m_deps.notifications.preferencesOf(session.user);
    }
    const QByteArray &frame = session.hermes ? outgoing->hermesFrame() : outgoing->nativeFrame();
    if (!frame.isEmpty())
        m_deps.writer.sendFrame(session, frame);
}

} // namespace herald::syncd
