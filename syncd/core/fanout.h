// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"
#include "protocol/messages.h"

#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>

#include <functional>

class QObject;

namespace herald::syncd {

// Where the core's changes reach this node's live client sessions (implemented by the
// WebSocket hub). Every method is callable from any thread and returns without waiting for
// the sessions.
class FanOut
{
public:
    virtual ~FanOut() = default;

    // To the sessions following each notification's channel that may see it (recipients).
    virtual void publish(const QList<Notification> &notifications) = 0;
    // To every session of `user`: these ids are now read.
    virtual void acknowledged(const QString &user, const QList<NotificationId> &ids) = 0;
    // To the sessions following the notification's channel that may see it.
    virtual void deleted(const Notification &notification) = 0;
    // Closes every session of `user` (1008); `done(closed)` runs in `context`'s thread once
    // every event loop has answered.
    virtual void dropUser(const QString &user, QObject *context, std::function<void(int)> done) = 0;
    // Closes every session opened with one of these tokens (1008, "token revoked").
    virtual void closeTokenSessions(const QSet<qint64> &tokenIds) = 0;

    // Inbox changes, to every session of `user`: these ids left the user's inbox (`deleted`);
    // everything up to `upTo` did (`cleared`); the seen cursor moved (`seen`); the unseen
    // count is now `count` (`unseen`).
    virtual void hidden(const QString &user, const QList<NotificationId> &ids) = 0;
    virtual void cleared(const QString &user, NotificationId upTo) = 0;
    virtual void seen(const QString &user, NotificationId upTo) = 0;
    virtual void unseen(const QString &user, qint64 count) = 0;
    // To every session of `user`: their delivery preferences are now `preferences`.
    virtual void preferences(const QString &user, const QJsonObject &preferences) = 0;
    // To every session of `user`: a digest their preferences collected.
    virtual void digest(const QString &user, const DigestMessage &digest) = 0;
    // Whether `user` has a registered session on this node now (any thread).
    virtual bool hasSessions(const QString &user) const = 0;
};

} // namespace herald::syncd
