#include "wsworker.h"

#include "core/notificationservice.h"
#include "metrics/metrics.h"
#include "net/websockettakeover.h"
#include "ws/sessionquota.h"
#include "ws/wslog.h"

#include <QJsonDocument>
#include <QTcpSocket>
#include <QThread>
#include <QWebSocket>

namespace herald::syncd {

WsWorker::WsWorker(int index, Dependencies dependencies)
    : m_deps(dependencies), m_json(dependencies.config->limits),
      m_hermes(dependencies.config->limits),
      m_takeover(new WebSocketTakeover(dependencies.config->registerTimeoutMs, this)),
      m_writer(m_sockets, m_sessions, dependencies.config->maxPendingBytesPerSession,
               *dependencies.metrics),
      m_register(
          index, dependencies.config->nodeId,
          {*dependencies.authenticator, *dependencies.notifications, m_sessions, m_writer,
           *dependencies.metrics, this,
           [this](ClientSession &session, const Error &error, int code, const QString &reason) {
               sendError(session, error);
               closeSession(session, code, reason);
           }})
{
    connect(m_takeover, &WebSocketTakeover::upgraded, this, &WsWorker::onUpgraded);
    m_mailbox.setBatchHooks([this] { m_writer.beginBatch(); }, [this] { m_writer.endBatch(); });
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
        if (session->socket) {
            session->socket->disconnect(this);
            session->socket->abort();
            delete session->socket;
        }
        m_deps.quota->release();
    }
}

void WsWorker::adopt(qintptr descriptor)
{
    m_takeover->adopt(descriptor);
}

void WsWorker::onUpgraded(QWebSocket *socket, QTcpSocket *tcp)
{
    socket->setParent(this);
    socket->setMaxAllowedIncomingMessageSize(quint64(m_deps.config->limits.maxBodyBytes));
    socket->setMaxAllowedIncomingFrameSize(quint64(m_deps.config->limits.maxBodyBytes));
    if (!m_deps.quota->reserve()) {
        ++m_deps.metrics->sessionsRejectedOverCapacity;
        // Qt clients cannot read close code 1013 (QWebSocket turns it into 1002), so the
        // error frame before it is what tells them to back off.
        socket->sendTextMessage(QString::fromUtf8(JsonCodec::encode(
            ErrorMessage{errorCodeName(ErrorCode::Unavailable),
                         QStringLiteral("server at capacity, try again later")})));
        socket->close(QWebSocketProtocol::CloseCode(CloseCode::TryAgainLater),
                      QStringLiteral("server at capacity, try again later"));
        connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        return;
    }
    ++m_deps.metrics->sessionsOpened;
    auto session = m_sessions.create();
    session->socket = socket;
    session->tcp = tcp;
    session->connectedAt.start();
    session->lastHeardMs = nowMs();
    const quint64 id = session->id;
    connect(socket, &QWebSocket::textMessageReceived, this,
            [this, id](const QString &frame) { onFrame(id, frame); });
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this, id](const QByteArray &) {
        if (auto s = m_sessions.find(id))
            closeSession(*s, CloseCode::UnsupportedData,
                         QStringLiteral("binary frames are not part of the protocol"));
    });
    connect(socket, &QWebSocket::pong, this, [this, id] {
        if (auto s = m_sessions.find(id))
            s->lastHeardMs = nowMs();
    });
    connect(socket, &QWebSocket::disconnected, this, [this, id] { onClosed(id); });
}

void WsWorker::onFrame(quint64 sessionId, const QString &frameText)
{
    auto session = m_sessions.find(sessionId);
    if (!session || session->stage == ClientSession::Stage::Closing)
        return;
    session->lastHeardMs = nowMs();
    const QByteArray frame = frameText.toUtf8();

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
        m_register.start(*session, *reg, session->socket->request());
        return;
    }
    if (session->stage == ClientSession::Stage::Authenticating)
        return; // nothing but register is allowed before registered; it is on its way

    Result<ClientMessage> decoded =
        session->hermes ? m_hermes.decodeClientFrame(frame) : m_json.decodeClientMessage(frame);
    if (!decoded) {
        sendError(*session, decoded.error());
        // Text that is not a JSON object is not this protocol at all (1003); a well-formed
        // message with a bad field only gets the error frame.
        if (!session->hermes && !QJsonDocument::fromJson(frame).isObject())
            closeSession(*session, CloseCode::UnsupportedData, decoded.error().message);
        return;
    }
    if (auto *ack = std::get_if<AckMessage>(&*decoded)) {
        handleAck(*session, ack->ids);
    } else if (std::holds_alternative<PingMessage>(*decoded)) {
        if (!session->hermes)
            m_writer.sendText(*session, JsonCodec::encode(PongMessage{}));
    } else {
        sendError(*session, Error::badRequest(QStringLiteral("type: already registered")));
    }
}

void WsWorker::handleAck(ClientSession &session, const QList<NotificationId> &ids)
{
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
    if (session.stage == ClientSession::Stage::Closing || !session.socket)
        return;
    m_sessions.unfollow(session);
    session.lastHeardMs = nowMs(); // the sweep aborts it if the close handshake stalls
    m_writer.close(session, code, reason);
}

void WsWorker::onClosed(quint64 sessionId)
{
    auto session = m_sessions.remove(sessionId);
    if (!session)
        return;
    session->socket->disconnect(this);
    session->socket->deleteLater();
    session->socket = nullptr;
    session->stage = ClientSession::Stage::Closing;
    m_deps.quota->release();
}

int WsWorker::dropUser(const QString &user)
{
    const QList<ClientSession *> sessions = m_sessions.sessionsOf(user).values();
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
        if (session->stage == ClientSession::Stage::Closing) {
            // A peer that never answers our close frame is cut off.
            if (session->socket && now - session->lastHeardMs > 5000)
                session->socket->abort();
            continue;
        }
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
