// SPDX-License-Identifier: Apache-2.0
#include "kfnotifier.h"

#include <KNotification>
#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace herald::client {

KfNotifier::KfNotifier(QObject *parent) : Notifier(parent) {}

QString KfNotifier::backendName() const
{
    return u"knotifications"_s;
}

void KfNotifier::show(const Popup &popup)
{
    auto *n = new KNotification(u"notification"_s, KNotification::CloseOnTimeout);
    n->setTitle(popup.title);
    n->setText(popup.body.toHtmlEscaped());
    n->setUrgency(popup.priority >= Priority::High ? KNotification::HighUrgency
                                                   : KNotification::NormalUrgency);
    const QList<NotificationId> ids = popup.ids;
    auto *markRead =
        n->addAction(QCoreApplication::translate("herald::client::FdoNotifier", "Mark as read"));
    connect(markRead, &KNotificationAction::activated, this,
            [this, ids] { Q_EMIT markReadRequested(ids); });
    if (!popup.url.isEmpty()) {
        auto *open =
            n->addAction(QCoreApplication::translate("herald::client::FdoNotifier", "Open"));
        const QUrl url(popup.url);
        connect(open, &KNotificationAction::activated, this, [this, ids, url] {
            Q_EMIT openUrlRequested(url);
            Q_EMIT markReadRequested(ids);
        });
    }
    for (NotificationId id : ids)
        m_open.insert(id, n);
    n->sendEvent();
}

void KfNotifier::withdraw(const QList<NotificationId> &ids)
{
    for (NotificationId id : ids) {
        if (QPointer<KNotification> n = m_open.take(id))
            n->close();
    }
}

int KfNotifier::openPopupCount() const
{
    int count = 0;
    for (const auto &n : m_open)
        count += n ? 1 : 0;
    return count;
}

} // namespace herald::client
