// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "codec/jsoncodec.h"
#include "model/notification.h"
#include "protocol/messages.h"
#include "session/ackqueue.h"
#include "session/connectionloss.h"
#include "session/missedpager.h"
#include "session/publishtracker.h"
#include "session/resumecursor.h"
#include "session/serverfailover.h"
#include "util/backoff.h"
#include "util/recentids.h"

#include <QAbstractSocket>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QUrl>

namespace herald {

class ClientWebSocket;

// What a SyncSession connects to and asks for. See PROTOCOL.md "WebSocket".
struct SyncSessionConfig
{
    // ws://host:port/api/v1/ws; with several, the session fails over to the next one in order.
    QList<QUrl> servers;
    QString user;     // may be empty: then the token's user
    QString token;    // sent as "Authorization: Bearer" on the upgrade and in register
    QString clientId; // this device's uuid
    // Empty: a publishing session (PROTOCOL.md, "Publishing over the WebSocket"), which needs
    // a producer token, or an admin token without `user`. It reaches Live like any other and
    // then receives nothing but the answers to its publishes.
    QList<Subscription> subscriptions;
    int fetchLast = 10;
    int backoffMinMs = 500;
    int backoffMaxMs = 30'000;
    int registerTimeoutMs = 10'000; // from opening the socket until `registered`
    int recentIdsCapacity = RecentIds::DefaultCapacity;
};

// The client side of the WebSocket protocol: connects to herald-syncd, registers, receives the
// backlog and then live notifications, acknowledges, and reconnects with backoff and resume
// (lastNotificationId) when the connection is lost, dropping notifications it has already
// emitted. Used by the tray client and the tests.
//
// Resuming: the register carries the highest id received (lastNotificationId). While a
// backlog arrives that resume point stays where it was, so a connection lost in the middle of
// it resumes from the same place again. When the server says it sent only the newest of what
// was missed (`backlogDone` with `truncated`), MissedPager fetches the rest through REST
// before backlogDone() is emitted; if that fails, the session reconnects and resumes again.
// A resume thus never skips a notification.
//
// Reconnecting: exponential backoff with full jitter (Backoff), reset once a session reaches
// Live. A server that is overloaded (close 1013; an `unavailable` or `rate_limited` error frame
// before the close; HTTP 429/503 on the upgrade) makes the next delay at least half the
// maximum. Each failed attempt moves on to the next server URL; a registered session that
// merely dropped tries its server again first, unless it closed with 1001 or 1013.
//
// Publishing (publish()): only while registered, never queued. A publish while the session is
// not registered fails at once (publishFailed with `unavailable`, posted): a notification held
// back for minutes of reconnecting would arrive late and out of order with what the caller
// does meanwhile, so the caller decides whether to wait for registered() and publish again.
// Publishes sent but not answered when the connection ends fail with `unavailable`, their
// outcome unknown (PROTOCOL.md); nothing is published again by the session itself.
//
// This class keeps the connection's state machine and the socket; the rules live in small
// types it owns: ServerFailover (which server, how long to wait), ConnectionLoss (how a
// close or a failed upgrade counts), ResumeCursor (resume point, dedupe), AckQueue, and
// PublishTracker (refs, answers, failures of publishes).
//
// Lives in, and must only be used from, the thread that owns it (its ClientWebSocket and
// QTimer are thread-affine). It owns its socket; signals are emitted from that thread's event loop.
class SyncSession : public QObject
{
    Q_OBJECT

public:
    enum class State
    {
        Disconnected, // not connected; a reconnect is pending unless start() was never called
        Connecting,   // TCP connect and WebSocket upgrade in progress
        Registering,  // upgraded, `register` sent, waiting for `registered`
        Backlog,      // registered, receiving the backlog
        Live,         // backlog done, receiving live notifications
        Stopped,      // stop() was called, or the server refused the credentials
    };
    Q_ENUM(State)

    // Does not connect: call start().
    explicit SyncSession(SyncSessionConfig config, QObject *parent = nullptr);
    // Closes an open connection with 1000, without emitting signals.
    ~SyncSession() override;

    // The configuration the next connection attempt uses.
    const SyncSessionConfig &config() const { return m_config; }
    // Replaces the configuration (e.g. a new token after authenticationFailed()). Takes effect
    // at the next connection attempt; the open connection, if any, is kept.
    void setConfig(const SyncSessionConfig &config);

    // Where the session is; stateChanged() reports every change.
    State state() const { return m_state; }
    // True in Backlog and Live: frames may be sent.
    bool isRegistered() const { return m_state == State::Backlog || m_state == State::Live; }
    // The server URL of the current or next connection attempt.
    QUrl currentServer() const { return m_failover.current(); }
    // The sessionId of the last `registered`; empty before the first one.
    QString sessionId() const { return m_sessionId; }

    // The highest notification id received so far (0: none). Sent as lastNotificationId in
    // every register while it is above 0, so a reconnect resumes where the last session ended.
    NotificationId lastNotificationId() const { return m_cursor.lastId(); }
    // Sets the resume point, e.g. the value the tray persisted at its last exit. Takes effect
    // at the next register. Emits lastNotificationIdChanged() when the value changes.
    void setLastNotificationId(NotificationId id);

    // For tests: replaces the reconnect backoff's random source (see Backoff::RandomSource).
    void setBackoffRandomSource(Backoff::RandomSource random);

    // Connects to the first server now (also to reconnect at once while a reconnect is
    // pending, or again after stop() or authenticationFailed()). Does nothing while a
    // connection is open or being opened, or when no server is configured.
    void start();
    // Closes the connection with 1000 and stops reconnecting until start(). Acknowledgements
    // not yet confirmed by the server stay queued for the next session; publishes not yet
    // answered fail (`unavailable`, outcome unknown).
    void stop();
    // Acknowledges notifications for this user. Sent at once while registered, otherwise
    // queued and sent right after the next `registered`. Ids sent but not yet confirmed by an
    // `acknowledged` frame are sent again after a reconnect (acks are idempotent). Invalid ids
    // (not in 1..2^53-1) are dropped with a warning.
    void acknowledge(const QList<herald::NotificationId> &ids);
    // Sends {"type":"ping"}; pongReceived() follows. Returns false (nothing sent) when not
    // registered.
    bool ping();
    // Publishes notification (application, channel and content as in a POST body; id, time
    // and node are the server's) if the token may. Returns the ref that the answer carries:
    // exactly one of published() or publishFailed() follows, never before this returns. See
    // the class comment for a session that is not registered or loses its connection.
    QString publish(const herald::Notification &notification)
    {
        // The socket too: while a lost connection's publishes fail, the state is still Live.
        return m_publishes->publish(notification, isRegistered() && m_socket);
    }
    // Publishes sent on this connection and not answered yet (the server reads at most 256
    // ahead of its answers; a caller that pipelines keeps below that).
    int unansweredPublishes() const { return m_publishes->unansweredCount(); }

Q_SIGNALS:
    void stateChanged(herald::SyncSession::State state);
    // The server accepted the register frame.
    void registered(const QString &sessionId, int node);
    // A notification not seen before (duplicates by id are dropped). fromBacklog: it came
    // between `registered` and `backlogDone` (it was created while this device was away).
    void notificationReceived(const herald::Notification &notification, bool fromBacklog);
    // The backlog is complete (with what was fetched through REST after a truncated one).
    void backlogDone();
    // The user acknowledged these, from this or another session.
    void acknowledged(const QList<herald::NotificationId> &ids);
    void deleted(const QList<herald::NotificationId> &ids);
    // Inbox (1.1): the user's unseen count (from the server, the same on every device), the
    // seen cursor moved to `upTo`, everything up to `upTo` deleted for this user.
    void unseenChanged(qint64 count);
    void seenMoved(herald::NotificationId upTo);
    void inboxCleared(herald::NotificationId upTo);
    // The user's delivery preferences changed (on any device), as GET /api/v1/preferences.
    void preferencesChanged(const QJsonObject &preferences);
    // A digest the user's preferences collected (once per digest, whichever session gets it).
    void digestReceived(const herald::DigestMessage &digest);
    void pongReceived();
    // An error frame that is not the answer to a publish.
    void serverErrorReceived(const QString &code, const QString &message);
    // The answers to publish(): the id the notification got (a persistent one is committed), or
    // the refusal with an ErrorCode name (`forbidden`, `bad_request` naming the field as a REST
    // publish does, `unavailable`, ...) and the server's or the session's message.
    void published(const QString &ref, herald::NotificationId id);
    void publishFailed(const QString &ref, const QString &code, const QString &message);
    // The connection or the attempt ended. closeCode is the WebSocket close code (the server's
    // when it closed, 1002, 1007 or 1009 when the client failed the connection for a bad
    // frame), or 1006 when there was no WebSocket connection to close (refused, timed out,
    // upgrade rejected).
    void disconnected(int closeCode, const QString &reason);
    // The server refused the credentials (close 1008, or HTTP 401 on the upgrade). The session
    // is Stopped and does not reconnect until start() is called again.
    void authenticationFailed();
    // The next attempt will go to server in delayMs milliseconds.
    void reconnectScheduled(int delayMs, const QUrl &server);
    void lastNotificationIdChanged(herald::NotificationId id);

private:
    void connectToServer();
    void onSocketConnected();
    void onSocketDisconnected();
    void onSocketError(QAbstractSocket::SocketError error);
    void onTextMessageReceived(const QString &frame);
    void onRegisterTimeout();

    void handle(const RegisteredMessage &message);
    void handle(const NotificationMessage &message);
    void handle(const BacklogDoneMessage &message);
    void handle(const AcknowledgedMessage &message);
    void handle(const DeletedMessage &message) { Q_EMIT deleted(message.ids); }
    void handle(const UnseenMessage &message) { Q_EMIT unseenChanged(message.count); }
    void handle(const SeenMessage &message) { Q_EMIT seenMoved(message.upTo); }
    void handle(const ClearedMessage &message) { Q_EMIT inboxCleared(message.upTo); }
    void handle(const PreferencesMessage &message) { Q_EMIT preferencesChanged(message.data); }
    void handle(const DigestMessage &message) { Q_EMIT digestReceived(message); }
    void handle(const PublishedMessage &message) { m_publishes->answered(message); }
    void handle(const PongMessage &) { Q_EMIT pongReceived(); }
    void handle(const ErrorMessage &message);
    void onMissedFinished(const QString &error);
    void finishBacklog();

    void connectionLost(int closeCode, const QString &reason, ConnectionLoss loss);
    void releaseSocket();
    void closeSocket(const QString &reason);
    void sendMessage(const ClientMessage &message);
    void flushAcks();
    void setState(State state);

    SyncSessionConfig m_config;
    JsonCodec m_codec;
    ServerFailover m_failover;
    ResumeCursor m_cursor;
    AckQueue m_acks;
    QTimer m_reconnectTimer;
    QTimer m_registerTimer;
    ClientWebSocket *m_socket = nullptr; // child of this; one per connection attempt
    State m_state = State::Disconnected;
    QString m_sessionId;
    QString m_lastServerError; // code of the last error frame on this connection
    MissedPager *m_pager;
    PublishTracker *m_publishes;        // child of this
    NotificationId m_resumedFrom = 0;   // lastNotificationId of this connection's register
    NotificationId m_backlogOldest = 0; // the oldest notification of this backlog
    NotificationId m_backlogNewest = 0; // the resume point once the backlog is complete
};

} // namespace herald
