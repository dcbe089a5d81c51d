#include "syncsession.h"

#include "protocol/validator.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QWebSocket>

#include <chrono>
#include <utility>
#include <variant>

namespace herald {

namespace {

Q_LOGGING_CATEGORY(lcSession, "herald.session")

using std::chrono::milliseconds;

// RFC 6455's code for "closed without a close frame"; never sent on the wire.
constexpr int AbnormalClosure = 1006;
// Bound on acks kept for resending: a server that never confirms must not grow this forever.
constexpr std::size_t MaxUnconfirmedAcks = 10'000;

// For logs: a URL may carry ?token= or user:password, which must never reach a log.
QString redacted(const QUrl &url)
{
    return url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery);
}

// Qt 6.4 reports a refused upgrade only as text ("... Unhandled http status code: 401
// (Unauthorized)."); 0 when there is no status in it.
int httpStatusOf(const QString &errorString)
{
    static const QRegularExpression pattern(QStringLiteral("status code: (\\d{3})"));
    const QRegularExpressionMatch match = pattern.match(errorString);
    return match.hasMatch() ? match.captured(1).toInt() : 0;
}

// Qt's QWebSocket (6.4 and later alike) takes every close code from 1012 to 2999 for invalid,
// 1013 among them: it reports 1002 with this reason and the server's code is lost. The
// registered codes in that range (1012 restart, 1013 try again later, 1014 bad gateway) all
// say the server is in trouble, so such a close is treated like 1013.
bool isCloseCodeRejectedByQt(int code, const QString &reason)
{
    if (code != QWebSocketProtocol::CloseCodeProtocolError)
        return false;
    static const char source[] = "Invalid close code %1 detected.";
    const int reported = QWebSocketProtocol::CloseCodeProtocolError;
    return reason == QString::fromLatin1(source).arg(reported) ||
           reason == QCoreApplication::translate("QWebSocketDataProcessor", source).arg(reported);
}

// Error frames a server may send before closing when it wants us to come back later.
bool isTryLaterError(const QString &code)
{
    return code == errorCodeName(ErrorCode::Unavailable) ||
           code == errorCodeName(ErrorCode::RateLimited);
}

} // namespace

SyncSession::SyncSession(SyncSessionConfig config, QObject *parent)
    : QObject(parent), m_config(std::move(config)),
      m_backoff(milliseconds(m_config.backoffMinMs), milliseconds(m_config.backoffMaxMs)),
      m_recentIds(m_config.recentIdsCapacity)
{
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
    m_backoff =
        Backoff(milliseconds(m_config.backoffMinMs), milliseconds(m_config.backoffMaxMs), m_random);
    if (m_recentIds.capacity() != m_config.recentIdsCapacity)
        m_recentIds = RecentIds(m_config.recentIdsCapacity);
    if (m_serverIndex >= m_config.servers.size())
        m_serverIndex = 0;
}

QUrl SyncSession::currentServer() const
{
    return m_config.servers.value(m_serverIndex);
}

void SyncSession::setLastNotificationId(NotificationId id)
{
    if (id == m_lastNotificationId)
        return;
    m_lastNotificationId = id;
    Q_EMIT lastNotificationIdChanged(id);
}

void SyncSession::setBackoffRandomSource(Backoff::RandomSource random)
{
    m_random = random;
    m_backoff.setRandomSource(std::move(random));
}

void SyncSession::start()
{
    if (m_config.servers.isEmpty()) {
        qCWarning(lcSession) << "start() without a server URL; not connecting";
        return;
    }
    if (m_socket)
        return;
    m_serverIndex = 0;
    m_backoff.reset();
    connectToServer();
}

void SyncSession::stop()
{
    m_reconnectTimer.stop();
    m_registerTimer.stop();
    const bool hadConnection = m_socket != nullptr;
    closeSocket(QStringLiteral("client stopped"));
    requeueUnconfirmedAcks();
    setState(State::Stopped);
    if (hadConnection)
        Q_EMIT disconnected(CloseCode::Normal, QStringLiteral("client stopped"));
}

void SyncSession::acknowledge(const QList<NotificationId> &ids)
{
    for (NotificationId id : ids) {
        if (Validator::isValidId(id))
            m_pendingAcks.insert(id);
        else
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
    if (m_config.servers.isEmpty()) { // setConfig() took them away
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
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    connect(m_socket, &QWebSocket::connected, this, &SyncSession::onSocketConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &SyncSession::onSocketDisconnected);
    connect(m_socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this,
            &SyncSession::onSocketError);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &SyncSession::onTextMessageReceived);

    QNetworkRequest request(url);
    if (!m_config.token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_config.token.toUtf8());
    // Covers a hanging TCP connect or upgrade as well as a server that never registers us.
    m_registerTimer.start(m_config.registerTimeoutMs);
    m_socket->open(request); // may fail synchronously (bad URL): m_socket is null then
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
    if (m_lastNotificationId > 0)
        message.lastNotificationId = m_lastNotificationId;
    sendMessage(message);
}

void SyncSession::onSocketDisconnected()
{
    if (!m_socket)
        return;
    // Before the upgrade there is no close code; Qt would say 1000, which would be a lie.
    if (m_state == State::Connecting) {
        connectionLost(AbnormalClosure, m_socket->errorString(), Loss::Normal);
        return;
    }
    const int code = m_socket->closeCode();
    const QString reason = m_socket->closeReason();
    Loss loss = Loss::Normal;
    if (code == CloseCode::Policy)
        loss = Loss::AuthenticationRefused;
    else if (code == CloseCode::TryAgainLater || isCloseCodeRejectedByQt(code, reason) ||
             isTryLaterError(m_lastServerError))
        loss = Loss::TryLater;
    connectionLost(code, reason, loss);
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
    Loss loss = Loss::Normal;
    switch (httpStatusOf(text)) {
    case 401:
        loss = Loss::AuthenticationRefused;
        break;
    case 429:
    case 503:
        loss = Loss::TryLater;
        break;
    default:
        break;
    }
    connectionLost(AbnormalClosure, text, loss);
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
    connectionLost(AbnormalClosure, QStringLiteral("register timeout"), Loss::Normal);
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
    if (!m_recentIds.insert(n.id)) {
        qCDebug(lcSession) << "dropping duplicate notification" << n.id;
        return;
    }
    const bool fromBacklog = m_state == State::Backlog;
    if (n.id > m_lastNotificationId)
        setLastNotificationId(n.id);
    Q_EMIT notificationReceived(n, fromBacklog);
}

void SyncSession::handle(const BacklogDoneMessage &)
{
    if (m_state != State::Backlog) {
        qCWarning(lcSession) << "ignoring backlogDone in state" << m_state;
        return;
    }
    // Only a session that got this far counts as working; a server that accepts and drops
    // us at once keeps backing off.
    m_backoff.reset();
    setState(State::Live);
    Q_EMIT backlogDone();
}

void SyncSession::handle(const AcknowledgedMessage &message)
{
    for (NotificationId id : message.ids) {
        m_unconfirmedAcks.erase(id);
        m_pendingAcks.erase(id); // another device was quicker
    }
    Q_EMIT acknowledged(message.ids);
}

void SyncSession::handle(const DeletedMessage &message)
{
    Q_EMIT deleted(message.ids);
}

void SyncSession::handle(const PongMessage &)
{
    Q_EMIT pongReceived();
}

void SyncSession::handle(const ErrorMessage &message)
{
    qCWarning(lcSession) << "server error" << message.code << message.message;
    m_lastServerError = message.code;
    Q_EMIT serverErrorReceived(message.code, message.message);
}

void SyncSession::connectionLost(int closeCode, const QString &reason, Loss loss)
{
    const bool wasRegistered = isRegistered();
    const QUrl server = currentServer();
    m_registerTimer.stop();
    releaseSocket();
    requeueUnconfirmedAcks();

    if (loss == Loss::AuthenticationRefused) {
        qCWarning(lcSession) << redacted(server) << "refused the credentials (" << closeCode
                             << reason << "); not reconnecting";
        setState(State::Stopped);
        Q_EMIT disconnected(closeCode, reason);
        Q_EMIT authenticationFailed();
        return;
    }

    // A failed attempt, or a server shutting down or overloaded: try the next one. A
    // registered session that merely dropped returns to the same server first.
    if (!wasRegistered || closeCode == CloseCode::GoingAway || loss == Loss::TryLater)
        m_serverIndex = (m_serverIndex + 1) % m_config.servers.size();
    const milliseconds delay = loss == Loss::TryLater ? m_backoff.nextDelay(m_backoff.maximum() / 2)
                                                      : m_backoff.nextDelay();
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
    QWebSocket *socket = std::exchange(m_socket, nullptr);
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
    QWebSocket *socket = std::exchange(m_socket, nullptr);
    socket->disconnect(this);
    // Keep it until the close frame is out; connect first, close() may finish synchronously.
    connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
    socket->close(QWebSocketProtocol::CloseCodeNormal, reason);
}

void SyncSession::sendMessage(const ClientMessage &message)
{
    if (m_socket)
        m_socket->sendTextMessage(QString::fromUtf8(JsonCodec::encode(message)));
}

void SyncSession::flushAcks()
{
    const int perFrame = m_codec.validator().limits().maxIdsPerAck;
    while (!m_pendingAcks.empty()) {
        AckMessage message;
        auto it = m_pendingAcks.begin();
        while (it != m_pendingAcks.end() && message.ids.size() < perFrame) {
            message.ids.append(*it);
            m_unconfirmedAcks.insert(*it);
            it = m_pendingAcks.erase(it);
        }
        sendMessage(message);
    }
    while (m_unconfirmedAcks.size() > MaxUnconfirmedAcks)
        m_unconfirmedAcks.erase(m_unconfirmedAcks.begin());
}

void SyncSession::requeueUnconfirmedAcks()
{
    // The connection may have dropped before the server stored them.
    m_pendingAcks.merge(m_unconfirmedAcks);
    m_unconfirmedAcks.clear();
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
