#pragma once

#include "codec/hermescodec.h"
#include "codec/jsoncodec.h"
#include "config/config.h"
#include "ws/clientsession.h"
#include "ws/framewriter.h"
#include "ws/interestset.h"
#include "ws/outgoing.h"
#include "ws/registerflow.h"
#include "ws/sessionindex.h"
#include "ws/workermailbox.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSet>
#include <QTimer>

class QTcpSocket;
class QWebSocket;

namespace herald::syncd {

class Authenticator;
class WebSocketTakeover;
class NotificationService;
class SessionQuota;
struct Metrics;

// One event loop's share of the WebSocket sessions. Each worker lives on its own thread and
// owns its sockets; its epoll event dispatcher makes a wakeup cost what is ready, not what is
// open. Messages from other threads arrive as queued calls (see Hub). Timeouts and pings come from
// one sweep per second, not from a timer per session.
//
// The worker takes connections over, completes their handshake and dispatches their frames;
// its parts do the rest: SessionIndex (who is here and what they follow), RegisterFlow (from
// register to live), FrameWriter (every byte written, and in what order).
class WsWorker : public QObject
{
    Q_OBJECT
public:
    struct Dependencies
    {
        const Config *config;
        NotificationService *notifications;
        Authenticator *authenticator;
        Metrics *metrics;
        SessionQuota *quota;
    };
    WsWorker(int index, Dependencies dependencies);
    ~WsWorker() override;

    // All of these run on the worker's thread (call them through Hub).
    void adopt(qintptr descriptor); // a connection whose unread first request is an upgrade
    void deliver(const OutgoingPtr &outgoing); // to subscribers of its channel
    void deliverToUser(const QString &user, const OutgoingPtr &outgoing);
    int dropUser(const QString &user);
    // Closes (1008) the sessions registered with one of these tokens; how many.
    int closeTokenSessions(const QSet<qint64> &tokenIds);
    // Closes every session, pushes the close frames out, and ends the worker's thread.
    void closeAllAndQuit(int code, const QString &reason);
    int sessionCount() const { return m_sessions.size(); }

    // Thread-safe: who this worker has sessions for, and the way to hand it work.
    const InterestSet &channelInterest() const { return m_sessions.channelInterest(); }
    const InterestSet &userInterest() const { return m_sessions.userInterest(); }
    WorkerMailbox &mailbox() { return m_mailbox; }

private:
    void onUpgraded(QWebSocket *socket, QTcpSocket *tcp);
    void onFrame(quint64 sessionId, const QString &frame);
    void onClosed(quint64 sessionId);
    void handleAck(ClientSession &session, const QList<NotificationId> &ids);
    void sendError(ClientSession &session, const Error &error);
    void closeSession(ClientSession &session, int code, const QString &reason);
    void sweep();
    qint64 nowMs() const { return m_clock.elapsed(); }

    Dependencies m_deps;
    JsonCodec m_json;
    HermesCodec m_hermes;
    WebSocketTakeover *m_takeover;
    SessionIndex m_sessions;
    FrameWriter::SocketSink m_sockets;
    FrameWriter m_writer;
    RegisterFlow m_register;
    WorkerMailbox m_mailbox{this};
    QTimer m_sweepTimer;
    QElapsedTimer m_clock;
};

} // namespace herald::syncd
