// SPDX-License-Identifier: Apache-2.0
#include "wsworker.h"

#include "core/notificationservice.h"
#include "metrics/metrics.h"
#include "ws/sessionquota.h"
#include "ws/wslog.h"

#include <QJsonDocument>
#include <QThread>

#include <sys/socket.h>
#include <unistd.h>

namespace herald::syncd {

namespace {
// A peer that does not answer our close frame, or does not end the connection after the
// close frames crossed, is cut off after this long.
constexpr int CloseHandshakeTimeoutMs = 5000;

// Answers a refused handshake and drops the connection: the answer is short and the socket
// new, so the kernel takes it whole.
void refuseHandshake(int descriptor, const QByteArray &answer)
{
    ::send(descriptor, answer.constData(), size_t(answer.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
    ::close(descriptor);
}
} // namespace

WsWorker::WsWorker(int index, Dependencies dependencies)
    : m_deps(dependencies), m_json(dependencies.config->limits),
      m_hermes(dependencies.config->limits),
      m_sessions(*dependencies.channelInterest, *dependencies.userInterest, index),
      m_writer(m_connections, m_sessions, dependencies.config->maxPendingBytesPerSession,
               *dependencies.metrics),
      m_register(
          index, dependencies.config->nodeId,
          {*dependencies.authenticator, *dependencies.authFailures, *dependencies.notifications,
           *dependencies.inbox, m_sessions, m_writer, *dependencies.metrics, this,
           [this](ClientSession &session, const Error &error, int code, const QString &reason) {
               sendError(session, error);
               closeSession(session, code, reason);
           },
           m_handedOn}),
      m_publishes({*dependencies.notifications, m_sessions, m_writer, *dependencies.metrics, this,
                   dependencies.publishAdmission})
{
    m_mailbox.setHandlers([this] { m_writer.beginBatch(); }, [this] { m_writer.endBatch(); },
                          [this](const OutgoingPtr &outgoing) { deliver(outgoing); });
    m_sweepTimer.setParent(this); // moves to the worker's thread with it
    m_sweepTimer.setInterval(1000);
    connect(&m_sweepTimer, &QTimer::timeout, this, &WsWorker::sweep);
    m_clock.start();
    // Started on first use: the timer must belong to the worker's thread.
    QMetaObject::invokeMethod(&m_sweepTimer, qOverload<>(&QTimer::start), Qt::QueuedConnection);
}

WsWorker::~WsWorker()
{
    for (const auto &session : m_sessions.sessions()) {
        session->connection.reset(); // closes the descriptor; nothing is told any more
        if (session->holdsQuota)
            m_deps.quota->release(session->origin);
    }
}

void WsWorker::adopt(qintptr descriptor, const WebSocketUpgradeRequest &upgrade,
                     const QString &token, const SessionOrigin &origin)
{
    const int fd = int(descriptor);
    // The front saw the whole head (at most its head limit) before handing the connection over.
    const QByteArray head = WebSocketHandshake::takeHead(fd, m_deps.config->maxHeaderBytes + 1);
    if (head.isEmpty()) {
        ::close(fd);
        return;
    }
    const WebSocketHandshake::Answer answer =
        WebSocketHandshake::answer(head.left(head.indexOf("\r\n")), upgrade);
    if (!answer.accepted) {
        qCDebug(lcWs) << "handshake refused";
        refuseHandshake(fd, answer.bytes);
        return;
    }
    auto session = m_sessions.create();
    RawWebSocket::Listener &listener = *this;
    session->connection = std::make_unique<RawWebSocket>(
        fd, session->id, listener, m_deps.config->limits.maxBodyBytes, CloseHandshakeTimeoutMs);
    session->connection->write(answer.bytes);
    session->connectedAt.start();
    session->lastHeardMs = nowMs();
    session->origin = origin;
    if (const auto verdict = m_deps.quota->reserve(origin);
        verdict != ConnectionSlots::Verdict::Admitted) {
        turnAway(*session, verdict);
        return;
    }
    session->holdsQuota = true;
    session->upgradeToken = token;
    ++m_deps.metrics->sessionsOpened;
}

void WsWorker::turnAway(ClientSession &session, ConnectionSlots::Verdict verdict)
{
    const bool addressFull = verdict == ConnectionSlots::Verdict::AddressFull;
    ++(addressFull ? m_deps.metrics->sessionsRejectedAddressFull
                   : m_deps.metrics->sessionsRejectedOverCapacity);
    const ErrorCode code = addressFull ? ErrorCode::RateLimited : ErrorCode::Unavailable;
    const QString why =
        addressFull ? QStringLiteral("more than %1 WebSockets from your address, try again later")
                          .arg(m_deps.quota->perAddressCap())
                    : QStringLiteral("server at capacity, try again later");
    // Qt clients cannot read close code 1013 (QWebSocket turns it into 1002), so the error
    // frame before it is what tells them to back off.
    m_writer.sendText(session, JsonCodec::encode(ErrorMessage{errorCodeName(code), why}));
    m_writer.close(session, CloseCode::TryAgainLater, why);
}

void WsWorker::textReceived(quint64 sessionId, const QByteArray &frame)
{
    auto session = m_sessions.find(sessionId);
    if (!session || session->stage == ClientSession::Stage::Closing)
        return;
    session->lastHeardMs = nowMs();

    if (session->stage == ClientSession::Stage::AwaitingRegister) {
        const bool hermes = HermesCodec::isHermesRegister(frame);
        Result<ClientMessage> decoded =
            hermes ? m_hermes.decodeClientFrame(frame) : m_json.decodeClientMessage(frame);
        if (!decoded) {
            sendError(*session, decoded.error());
            closeSession(*session, CloseCode::UnsupportedData, decoded.error().message);
            return;
        }
        auto *reg = std::get_if<RegisterMessage>(&*decoded);
        if (!reg) {
            sendError(*session,
                      Error::badRequest(QStringLiteral("type: the first frame must be register")));
            closeSession(*session, CloseCode::Policy, QStringLiteral("register first"));
            return;
        }
        session->hermes = hermes;
        m_register.start(*session, *reg, std::exchange(session->upgradeToken, QString()));
        return;
    }
    if (session->stage == ClientSession::Stage::Authenticating)
        return; // nothing but register is allowed before registered; it is on its way

    QString publishRef; // a publish refused for its notification is answered with its ref
    Result<ClientMessage> decoded = session->hermes
                                        ? m_hermes.decodeClientFrame(frame)
                                        : m_json.decodeClientMessage(frame, &publishRef);
    if (!decoded && !publishRef.isEmpty()) {
        m_publishes.refuse(*session, publishRef, decoded.error());
        return;
    }
    if (!decoded) {
        sendError(*session, decoded.error());
        // Text that is not a JSON object is not this protocol at all (1003); a well-formed
        // message with a bad field only gets the error frame.
        if (!session->hermes && !QJsonDocument::fromJson(frame).isObject())
            closeSession(*session, CloseCode::UnsupportedData, decoded.error().message);
        return;
    }
    if (auto *publish = std::get_if<PublishMessage>(&*decoded)) {
        m_publishes.submit(*session, std::move(*publish));
    } else if (auto *ack = std::get_if<AckMessage>(&*decoded)) {
        handleAck(*session, ack->ids);
    } else if (std::holds_alternative<PingMessage>(*decoded)) {
        if (!session->hermes)
            m_writer.sendText(*session, JsonCodec::encode(PongMessage{}));
    } else {
        sendError(*session, Error::badRequest(QStringLiteral("type: already registered")));
    }
}

void WsWorker::binaryReceived(quint64 sessionId)
{
    if (auto session = m_sessions.find(sessionId))
        closeSession(*session, CloseCode::UnsupportedData,
                     QStringLiteral("binary frames are not part of the protocol"));
}

void WsWorker::heard(quint64 sessionId)
{
    if (auto session = m_sessions.find(sessionId))
        session->lastHeardMs = nowMs();
}

void WsWorker::handleAck(ClientSession &session, const QList<NotificationId> &ids)
{
    if (session.user.isEmpty()) {
        return sendError(session, Error::forbidden(QStringLiteral(
                                      "ack: a publishing session acts for no user")));
    }
    const quint64 id = session.id;
    m_deps.notifications->acknowledge(session.user, ids, this,
                                      [this, id](Result<QList<NotificationId>> acked) {
                                          if (acked)
                                              return;
                                          if (auto s = m_sessions.find(id))
                                              sendError(*s, acked.error());
                                      });
}

void WsWorker::deliver(const OutgoingPtr &outgoing)
{
    for (ClientSession *session : m_sessions.subscribers(outgoing->channelKey())) {
        if (outgoing->isVisibleTo(session->user))
            m_register.deliver(*session, outgoing);
    }
    // Once the sessions have it: a resume may count it as handed on (ResumeBook). The worker is
    // the only writer.
    if (outgoing->arrival() > m_handedOn->load(std::memory_order_relaxed))
        m_handedOn->store(outgoing->arrival(), std::memory_order_release);
}

void WsWorker::deliverToUser(const QString &user, const OutgoingPtr &outgoing)
{
    for (ClientSession *session : m_sessions.sessionsOf(user))
        m_register.deliver(*session, outgoing);
}

void WsWorker::sendError(ClientSession &session, const Error &error)
{
    const ErrorMessage message{errorCodeName(error.code), error.message};
    m_writer.sendText(session,
                      session.hermes ? HermesCodec::encode(message) : JsonCodec::encode(message));
}

void WsWorker::closeSession(ClientSession &session, int code, const QString &reason)
{
    if (session.stage == ClientSession::Stage::Closing)
        return;
    rememberWhereItStopped(session);
    m_sessions.unfollow(session);
    m_writer.close(session, code, reason);
}

void WsWorker::closed(quint64 sessionId)
{
    // The connection ends here, with its session (from the event loop: see RawWebSocket).
    if (const auto ending = m_sessions.find(sessionId))
        rememberWhereItStopped(*ending);
    auto session = m_sessions.remove(sessionId);
    if (session && session->holdsQuota)
        m_deps.quota->release(session->origin);
}

void WsWorker::rememberWhereItStopped(const ClientSession &session)
{
    // Only a live session was handed everything of its channels up to the worker's position.
    if (session.stage != ClientSession::Stage::Live || session.channelKeys.isEmpty())
        return;
    m_deps.notifications->sessionEnded(session.user, session.clientId, session.channelKeys,
                                       session.liveFrom,
                                       m_handedOn->load(std::memory_order_relaxed));
}

int WsWorker::dropUser(const QString &user)
{
    const QList<ClientSession *> sessions =
        m_sessions.sessionsOf(user); // a copy: closing changes it
    for (ClientSession *session : sessions)
        closeSession(*session, CloseCode::Policy, QStringLiteral("dropped by an administrator"));
    return int(sessions.size());
}

int WsWorker::closeTokenSessions(const QSet<qint64> &tokenIds)
{
    QList<ClientSession *> revoked;
    for (const auto &session : m_sessions.sessions()) {
        if (session->tokenId != 0 && tokenIds.contains(session->tokenId) &&
            session->stage != ClientSession::Stage::Closing)
            revoked.append(session.get());
    }
    for (ClientSession *session : std::as_const(revoked))
        closeSession(*session, CloseCode::Policy, QStringLiteral("token revoked"));
    return int(revoked.size());
}

void WsWorker::closeAllAndQuit(int code, const QString &reason)
{
    m_sweepTimer.stop();
    const auto sessions = m_sessions.sessions().values();
    for (const auto &session : sessions)
        closeSession(*session, code, reason);
    // Push the close frames out now: the thread ends right after this.
    for (const auto &session : sessions)
        m_writer.pushOut(*session);
    thread()->quit();
}

void WsWorker::sweep()
{
    const qint64 now = nowMs();
    const Config &c = *m_deps.config;
    QList<std::shared_ptr<ClientSession>> expired;
    for (const auto &session : m_sessions.sessions()) {
        if (session->stage == ClientSession::Stage::Closing)
            continue; // its connection bounds the close handshake itself
        m_register.forgetOldBacklog(*session);
        if (!session->isRegistered() && session->connectedAt.elapsed() > c.registerTimeoutMs) {
            expired.append(session);
        } else if (now - session->lastHeardMs > c.idleTimeoutMs) {
            expired.append(session);
        } else if (now - session->lastHeardMs > c.pingIntervalMs &&
                   now - session->lastPingMs > c.pingIntervalMs) {
            session->lastPingMs = now;
            m_writer.ping(*session);
        }
    }
    for (const auto &session : expired) {
        const bool registered = session->isRegistered();
        closeSession(*session, registered ? CloseCode::Normal : CloseCode::Policy,
                     registered ? QStringLiteral("idle timeout")
                                : QStringLiteral("register timeout"));
    }
}

} // namespace herald::syncd
