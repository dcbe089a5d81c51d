// SPDX-License-Identifier: Apache-2.0
#include "trayballoonnotifier.h"

#include "notify/notifylog.h"

#include <QSystemTrayIcon>

using namespace Qt::StringLiterals;

namespace herald::client {

namespace {
constexpr int BalloonMs = 10'000;
} // namespace

TrayBalloonNotifier::TrayBalloonNotifier(QSystemTrayIcon *tray, QObject *parent)
    : Notifier(parent), m_tray(tray)
{
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
        if (!m_last.isEmpty())
            Q_EMIT activated(m_last);
    });
}

QString TrayBalloonNotifier::backendName() const
{
    return u"balloon"_s;
}

void TrayBalloonNotifier::show(const Popup &popup)
{
    const auto icon =
        popup.priority >= Priority::High ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information;
    qCDebug(lcNotify) << "balloon for" << popup.ids;
    m_last = popup.ids;
    m_tray->showMessage(popup.title, popup.body, icon, BalloonMs);
}

void TrayBalloonNotifier::withdraw(const QList<NotificationId> &ids)
{
    for (NotificationId id : ids)
        m_last.removeOne(id);
}

} // namespace herald::client
