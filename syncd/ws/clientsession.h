// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "auth/principal.h"
#include "model/notification.h"
#include "net/rawwebsocket.h"
#include "ws/outgoing.h"
#include "ws/sessionquota.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QSet>
#include <QString>

#include <memory>
#include <optional>

namespace herald::syncd {

class Preferences;

// The state of one WebSocket client on a worker: who it is, what it follows, and the live
// notifications held back while its backlog loads. Plain data, driven on the worker's thread:
// SessionIndex keeps user and channelKeys, FrameWriter unsent and flushQueued, RegisterFlow
// heldBack and backlogIds, PublishIntake what it publishes, WsWorker the rest. A publishing
// session (PROTOCOL.md) is registered with an empty user and follows nothing.
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
    std::unique_ptr<RawWebSocket> connection; // null only in tests
    QString upgradeToken;     // the upgrade request's token, kept until `register` comes
    SessionOrigin origin;     // whose share of SessionQuota it takes
    bool holdsQuota = false;  // counted in SessionQuota (not when turned away at capacity)
    QList<QByteArray> unsent; // frames of the current batch, written together
    bool flushQueued = false;
    Stage stage = Stage::AwaitingRegister;
    bool hermes = false;
    QString user;
    qint64 tokenId = 0; // the token it registered with; 0 with --no-auth
    // Who registered it, for what it may publish; set once registered.
    std::optional<Principal> principal;
    int unansweredPublishes = 0; // PublishIntake's: sent to the core, not answered yet
    bool readingPaused = false;  // PublishIntake's: too many unanswered
    QString clientId;
    QSet<QString> channelKeys;
    QElapsedTimer connectedAt;
    qint64 lastHeardMs = 0; // from the worker's clock
    qint64 lastPingMs = 0;
    qint64 liveFrom = 0;         // live it gets what arrived after this ArrivalLog position
    QList<OutgoingPtr> heldBack; // live messages that arrived during the backlog
    // To drop live duplicates of backlog items: those held back during the backlog, and those
    // whose fan-out comes after it (committed before the backlog read them, handed on later).
    QSet<NotificationId> backlogIds;
    qint64 backlogSentMs = 0; // connectedAt's reading when the backlog went out
    // The user's delivery preferences (null: the defaults), taken when the backlog is in and
    // again with every `preferences` frame: what is not pushed to the desktop is not sent.
    std::shared_ptr<const Preferences> preferences;

    bool isRegistered() const { return stage == Stage::LoadingBacklog || stage == Stage::Live; }
};

} // namespace herald::syncd
