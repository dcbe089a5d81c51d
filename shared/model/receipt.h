// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "notification.h"

namespace herald {

// User `user` acknowledged notification `notificationId` at `time`. Per user, not per device.
struct Receipt
{
    QString user;
    NotificationId notificationId = 0;
    QDateTime time;
    friend bool operator==(const Receipt &, const Receipt &) = default;
};

} // namespace herald
