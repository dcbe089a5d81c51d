#pragma once

#include "codec/hermescodec.h"
#include "codec/jsoncodec.h"
#include "config/config.h"
#include "ws/clientsession.h"
#include "ws/interestset.h"
#include "ws/outgoing.h"
#include "ws/workermailbox.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <memory>

class QTcpSocket;
class QWebSocket;
class QWebSocketServer;

namespace herald::syncd {

class Authenticator;
class Hub;
class StoreThread;
struct Metrics;

// One event loop's share of the WebSocket sessions. Each worker lives on its own thread and
// owns its sockets; its epoll event dispatcher makes a wakeup cost what is ready, not what is
// open. Messages from other threads arrive as queued calls (see Hub). Timeouts and pings come from
// one sweep per second, not from a timer per session.
class WsWorker : public QObject
{
    Q_OBJECT
public:
    struct Dependencies
    {
        const Config *config;
        StoreThread *store;
        Authenticator *authenticator;
        Metrics *metrics;
        Hub *hub;
    };
    WsWorker(int index, Dependencies dependencies);
    ~WsWorker() override;

    // All of these run on the worker's thread (call them through Hub).
    void adopt(qintptr descriptor); // a connection whose unread first request is an upgrade
    void deliver(const OutgoingPtr &outgoing); // to subscribers of its channel
    void deliverToUser(const QString &user, const OutgoingPtr &outgoing);
    int dropUser(const QString &user);
    void closeAll(int code, const QString &reason);
    int sessionCount() const { return int(m_sessions.size()); }

    // Thread-safe: who this worker has sessions for, and the way to hand it work.
    const InterestSet &channelInterest() const { return m_channelInterest; }
    const InterestSet &userInterest() const { return m_userInterest; }
    WorkerMailbox &mailbox() { return m_mailbox; }

private:
    void onNewWebSocket();
    void onFrame(quint64 sessionId, const QString &frame);
    void onClosed(quint64 sessionId);
    void handleRegister(ClientSession &session, const RegisterMessage &message,
                        const QString &token);
    void completeRegister(quint64 sessionId, const RegisterMessage &message,
                          const std::optional<Principal> &principal);
    void loadBacklog(ClientSession &session, const RegisterMessage &message);
    void finishBacklog(quint64 sessionId, const QList<Notification> &backlog);
    void handleAck(ClientSession &session, const QList<NotificationId> &ids);
    void sendLive(ClientSession &session, const OutgoingPtr &outgoing);
    // Data frames: queued per session while a batch runs, written once per session at its
    // end (one write per session per wakeup), or at once outside a batch.
    void sendText(ClientSession &session, const QByteArray &utf8);
    void queueFrame(ClientSession &session, const QByteArray &frame);
    void beginBatch() { ++m_batchDepth; }
    void endBatch();
    void flushFrames(ClientSession &session);
    void sendError(ClientSession &session, const Error &error);
    void closeSession(ClientSession &session, int code, const QString &reason);
    void forget(ClientSession &session);
    void sweep();
    qint64 nowMs() const { return m_clock.elapsed(); }

    const int m_index;
    Dependencies m_deps;
    JsonCodec m_json;
    HermesCodec m_hermes;
    QWebSocketServer *m_handshaker;
    QHash<quint64, std::shared_ptr<ClientSession>> m_sessions;
    QSet<QTcpSocket *> m_handshaking; // adopted, not yet upgraded
    QHash<QString, QSet<ClientSession *>> m_byChannel;
    QHash<QString, QSet<ClientSession *>> m_byUser;
    InterestSet m_channelInterest;
    InterestSet m_userInterest;
    WorkerMailbox m_mailbox{this};
    QTimer m_sweepTimer;
    QElapsedTimer m_clock;
    quint64 m_nextId = 1;
    int m_batchDepth = 0;
    QList<quint64> m_toFlush; // sessions with queued frames
};

} // namespace herald::syncd
