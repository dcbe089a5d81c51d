// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/backlogsummarizer.h"
#include "model/deliverypreferences.h"
#include "model/notification.h"
#include "model/rollupburst.h"
#include "protocol/messages.h"

#include <QDateTime>
#include <QObject>
#include <QStringList>

#include <functional>

namespace herald {
class SyncSession;
}

namespace herald::client {

class NotificationListModel;
class Notifier;

// Decides what happens to each notification the session delivers: into the list (unless its
// rule in the user's delivery preferences is off), a popup (unless its rule keeps it from the
// desktop or collects it for a digest, do-not-disturb is on, or this client showed it before a
// restart), after a reconnect one summary per flooded channel, and one popup for a live burst
// that one of the user's rollup rules folds (RollupBurst). A digest's items go to the list,
// and the digest pops up once. Removes what the user deleted from the inbox on any device
// (`deleted`, `cleared`).
// Sends "mark as read" from anywhere to the server and closes popups for notifications read
// elsewhere. Owns none of its collaborators. GUI thread only.
class DeliveryController : public QObject
{
    Q_OBJECT

public:
    using Clock = std::function<QDateTime()>;

    // lastSeenId: the highest id shown before this run (from the settings); those up to it come
    // back in the first backlog but do not pop up again.
    DeliveryController(SyncSession *session, NotificationListModel *model, Notifier *notifier,
                       NotificationId lastSeenId, QObject *parent = nullptr);

    DeliveryPreferences preferences() const { return m_preferences; }
    void setPreferences(const DeliveryPreferences &preferences);
    // The user's delivery preferences changed (on the server); do-not-disturb stays.
    void setUserPreferences(const UserPreferences &preferences);
    void setSummaryThreshold(int threshold) { m_summarizer.setThreshold(threshold); }
    // The user's rollup rules (GET /api/v1/inbox/rules): bursts they fold pop up once.
    void setRollupRules(const QList<RollupRule> &rules) { m_bursts.setRules(rules); }
    RollupBurst *bursts() { return &m_bursts; }
    // For tests.
    void setClock(Clock clock) { m_clock = std::move(clock); }

    NotificationId lastSeenId() const { return m_lastSeenId; }
    int popupCount() const { return m_popupCount; }

    // The user read these here: tell the server, update the list, close their popups.
    void markRead(const QList<herald::NotificationId> &ids);
    void markAllRead();

Q_SIGNALS:
    // The highest id shown so far grew; worth persisting.
    void lastSeenIdChanged(herald::NotificationId id);
    void preferencesChanged();

private:
    void onNotification(const Notification &notification, bool fromBacklog);
    void onBacklogDone();
    void onAcknowledged(const QList<NotificationId> &ids);
    void onDeleted(const QList<NotificationId> &ids);
    void onCleared(NotificationId upTo);
    void onDigest(const DigestMessage &digest);
    void noteListed(const Notification &notification); // lastSeenId follows what is listed
    void pop(const PopupGroup &group);

    SyncSession *m_session;
    NotificationListModel *m_model;
    Notifier *m_notifier;
    NotificationId m_seenBeforeStart;
    NotificationId m_lastSeenId;
    DeliveryPreferences m_preferences;
    BacklogSummarizer m_summarizer;
    RollupBurst m_bursts;
    Clock m_clock;
    int m_popupCount = 0;
    QStringList m_digestIds; // the latest digests shown: each pops up once
};

} // namespace herald::client
