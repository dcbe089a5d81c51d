// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"

#include <QByteArray>

namespace herald::json {

// The stored notification object (JsonCodec::toJson) as compact JSON text, written straight
// into one buffer: every live frame and publish answer carries one, and going through
// QJsonObject and QJsonDocument cost a quarter of a WebSocket thread's time. The keys come
// in QJsonObject's sorted order, so the text is the one QJsonDocument writes.
QByteArray notificationText(const Notification &n);
// The same, appended to `out`.
void appendNotificationText(QByteArray &out, const Notification &n);

} // namespace herald::json
