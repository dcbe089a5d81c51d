// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"

#include <QDateTime>

namespace herald::client::test {

inline Notification notification(NotificationId id, const QString &app, const QString &channel,
                                 const QString &title = {}, const QString &url = {})
{
    Notification n;
    n.id = id;
    n.application = app;
    n.channel = channel;
    n.title = title.isEmpty() ? QStringLiteral("n%1").arg(id) : title;
    n.message = QStringLiteral("message %1").arg(id);
    n.url = url;
    n.time = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000 + id, Qt::UTC);
    return n;
}

} // namespace herald::client::test
