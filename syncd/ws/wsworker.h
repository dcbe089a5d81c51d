// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "codec/hermescodec.h"
#include "codec/jsoncodec.h"
#include "config/config.h"
#include "net/rawwebsocket.h"
#include "net/websockethandshake.h"
#include "ws/clientsession.h"
#include "ws/framewriter.h"
#include "ws/outgoing.h"
#include "ws/publishintake.h"
#include "ws/registerflow.h"
#include "ws/sessionindex.h"
#include "ws/workerinterest.h"
#include "ws/workermailbox.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace herald::syncd {

class Authenticator;
class InboxService;
class NotificationService;
class SessionQuota;
class FailedAuthLimiter;
struct SessionOrigin;
struct Metrics;

// One event loop's share of the WebSocket sessions. Each worker lives on its own thread and
// owns its sockets; its epoll event dispatcher makes a wakeup cost what is ready, not what is
// open. Messages from other threads arrive as queued calls (see Hub). Timeouts and pings come from
// one sweep per second, not from a timer per session.
//
// The worker takes connections over, completes their handshake and dispatches their messages;
// its parts do the rest: RawWebSocket (one per session: the framing and the socket),
// SessionIndex (who is here and what they follow), RegisterFlow (from register to live),
// FrameWriter (every byte written, and in what order), PublishIntake (`publish` frames to the
// core and their answers back).
class WsWorker : public QObject, private RawWebSocket::Listener
{
    Q_OBJECT
public:
    struct Dependencies
    {
        const Config *config;
        NotificationService *notifications;
        InboxService *inbox;
        Authenticator *authenticator;
        Metrics *metrics;
        SessionQuota *quota;
        FailedAuthLimiter *authFailures;           // counts bad tokens of `register` frames
        PublishIntake::Admission publishAdmission; // the token rate of `publish` frames
        WorkerInterest *channelInterest;           // where the worker keeps its bit (Hub)
        WorkerInterest *userInterest;
    };
    WsWorker(int index, Dependencies dependencies);
    ~WsWorker() override;

    // All of these run on the worker's thread (call them through Hub).
    // A connection whose first request, still unread, is an upgrade the front admitted:
    // `upgrade` is what the front parsed of it, `token` its token (header or query), if any,
    // `origin` whose share of the session caps it takes.
    void adopt(qintptr descriptor, const WebSocketUpgradeRequest &upgrade, const QString &token,
               const SessionOrigin &origin);
    void deliver(const OutgoingPtr &outgoing); // to subscribers of its channel
    void deliverToUser(const QString &user, const OutgoingPtr &outgoing);
    int dropUser(const QString &user);
    // Closes (1008) the sessions registered with one of these tokens; how many.
    int closeTokenSessions(const QSet<qint64> &tokenIds);
    // Closes every session, pushes the close frames out, and ends the worker's thread.
    void closeAllAndQuit(int code, const QString &reason);
    int sessionCount() const { return m_sessions.size(); }

    // Thread-safe: the way to hand it work.
    WorkerMailbox &mailbox() { return m_mailbox; }

private:
    // RawWebSocket::Listener
    void textReceived(quint64 sessionId, const QByteArray &frame) override;
    void binaryReceived(quint64 sessionId) override;
    void heard(quint64 sessionId) override;
    void closed(quint64 sessionId) override;

    void turnAway(ClientSession &session, ConnectionSlots::Verdict verdict);
    void handleAck(ClientSession &session, const QList<NotificationId> &ids);
    void sendError(ClientSession &session, const Error &error);
    void closeSession(ClientSession &session, int code, const QString &reason);
    // Tells the core up to where a session that stops now was handed its channels' news.
    void rememberWhereItStopped(const ClientSession &session);
    void sweep();
    qint64 nowMs() const { return m_clock.elapsed(); }

    Dependencies m_deps;
    // Before m_register, which shares it: the ArrivalLog position of the newest notification
    // handed to this worker's sessions.
    std::shared_ptr<std::atomic<qint64>> m_handedOn = std::make_shared<std::atomic<qint64>>(0);
    JsonCodec m_json;
    HermesCodec m_hermes;
    SessionIndex m_sessions;
    FrameWriter::ConnectionSink m_connections;
    FrameWriter m_writer;
    RegisterFlow m_register;
    PublishIntake m_publishes;
    WorkerMailbox m_mailbox{this};
    QTimer m_sweepTimer;
    QElapsedTimer m_clock;
};

} // namespace herald::syncd
