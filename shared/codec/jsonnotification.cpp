// SPDX-License-Identifier: Apache-2.0
#include "jsonnotification.h"

namespace herald::json {

QByteArray notificationText(const Notification &n)
{
    QByteArray out;
    appendNotificationText(out, n);
    return out;
}

void appendNotificationText(QByteArray &out, const Notification &n)
{
    appendSized(out, [&n](auto &text) { writeNotificationText(text, n); });
}

} // namespace herald::json
