// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "notifier.h"

#include <QHash>
#include <QPointer>

class KNotification;

namespace herald::client {

// Popups through KDE Frameworks 6 KNotifications (built only when KF6 is found at configure
// time; not on Debian 12, so untested here). Thin on purpose: one KNotification per popup
// with the same two actions as FdoNotifier.
class KfNotifier : public Notifier
{
    Q_OBJECT

public:
    explicit KfNotifier(QObject *parent = nullptr);

    QString backendName() const override;
    void show(const Popup &popup) override;
    void withdraw(const QList<NotificationId> &ids) override;
    int openPopupCount() const override;

private:
    QHash<NotificationId, QPointer<KNotification>> m_open;
};

} // namespace herald::client
