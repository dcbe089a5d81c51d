// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/messages.h"

#include <QByteArrayView>

#include <optional>

namespace herald::json {

// A `publish` frame (or a REST publish body of one notification) read straight from its text,
// without building a QJsonDocument: most frames of a busy producer are flat (type, ref and a
// notification of plain strings, a priority and `persistent`), and the general parser costs more
// than the rest of the publish (docs/PERFORMANCE.md). Returns nothing for any other frame: other
// keys, nested values, null, numbers, duplicate keys, escapes that make surrogates or U+0000,
// invalid UTF-8, or text that is not JSON. The caller then takes the general path, which also words
// every error, so this never decides what is refused. Not validated: the caller checks the ref and
// the notification as the general path does.
std::optional<PublishMessage> readFlatPublishFrame(QByteArrayView frame);
// The same for a REST publish body of one flat notification.
std::optional<Notification> readFlatNotification(QByteArrayView body);

} // namespace herald::json
