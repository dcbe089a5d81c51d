// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"
#include "protocol/error.h"

#include <QByteArray>

#include <optional>

namespace herald::syncd {

// The Range header of GET /api/v1/inbox, in the style of Heroku's list ranges:
// `id ]123..; max=20` (items after id 123 in listing order, i.e. older, at most 20),
// `id 123..` (from 123 on, itself included) or `id ..; max=20` (from the newest).
struct InboxRange
{
    std::optional<NotificationId> beforeId;
    std::optional<int> max;

    static Result<InboxRange> parse(const QByteArray &header, int maxLimit);
    static QByteArray next(NotificationId after, int max); // the Next-Range value
};

} // namespace herald::syncd
