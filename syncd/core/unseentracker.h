// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace herald::syncd {

class PreferenceBook;

class FanOut;
class StoreThread;
struct Config;

// Keeps every session's unseen count true: collects what may have changed a user's count
// (a notification arrived in or left followed channels, the user read, deleted or cleared),
// and at most every DebounceMs counts again, in one store operation, for the users who have
// sessions on this node, then sends `unseen` to those whose count is not what they last got.
// A new session is not sent its count unasked (so a session's first frames stay predictable);
// clients read GET /api/v1/inbox/count. A user noted while no count was sent to any of their
// sessions gets one, even an unchanged one: what the client read is not known here.
// Users without sessions cost nothing: nobody is counted for them.
//
// Threads: the note functions from any thread; the rest on the tracker's thread.
class UnseenTracker : public QObject
{
    Q_OBJECT
public:
    static constexpr int DebounceMs = 250;
    // Counted per round at most; the rest wait for the next round.
    static constexpr int UsersPerRound = 500;

    // `preferences`: what each user set `off` is not unseen.
    UnseenTracker(const Config &config, StoreThread &store, FanOut &sessions,
                  const PreferenceBook &preferences, QObject *parent = nullptr);

    // Persistent notifications that were stored, relayed in or deleted.
    void noteNotifications(const QList<Notification> &notifications);
    // `user`'s own inbox changed (read, deleted, cleared, followed more).
    void noteUser(const QString &user);

private:
    void schedule();
    void countNow();
    void onCounted(const QHash<QString, qint64> &counts);

    const Config &m_config;
    StoreThread &m_store;
    FanOut &m_sessions;
    const PreferenceBook &m_preferences;
    QTimer m_timer;

    QMutex m_mutex;           // guards the pending sets and m_scheduled
    QSet<QString> m_channels; // "application\x1fchannel"
    QSet<QString> m_users;
    bool m_scheduled = false;

    bool m_counting = false;           // a round is at the store
    QHash<QString, qint64> m_lastSent; // by user, while they have sessions
};

} // namespace herald::syncd
