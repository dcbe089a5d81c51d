// SPDX-License-Identifier: Apache-2.0
#include "syncsession.h"

#include "session/clientwebsocket.h"

#include <QLoggingCategory>

#include <chrono>
#include <utility>
#include <variant>

namespace herald {

namespace {

Q_LOGGING_CATEGORY(lcSession, "herald.shared.session")

using std::chrono::milliseconds;

// RFC 6455's code for "closed without a close frame"; never sent on the wire.
constexpr int AbnormalClosure = 1006;

// For logs: a URL may carry ?token= or user:password, which must never reach a log.
QString redacted(const QUrl &url)
{
    return url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery);
}

} // namespace

SyncSession::SyncSession(SyncSessionConfig config, QObject *parent)
    : QObject(parent), m_config(std::move(config)),
      m_failover(m_config.servers, milliseconds(m_config.backoffMinMs),
                 milliseconds(m_config.backoffMaxMs)),
      m_cursor(m_config.recentIdsCapacity), m_pager(new MissedPager(this)),
      m_publishes(
          new PublishTracker([this](const QString &frame) { m_socket->sendTextMessage(frame); },
                             m_codec.validator().limits().maxBodyBytes, this))
{
    connect(m_publishes, &PublishTracker::published, this, &SyncSession::published);
    connect(m_publishes, &PublishTracker::publishFailed, this, &SyncSession::publishFailed);
    connect(m_pager, &MissedPager::fetched, this, [this](const QList<Notification> &missed) {
        for (const Notification &n : missed) {
            if (m_cursor.admit(n.id))
                Q_EMIT notificationReceived(n, true);
        }
    });
    connect(m_pager, &MissedPager::finished, this, &SyncSession::onMissedFinished);
    m_reconnectTimer.setSingleShot(true);
    m_registerTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &SyncSession::connectToServer);
    connect(&m_registerTimer, &QTimer::timeout, this, &SyncSession::onRegisterTimeout);
}

SyncSession::~SyncSession()
{
    // Receivers may be half-destroyed with us; say goodbye to the server without signals.
    const QSignalBlocker blocker(this);
    stop();
}

void SyncSession::setConfig(const SyncSessionConfig &config)
{
    m_config = config;
    m_failover.reconfigure(m_config.servers, milliseconds(m_config.backoffMinMs),
                           milliseconds(m_config.backoffMaxMs));
    m_cursor.setRecentIdsCapacity(m_config.recentIdsCapacity);
}

void SyncSession::setLastNotificationId(NotificationId id)
{
    if (m_cursor.setLastId(id))
        Q_EMIT lastNotificationIdChanged(id);
}

void SyncSession::setBackoffRandomSource(Backoff::RandomSource random)
{
    m_failover.setRandomSource(std::move(random));
}

void SyncSession::start()
{
    if (m_config.servers.isEmpty()) {
        qCWarning(lcSession) << "start() without a server URL; not connecting";
        return;
    }
    if (m_socket)
        return;
    m_failover.restart();
    connectToServer();
}

void SyncSession::stop()
{
    m_reconnectTimer.stop();
    m_registerTimer.stop();
    const bool hadConnection = m_socket != nullptr;
    closeSocket(QStringLiteral("client stopped"));
    m_acks.requeueUnconfirmed();
    m_publishes->connectionLost();
    setState(State::Stopped);
    if (hadConnection)
        Q_EMIT disconnected(CloseCode::Normal, QStringLiteral("client stopped"));
}

void SyncSession::acknowledge(const QList<NotificationId> &ids)
{
    for (NotificationId id : ids) {
        if (!m_acks.add(id))
            qCWarning(lcSession) << "not acknowledging invalid notification id" << id;
    }
    if (isRegistered())
        flushAcks();
}

bool SyncSession::ping()
{
    if (!isRegistered())
        return false;
    sendMessage(PingMessage{});
    return true;
}

void SyncSession::connectToServer()
{
    m_reconnectTimer.stop();
    releaseSocket();
    if (m_failover.isEmpty()) { // setConfig() took them away
        qCWarning(lcSession) << "no server URL configured; stopping";
        setState(State::Stopped);
        return;
    }
    setState(State::Connecting);
    if (m_state != State::Connecting) // a stateChanged receiver called stop()
        return;

    const QUrl url = currentServer();
    qCInfo(lcSession) << "connecting to" << redacted(url);
    m_lastServerError.clear();
    m_socket = new ClientWebSocket(this);
    connect(m_socket, &ClientWebSocket::connected, this, &SyncSession::onSocketConnected);
    connect(m_socket, &ClientWebSocket::disconnected, this, &SyncSession::onSocketDisconnected);
    connect(m_socket, &ClientWebSocket::error, this, &SyncSession::onSocketError);
    connect(m_socket, &ClientWebSocket::textMessageReceived, this,
            &SyncSession::onTextMessageReceived);

    ClientWebSocket::Headers headers;
    if (!m_config.token.isEmpty())
        headers.append({"Authorization", "Bearer " + m_config.token.toUtf8()});
    // Covers a hanging TCP connect or upgrade as well as a server that never registers us.
    m_registerTimer.start(m_config.registerTimeoutMs);
    m_socket->open(url, headers); // may fail synchronously (bad URL): m_socket is null then
}

void SyncSession::onSocketConnected()
{
    setState(State::Registering);
    if (m_state != State::Registering)
        return;
    RegisterMessage message;
    message.clientId = m_config.clientId;
    message.user = m_config.user;
    message.token = m_config.token;
    message.subscriptions = m_config.subscriptions;
    message.fetchLast = m_config.fetchLast;
    message.lastNotificationId = m_cursor.resumePoint();
    m_resumedFrom = m_cursor.lastId();
    m_backlogOldest = 0;
    m_backlogNewest = 0;
    sendMessage(message);
}

void SyncSession::onSocketDisconnected()
{
    if (!m_socket)
        return;
    // Before the upgrade there is no close code.
    if (m_state == State::Connecting) {
        connectionLost(AbnormalClosure, m_socket->errorString(), ConnectionLoss::Normal);
        return;
    }
    const int code = m_socket->closeCode();
    const QString reason = m_socket->closeReason();
    connectionLost(code, reason, lossOnClose(code, m_lastServerError));
}

void SyncSession::onSocketError(QAbstractSocket::SocketError error)
{
    if (!m_socket)
        return;
    const QString text = m_socket->errorString();
    // Once upgraded, disconnected() follows with the close code; handle the loss there.
    if (m_state != State::Connecting) {
        qCDebug(lcSession) << "socket error" << error << text;
        return;
    }
    connectionLost(AbnormalClosure, text, lossOnUpgradeError(m_socket->httpStatus()));
}

void SyncSession::onTextMessageReceived(const QString &frame)
{
    const Result<ServerMessage> message = m_codec.decodeServerMessage(frame.toUtf8());
    if (!message) {
        // Lenient: a newer server may send frames this client does not know yet.
        qCWarning(lcSession) << "ignoring a frame from the server:" << message.error().message;
        return;
    }
    std::visit([this](const auto &m) { handle(m); }, *message);
}

void SyncSession::onRegisterTimeout()
{
    if (m_state != State::Connecting && m_state != State::Registering)
        return;
    qCWarning(lcSession) << "no registered from" << redacted(currentServer()) << "within"
                         << m_config.registerTimeoutMs << "ms; reconnecting";
    connectionLost(AbnormalClosure, QStringLiteral("register timeout"), ConnectionLoss::Normal);
}

void SyncSession::handle(const RegisteredMessage &message)
{
    if (m_state != State::Registering) {
        qCWarning(lcSession) << "ignoring registered in state" << m_state;
        return;
    }
    m_registerTimer.stop();
    m_sessionId = message.sessionId;
    qCInfo(lcSession) << "registered as session" << message.sessionId << "on node" << message.node;
    setState(State::Backlog);
    if (m_state != State::Backlog)
        return;
    flushAcks();
    Q_EMIT registered(message.sessionId, message.node);
}

void SyncSession::handle(const NotificationMessage &message)
{
    if (!isRegistered()) {
        qCWarning(lcSession) << "ignoring a notification before registered";
        return;
    }
    const Notification &n = message.notification;
    if (!m_cursor.admit(n.id)) {
        qCDebug(lcSession) << "dropping duplicate notification" << n.id;
        return;
    }
    const bool fromBacklog = m_state == State::Backlog;
    if (fromBacklog) {
        // The resume point moves when the backlog is complete (see the class comment).
        m_backlogNewest = std::max(m_backlogNewest, n.id);
        // Live ones that come while the pager runs are newer: they never lower it.
        m_backlogOldest = m_backlogOldest ? std::min(m_backlogOldest, n.id) : n.id;
    } else if (m_cursor.advanceTo(n.id)) {
        Q_EMIT lastNotificationIdChanged(n.id);
    }
    Q_EMIT notificationReceived(n, fromBacklog);
}

void SyncSession::handle(const BacklogDoneMessage &message)
{
    if (m_state != State::Backlog || m_pager->isRunning()) {
        qCWarning(lcSession) << "ignoring backlogDone in state" << m_state;
        return;
    }
    if (message.truncated && m_resumedFrom > 0 && m_backlogOldest > 0) {
        qCInfo(lcSession) << "missed" << message.missed << "notifications; fetching those older"
                          << "than" << m_backlogOldest << "through REST";
        m_pager->start({currentServer(), m_config.token, m_config.user, m_config.subscriptions,
                        m_resumedFrom, m_backlogOldest});
        return;
    }
    finishBacklog();
}

void SyncSession::onMissedFinished(const QString &error)
{
    if (m_state != State::Backlog)
        return;
    if (!error.isEmpty()) {
        // The resume point has not moved: the next session resumes from the same place.
        connectionLost(AbnormalClosure, error, ConnectionLoss::Normal);
        return;
    }
    finishBacklog();
}

void SyncSession::finishBacklog()
{
    // Only a session that got this far counts as working; a server that accepts and drops
    // us at once keeps backing off.
    m_failover.connectionWorked();
    if (m_cursor.advanceTo(m_backlogNewest))
        Q_EMIT lastNotificationIdChanged(m_backlogNewest);
    setState(State::Live);
    if (m_state != State::Live)
        return;
    Q_EMIT backlogDone();
}

void SyncSession::handle(const AcknowledgedMessage &message)
{
    m_acks.confirmed(message.ids);
    Q_EMIT acknowledged(message.ids);
}

void SyncSession::handle(const ErrorMessage &message)
{
    if (m_publishes->refused(message))
        return;
    qCWarning(lcSession) << "server error" << message.code << message.message;
    m_lastServerError = message.code;
    Q_EMIT serverErrorReceived(message.code, message.message);
}

void SyncSession::connectionLost(int closeCode, const QString &reason, ConnectionLoss loss)
{
    const bool wasRegistered = isRegistered();
    const QUrl server = currentServer();
    m_registerTimer.stop();
    releaseSocket();
    m_acks.requeueUnconfirmed();
    m_publishes->connectionLost();

    if (loss == ConnectionLoss::AuthenticationRefused) {
        qCWarning(lcSession) << redacted(server) << "refused the credentials (" << closeCode
                             << reason << "); not reconnecting";
        setState(State::Stopped);
        Q_EMIT disconnected(closeCode, reason);
        Q_EMIT authenticationFailed();
        return;
    }

    const milliseconds delay = m_failover.connectionLost(wasRegistered, closeCode, loss);
    qCInfo(lcSession) << "connection to" << redacted(server) << "ended (" << closeCode << reason
                      << "); next attempt in" << delay.count() << "ms";
    setState(State::Disconnected);
    if (m_state != State::Disconnected)
        return;
    m_reconnectTimer.start(delay);
    const QUrl next = currentServer();
    Q_EMIT disconnected(closeCode, reason);
    if (m_reconnectTimer.isActive()) // unless a receiver stopped or restarted us
        Q_EMIT reconnectScheduled(int(delay.count()), next);
}

void SyncSession::releaseSocket()
{
    if (!m_socket)
        return;
    m_pager->abort();
    ClientWebSocket *socket = std::exchange(m_socket, nullptr);
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater(); // we may be inside one of its signals
}

void SyncSession::closeSocket(const QString &reason)
{
    if (!m_socket)
        return;
    if (m_socket->state() != QAbstractSocket::ConnectedState) {
        releaseSocket();
        return;
    }
    ClientWebSocket *socket = std::exchange(m_socket, nullptr);
    socket->disconnect(this);
    // Keep it until the close handshake is over; connect first, close() may finish at once.
    connect(socket, &ClientWebSocket::disconnected, socket, &QObject::deleteLater);
    socket->close(CloseCode::Normal, reason);
}

void SyncSession::sendMessage(const ClientMessage &message)
{
    if (m_socket)
        m_socket->sendTextMessage(QString::fromUtf8(JsonCodec::encode(message)));
}

void SyncSession::flushAcks()
{
    const auto frames = m_acks.takeFrames(m_codec.validator().limits().maxIdsPerAck);
    for (const QList<NotificationId> &ids : frames)
        sendMessage(AckMessage{ids});
}

void SyncSession::setState(State state)
{
    if (state == m_state)
        return;
    qCDebug(lcSession) << "state" << m_state << "->" << state;
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace herald
