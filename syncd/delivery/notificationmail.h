// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "delivery/mailmessage.h"
#include "store/endpointtypes.h"

namespace herald::syncd {

// What an email endpoint's recipients read for one notification (PROTOCOL.md, Routing to
// endpoints): the title as the subject ("application/channel" without one), then in a plain
// text and an HTML part the title, message, application and channel, event code, level,
// priority, time and link. Message-ID and X-Herald-Delivery carry the delivery's id and Date
// its creation, so every attempt of a delivery is the same mail. Pure, any thread.
class NotificationMail
{
public:
    // `job.payload` is the notification as JSON (as GET returns it).
    static MailMessage compose(const DeliveryJob &job, const QString &from, const QStringList &to);
};

} // namespace herald::syncd
