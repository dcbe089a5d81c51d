// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/messages.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QTimer>

namespace herald::syncd {

class FollowBook;
class StoreThread;
class UnseenTracker;

// Records what registering sessions follow (PROTOCOL.md, Inbox), in one store operation at
// most every FlushMs: a register storm of thousands of sessions a second then costs the store
// one small write transaction per flush instead of a commit in every batch of backlogs. A
// crash loses at most that much of what was followed, and those sessions' next register adds
// it again. Users whose follows grew are handed to the UnseenTracker (the new channels'
// history may count as unseen); what was recorded goes into the FollowBook once committed.
//
// Threads: record() from any thread; the rest on the recorder's thread.
class FollowRecorder : public QObject
{
    Q_OBJECT
public:
    static constexpr int FlushMs = 100;

    FollowRecorder(StoreThread &store, UnseenTracker &unseen, FollowBook &book,
                   QObject *parent = nullptr);

    void record(const QString &user, const QList<Subscription> &subscriptions);

private:
    void flush();

    StoreThread &m_store;
    UnseenTracker &m_unseen;
    FollowBook &m_book;
    QTimer m_timer;

    QMutex m_mutex; // guards m_pending and m_scheduled
    QHash<QString, QList<Subscription>> m_pending;
    bool m_scheduled = false;
};

} // namespace herald::syncd
