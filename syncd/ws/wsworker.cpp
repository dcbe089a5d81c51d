#include "wsworker.h"

#include "auth/authenticator.h"
#include "auth/bearertoken.h"
#include "metrics/metrics.h"
#include "model/idgenerator.h"
#include "model/timestamps.h"
#include "relay/peermessages.h"
#include "relay/relay.h"
#include "store/storethread.h"
#include "ws/directwritesocket.h"
#include "ws/hub.h"
#include "ws/wsframe.h"
#include "ws/wslog.h"

#include <QJsonDocument>
#include <QTcpSocket>
#include <QUrlQuery>
#include <QUuid>
#include <QWebSocket>
#include <QWebSocketServer>

#include <unistd.h>

namespace herald::syncd {

WsWorker::WsWorker(int index, Dependencies dependencies)
    : m_index(index), m_deps(dependencies), m_json(dependencies.config->limits),
      m_hermes(dependencies.config->limits),
      m_handshaker(new QWebSocketServer(QStringLiteral("herald-syncd"),
                                        QWebSocketServer::NonSecureMode, this))
{
    // The handshaker never listens: it only upgrades sockets that HttpServer hands over.
    m_handshaker->setHandshakeTimeout(
        std::chrono::milliseconds(dependencies.config->registerTimeoutMs));
    connect(m_handshaker, &QWebSocketServer::newConnection, this, &WsWorker::onNewWebSocket);
    m_mailbox.setBatchHooks([this] { beginBatch(); }, [this] { endBatch(); });
    m_sweepTimer.setParent(this); // moves to the worker's thread with it
    m_sweepTimer.setInterval(1000);
    connect(&m_sweepTimer, &QTimer::timeout, this, &WsWorker::sweep);
    m_clock.start();
    // Started on first use: the timer must belong to the worker's thread.
    QMetaObject::invokeMethod(&m_sweepTimer, qOverload<>(&QTimer::start), Qt::QueuedConnection);
}

WsWorker::~WsWorker()
{
    for (auto &session : m_sessions) {
        if (session->socket) {
            session->socket->disconnect(this);
            session->socket->abort();
            delete session->socket;
        }
        m_deps.hub->releaseSession();
    }
}

void WsWorker::adopt(qintptr descriptor)
{
    auto *socket = new DirectWriteSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        qCWarning(lcWs) << "cannot take over a connection:" << socket->errorString();
        ::close(int(descriptor));
        delete socket;
        return;
    }
    // Frames are written as they are ready, often header and body apart (QWebSocket's own
    // frames on peer links): Nagle would hold the second part for the peer's delayed ACK,
    // up to 40 ms.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_handshaking.insert(socket);
    m_handshaker->handleConnection(socket);
    // A handshake QWebSocketServer refuses leaves the socket to us: free it, and never let a
    // client hold a descriptor without completing the handshake.
    auto dropIfStillHandshaking = [this, socket] {
        if (m_handshaking.remove(socket)) {
            socket->abort();
            socket->deleteLater();
        }
    };
    connect(socket, &QTcpSocket::disconnected, this, dropIfStillHandshaking);
    QTimer::singleShot(m_deps.config->registerTimeoutMs, this, dropIfStillHandshaking);
}

void WsWorker::onNewWebSocket()
{
    while (QWebSocket *socket = m_handshaker->nextPendingConnection()) {
        socket->setParent(this);
        // The QWebSocket now owns the TCP connection it was upgraded from.
        QTcpSocket *tcp = nullptr;
        for (auto it = m_handshaking.begin(); it != m_handshaking.end(); ++it) {
            if ((*it)->peerPort() == socket->peerPort() &&
                (*it)->peerAddress() == socket->peerAddress()) {
                tcp = *it;
                m_handshaking.erase(it);
                break;
            }
        }
        socket->setMaxAllowedIncomingMessageSize(quint64(m_deps.config->limits.maxBodyBytes));
        socket->setMaxAllowedIncomingFrameSize(quint64(m_deps.config->limits.maxBodyBytes));
        if (!m_deps.hub->reserveSession()) {
            ++m_deps.metrics->sessionsRejectedOverCapacity;
            // Qt clients cannot read close code 1013 (QWebSocket turns it into 1002), so the
            // error frame before it is what tells them to back off.
            socket->sendTextMessage(QString::fromUtf8(JsonCodec::encode(
                ErrorMessage{errorCodeName(ErrorCode::Unavailable),
                             QStringLiteral("server at capacity, try again later")})));
            socket->close(QWebSocketProtocol::CloseCode(CloseCode::TryAgainLater),
                          QStringLiteral("server at capacity, try again later"));
            connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
            continue;
        }
        ++m_deps.metrics->sessionsOpened;
        auto session = std::make_shared<ClientSession>();
        session->id = m_nextId++;
        session->socket = socket;
        session->tcp = tcp;
        session->connectedAt.start();
        session->lastHeardMs = nowMs();
        m_sessions.insert(session->id, session);
        const quint64 id = session->id;
        connect(socket, &QWebSocket::textMessageReceived, this,
                [this, id](const QString &frame) { onFrame(id, frame); });
        connect(socket, &QWebSocket::binaryMessageReceived, this, [this, id](const QByteArray &) {
            if (auto s = m_sessions.value(id))
                closeSession(*s, CloseCode::UnsupportedData,
                             QStringLiteral("binary frames are not part of the protocol"));
        });
        connect(socket, &QWebSocket::pong, this, [this, id] {
            if (auto s = m_sessions.value(id))
                s->lastHeardMs = nowMs();
        });
        connect(socket, &QWebSocket::disconnected, this, [this, id] { onClosed(id); });
    }
}

void WsWorker::onFrame(quint64 sessionId, const QString &frameText)
{
    auto session = m_sessions.value(sessionId);
    if (!session || session->stage == ClientSession::Stage::Closing)
        return;
    session->lastHeardMs = nowMs();
    const QByteArray frame = frameText.toUtf8();

    if (session->stage == ClientSession::Stage::AwaitingRegister) {
        Relay *relay = m_deps.hub->relay();
        if (relay && PeerCodec::isPeerHello(frame)) {
            // Another node: the connection leaves the client sessions for the relay.
            QWebSocket *socket = std::exchange(session->socket, nullptr);
            socket->disconnect(this);
            m_sessions.remove(sessionId);
            session->stage = ClientSession::Stage::Closing;
            m_deps.hub->releaseSession();
            relay->adoptInbound(socket, frameText);
            return;
        }
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
        QString token = reg->token;
        if (token.isEmpty()) {
            const QNetworkRequest request = session->socket->request();
            token = bearerToken(request.rawHeader("Authorization"), QUrlQuery(request.url()));
        }
        handleRegister(*session, *reg, token);
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
            sendText(*session, JsonCodec::encode(PongMessage{}));
    } else {
        sendError(*session, Error::badRequest(QStringLiteral("type: already registered")));
    }
}

void WsWorker::handleRegister(ClientSession &session, const RegisterMessage &message,
                              const QString &token)
{
    session.stage = ClientSession::Stage::Authenticating;
    const quint64 id = session.id;
    m_deps.authenticator->authenticate(token, this,
                                       [this, id, message](std::optional<Principal> principal) {
                                           completeRegister(id, message, principal);
                                       });
}

void WsWorker::completeRegister(quint64 sessionId, const RegisterMessage &message,
                                const std::optional<Principal> &principal)
{
    auto session = m_sessions.value(sessionId);
    if (!session || session->stage != ClientSession::Stage::Authenticating)
        return;
    auto refuse = [&](const QString &why) {
        sendError(*session, {ErrorCode::Unauthorized, why});
        closeSession(*session, CloseCode::Policy, why);
    };
    if (!principal)
        return refuse(QStringLiteral("token: missing or not valid"));
    QString user;
    switch (principal->kind) {
    case TokenKind::Producer:
        return refuse(QStringLiteral("token: a producer token cannot receive notifications"));
    case TokenKind::User:
        if (!message.user.isEmpty() && message.user != principal->user && !session->hermes)
            return refuse(QStringLiteral("user: the token belongs to another user"));
        user = principal->user;
        break;
    case TokenKind::Admin:
        // Admin tokens and --no-auth act for the user they name (Hermes: the ClientId).
        user = session->hermes ? message.clientId : message.user;
        if (user.isEmpty())
            return refuse(QStringLiteral("user: required with an admin token or --no-auth"));
        break;
    }
    session->user = user;
    session->clientId = message.clientId;
    for (const Subscription &sub : message.subscriptions) {
        for (const QString &channel : sub.channels) {
            const QString key = Outgoing::channelKey(sub.application, channel);
            session->channelKeys.insert(key);
            auto &subscribers = m_byChannel[key];
            if (subscribers.isEmpty())
                m_channelInterest.insert(key);
            subscribers.insert(session.get());
        }
    }
    auto &sessionsOfUser = m_byUser[user];
    if (sessionsOfUser.isEmpty())
        m_userInterest.insert(user);
    sessionsOfUser.insert(session.get());
    session->stage = ClientSession::Stage::LoadingBacklog;
    qCDebug(lcWs) << "worker" << m_index << "registered" << user << message.clientId
                  << session->channelKeys.size() << "channels";
    if (!session->hermes) {
        const QString sessionName = QUuid::createUuid().toString(QUuid::WithoutBraces);
        sendText(*session, (JsonCodec::encode(
                               RegisteredMessage{sessionName, m_deps.hub->nodeId(), utcNow()})));
    }
    loadBacklog(*session, message);
}

void WsWorker::loadBacklog(ClientSession &session, const RegisterMessage &message)
{
    const quint64 id = session.id;
    if (message.fetchLast <= 0) {
        finishBacklog(id, {});
        return;
    }
    BacklogQuery query{session.user, message.subscriptions, message.fetchLast,
                       message.lastNotificationId, utcNow()};
    if (message.lastNotificationId) {
        // Resuming: everything missed (up to maxResume), not just the last fetchLast.
        query.limit = std::max(query.limit, m_deps.config->limits.maxResume);
        // In a cluster, from a little before the id: a notification relayed from another node
        // can arrive after newer ones made here. The client drops the repeats by id.
        constexpr qint64 RelayLagMarginMs = 10'000;
        const Relay *relay = m_deps.hub->relay();
        if (relay && relay->enabled()) {
            query.afterId = std::max<NotificationId>(
                0, *message.lastNotificationId -
                       (RelayLagMarginMs << (IdGenerator::NodeBits + IdGenerator::SequenceBits)));
        }
    }
    m_deps.store->submit<QList<Notification>>(
        [query](SqlStore &store) { return store.backlog(query); }, this,
        [this, id](Result<QList<Notification>> backlog) {
            if (!backlog) {
                qCWarning(lcWs) << "backlog query failed:" << backlog.error().message;
                if (auto s = m_sessions.value(id)) {
                    sendError(
                        *s, {ErrorCode::Unavailable, QStringLiteral("backlog: store unavailable")});
                    closeSession(*s, CloseCode::TryAgainLater, QStringLiteral("store unavailable"));
                }
                return;
            }
            finishBacklog(id, *backlog);
        });
}

void WsWorker::finishBacklog(quint64 sessionId, const QList<Notification> &backlog)
{
    auto session = m_sessions.value(sessionId);
    if (!session || session->stage != ClientSession::Stage::LoadingBacklog)
        return;
    beginBatch(); // the backlog, backlogDone and what was held back in one write
    for (const Notification &n : backlog) {
        session->backlogIds.insert(n.id);
        const NotificationMessage message{n};
        sendText(*session,
                 (session->hermes ? HermesCodec::encode(message) : JsonCodec::encode(message)));
    }
    if (!session->hermes)
        sendText(*session, (JsonCodec::encode(BacklogDoneMessage{})));
    session->stage = ClientSession::Stage::Live;
    const QList<OutgoingPtr> held = std::exchange(session->heldBack, {});
    for (const OutgoingPtr &outgoing : held)
        sendLive(*session, outgoing);
    session->backlogIds.clear();
    endBatch();
}

void WsWorker::handleAck(ClientSession &session, const QList<NotificationId> &ids)
{
    const QString user = session.user;
    const quint64 id = session.id;
    m_deps.store->submit<QList<NotificationId>>(
        [user, ids](SqlStore &store) { return store.acknowledge(user, ids, utcNow()); }, this,
        [this, id, user](Result<QList<NotificationId>> acked) {
            if (!acked) {
                if (auto s = m_sessions.value(id))
                    sendError(*s, acked.error());
                return;
            }
            m_deps.metrics->acknowledgements += quint64(acked->size());
            m_deps.hub->acknowledged(user, *acked);
        });
}

void WsWorker::deliver(const OutgoingPtr &outgoing)
{
    auto it = m_byChannel.constFind(outgoing->channelKey());
    if (it == m_byChannel.constEnd())
        return;
    for (ClientSession *session : *it) {
        if (outgoing->isVisibleTo(session->user))
            sendLive(*session, outgoing);
    }
}

void WsWorker::deliverToUser(const QString &user, const OutgoingPtr &outgoing)
{
    auto it = m_byUser.constFind(user);
    if (it == m_byUser.constEnd())
        return;
    for (ClientSession *session : *it)
        sendLive(*session, outgoing);
}

void WsWorker::sendLive(ClientSession &session, const OutgoingPtr &outgoing)
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
        ++m_deps.metrics->deliveries;
    }
    const QByteArray &frame = session.hermes ? outgoing->hermesFrame() : outgoing->nativeFrame();
    if (!frame.isEmpty())
        queueFrame(session, frame);
}

void WsWorker::sendText(ClientSession &session, const QByteArray &utf8)
{
    queueFrame(session, webSocketTextFrame(utf8));
}

void WsWorker::queueFrame(ClientSession &session, const QByteArray &frame)
{
    if (!session.tcp || session.stage == ClientSession::Stage::Closing)
        return;
    session.unsent.append(frame); // shared with the other sessions, not copied
    if (!session.flushQueued) {
        session.flushQueued = true;
        m_toFlush.append(session.id);
    }
    if (m_batchDepth == 0)
        endBatch();
}

void WsWorker::endBatch()
{
    if (m_batchDepth > 0 && --m_batchDepth > 0)
        return;
    const QList<quint64> sessions = std::exchange(m_toFlush, {});
    for (quint64 id : sessions) {
        if (auto session = m_sessions.value(id))
            flushFrames(*session);
    }
}

void WsWorker::flushFrames(ClientSession &session)
{
    session.flushQueued = false;
    const QList<QByteArray> frames = std::exchange(session.unsent, {});
    if (frames.isEmpty() || !session.tcp || session.stage == ClientSession::Stage::Closing)
        return;
    // A client that does not read must not make the daemon hold unbounded data for it: cut it
    // off; it resumes with lastNotificationId when it reconnects.
    if (session.tcp->bytesToWrite() > m_deps.config->maxPendingBytesPerSession) {
        ++m_deps.metrics->sessionsDroppedSlow;
        qCInfo(lcWs) << "dropping a session of" << session.user << "that does not read";
        session.stage = ClientSession::Stage::Closing;
        session.socket->abort();
        return;
    }
    if (frames.size() == 1) {
        session.tcp->write(frames.first());
        return;
    }
    qsizetype size = 0;
    for (const QByteArray &frame : frames)
        size += frame.size();
    QByteArray joined;
    joined.reserve(size);
    for (const QByteArray &frame : frames)
        joined.append(frame);
    session.tcp->write(joined);
}

void WsWorker::sendError(ClientSession &session, const Error &error)
{
    const ErrorMessage message{errorCodeName(error.code), error.message};
    sendText(session, (session.hermes ? HermesCodec::encode(message) : JsonCodec::encode(message)));
}

void WsWorker::closeSession(ClientSession &session, int code, const QString &reason)
{
    if (session.stage == ClientSession::Stage::Closing || !session.socket)
        return;
    if (session.flushQueued)
        flushFrames(session); // what was sent before the close frame goes before it
    forget(session);
    session.stage = ClientSession::Stage::Closing;
    session.lastHeardMs = nowMs(); // the sweep aborts it if the close handshake stalls
    session.socket->close(QWebSocketProtocol::CloseCode(code), reason);
}

void WsWorker::forget(ClientSession &session)
{
    for (const QString &key : std::as_const(session.channelKeys)) {
        auto it = m_byChannel.find(key);
        if (it != m_byChannel.end()) {
            it->remove(&session);
            if (it->isEmpty()) {
                m_byChannel.erase(it);
                m_channelInterest.remove(key);
            }
        }
    }
    session.channelKeys.clear();
    auto it = m_byUser.find(session.user);
    if (it != m_byUser.end()) {
        it->remove(&session);
        if (it->isEmpty()) {
            m_byUser.erase(it);
            m_userInterest.remove(session.user);
        }
    }
}

void WsWorker::onClosed(quint64 sessionId)
{
    auto session = m_sessions.take(sessionId);
    if (!session)
        return;
    forget(*session);
    session->socket->disconnect(this);
    session->socket->deleteLater();
    session->socket = nullptr;
    session->stage = ClientSession::Stage::Closing;
    m_deps.hub->releaseSession();
}

int WsWorker::dropUser(const QString &user)
{
    const QList<ClientSession *> sessions = m_byUser.value(user).values();
    for (ClientSession *session : sessions)
        closeSession(*session, CloseCode::Policy, QStringLiteral("dropped by an administrator"));
    return int(sessions.size());
}

void WsWorker::closeAll(int code, const QString &reason)
{
    m_sweepTimer.stop();
    const auto sessions = m_sessions.values();
    for (const auto &session : sessions)
        closeSession(*session, code, reason);
    // Push the close frames out now: the thread ends right after this.
    for (const auto &session : sessions) {
        if (session->socket) {
            session->socket->flush();
        }
    }
}

void WsWorker::sweep()
{
    const qint64 now = nowMs();
    const Config &c = *m_deps.config;
    QList<std::shared_ptr<ClientSession>> expired;
    for (const auto &session : std::as_const(m_sessions)) {
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
            session->socket->ping();
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
