#pragma once

#include "auth/principal.h"
#include "model/notification.h"
#include "ws/outgoing.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QSet>
#include <QString>

class QTcpSocket;
class QWebSocket;

namespace herald::syncd {

// The state of one WebSocket client on a worker: who it is, what it follows, and the live
// notifications held back while its backlog loads. Plain data, driven on the worker's thread:
// SessionIndex keeps user and channelKeys, FrameWriter unsent and flushQueued, RegisterFlow
// heldBack and backlogIds, WsWorker the rest.
struct ClientSession
{
    enum class Stage
    {
        AwaitingRegister,
        Authenticating,
        LoadingBacklog,
        Live,
        Closing
    };

    quint64 id = 0;
    QWebSocket *socket = nullptr; // owned by the worker (deleted with deleteLater)
    // The connection under `socket`: data frames, framed once per message, are written here
    // as they are (QWebSocket only sends control frames). Owned by `socket`.
    QTcpSocket *tcp = nullptr;
    QList<QByteArray> unsent; // frames of the current batch, written together
    bool flushQueued = false;
    Stage stage = Stage::AwaitingRegister;
    bool hermes = false;
    QString user;
    qint64 tokenId = 0; // the token it registered with; 0 with --no-auth
    QString clientId;
    QSet<QString> channelKeys;
    QElapsedTimer connectedAt;
    qint64 lastHeardMs = 0; // from the worker's clock
    qint64 lastPingMs = 0;
    QList<OutgoingPtr> heldBack;     // live messages that arrived during the backlog
    QSet<NotificationId> backlogIds; // to drop held-back duplicates of backlog items

    bool isRegistered() const { return stage == Stage::LoadingBacklog || stage == Stage::Live; }
};

} // namespace herald::syncd
