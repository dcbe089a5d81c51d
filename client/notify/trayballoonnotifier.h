// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "notifier.h"

class QSystemTrayIcon;

namespace herald::client {

// The last resort (Windows, or a Linux desktop without a notification service): the tray
// icon's balloon message. No actions: a click on the balloon shows the list window, where the
// notification can be marked read. A balloon cannot be closed, so withdraw() does nothing.
class TrayBalloonNotifier : public Notifier
{
    Q_OBJECT

public:
    // tray is not owned and must outlive this.
    explicit TrayBalloonNotifier(QSystemTrayIcon *tray, QObject *parent = nullptr);

    QString backendName() const override;
    void show(const Popup &popup) override;
    void withdraw(const QList<NotificationId> &ids) override;
    int openPopupCount() const override { return m_last.isEmpty() ? 0 : 1; }

private:
    QSystemTrayIcon *m_tray;
    QList<NotificationId> m_last; // the balloon on screen, if any
};

} // namespace herald::client
