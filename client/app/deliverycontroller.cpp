// SPDX-License-Identifier: Apache-2.0
#include "deliverycontroller.h"

#include "app/applog.h"
#include "model/notificationlistmodel.h"
#include "notify/notifier.h"
#include "session/syncsession.h"

namespace herald::client {

DeliveryController::DeliveryController(SyncSession *session, NotificationListModel *model,
                                       Notifier *notifier, NotificationId lastSeenId,
                                       QObject *parent)
    : QObject(parent), m_session(session), m_model(model), m_notifier(notifier),
      m_seenBeforeStart(lastSeenId), m_lastSeenId(lastSeenId),
      m_clock([] { return QDateTime::currentDateTimeUtc(); })
{
    connect(m_session, &SyncSession::notificationReceived, this,
            &DeliveryController::onNotification);
    connect(m_session, &SyncSession::backlogDone, this, &DeliveryController::onBacklogDone);
    connect(m_session, &SyncSession::acknowledged, this, &DeliveryController::onAcknowledged);
    connect(m_session, &SyncSession::deleted, this, &DeliveryController::onDeleted);
    connect(m_session, &SyncSession::inboxCleared, this, &DeliveryController::onCleared);
    connect(m_session, &SyncSession::digestReceived, this, &DeliveryController::onDigest);
    connect(&m_bursts, &RollupBurst::ready, this,
            [this](const PopupGroup &group, const QString &rule) {
                ++m_popupCount;
                m_notifier->show(Popup::forRollup(group, rule));
            });
    connect(m_notifier, &Notifier::markReadRequested, this, &DeliveryController::markRead);
}

void DeliveryController::setPreferences(const DeliveryPreferences &preferences)
{
    m_preferences = preferences;
    Q_EMIT preferencesChanged();
}

void DeliveryController::setUserPreferences(const UserPreferences &preferences)
{
    m_preferences.setUser(preferences);
    Q_EMIT preferencesChanged();
}

void DeliveryController::markRead(const QList<NotificationId> &ids)
{
    if (ids.isEmpty())
        return;
    qCInfo(lcApp) << "marking read" << ids;
    m_session->acknowledge(ids);
    m_model->markRead(ids);
    m_notifier->withdraw(ids);
    m_summarizer.remove(ids);
    m_bursts.remove(ids);
}

void DeliveryController::markAllRead()
{
    markRead(m_model->unreadIds());
}

void DeliveryController::onNotification(const Notification &notification, bool fromBacklog)
{
    const DeliveryDecision decision = m_preferences.decide(notification, m_clock());
    qCDebug(lcApp) << "notification" << notification.id << "backlog" << fromBacklog << "list"
                   << decision.list << "popup" << decision.popup;
    if (!decision.list)
        return;
    if (!m_model->add(notification))
        return; // the list has it already: never pop up twice
    noteListed(notification);
    if (!decision.popup || notification.id <= m_seenBeforeStart)
        return;
    if (fromBacklog)
        m_summarizer.add(notification);
    else if (!m_bursts.offer(notification))
        pop(PopupGroup{notification.application, notification.channel, {notification}, false});
}

void DeliveryController::onBacklogDone()
{
    const QList<PopupGroup> groups = m_summarizer.take();
    for (const PopupGroup &group : groups)
        pop(group);
}

void DeliveryController::onAcknowledged(const QList<NotificationId> &ids)
{
    m_model->markRead(ids);
    m_notifier->withdraw(ids);
    m_summarizer.remove(ids);
    m_bursts.remove(ids);
}

void DeliveryController::onDeleted(const QList<NotificationId> &ids)
{
    m_model->remove(ids);
    m_notifier->withdraw(ids);
    m_summarizer.remove(ids);
    m_bursts.remove(ids);
}

void DeliveryController::onCleared(NotificationId upTo)
{
    qCInfo(lcApp) << "inbox cleared up to" << upTo;
    onDeleted(m_model->idsUpTo(upTo));
}

void DeliveryController::onDigest(const DigestMessage &digest)
{
    static constexpr qsizetype Remembered = 32;
    if (m_digestIds.contains(digest.id))
        return;
    m_digestIds.append(digest.id);
    if (m_digestIds.size() > Remembered)
        m_digestIds.removeFirst();
    // Unread notifications that were not pushed live: the list gets them, without a popup each.
    for (const Notification &notification : digest.items) {
        if (m_model->add(notification))
            noteListed(notification);
    }
    const bool quiet = m_preferences.isDoNotDisturbActive(m_clock());
    qCInfo(lcApp) << "digest" << digest.id << digest.period << "of" << digest.count << "with"
                  << digest.items.size() << "items" << (quiet ? "(do not disturb)" : "");
    if (digest.items.isEmpty() || quiet)
        return;
    ++m_popupCount;
    m_notifier->show(Popup::forDigest(digest));
}

void DeliveryController::noteListed(const Notification &notification)
{
    if (notification.id <= m_lastSeenId)
        return;
    m_lastSeenId = notification.id;
    Q_EMIT lastSeenIdChanged(m_lastSeenId);
}

void DeliveryController::pop(const PopupGroup &group)
{
    ++m_popupCount;
    if (group.summary)
        qCInfo(lcApp) << "summary popup for" << group.notifications.size() << "in"
                      << group.application << "/" << group.channel;
    m_notifier->show(Popup::forGroup(group));
}

} // namespace herald::client
