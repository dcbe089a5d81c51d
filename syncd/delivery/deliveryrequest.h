// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/config.h"
#include "delivery/sendrequest.h"
#include "store/endpointtypes.h"

namespace herald::syncd {

// The request one attempt of a job makes (PROTOCOL.md, Routing to endpoints): for a webhook
// `{"endpoint","attempt","notification"}` with Herald-Delivery (the job's id, the same on
// every attempt) and Herald-Signature when the endpoint has a secret; for Slack `{"text"}` in
// Slack's incoming-webhook form; for email the NotificationMail, sent through `smtp`.
class DeliveryRequest
{
public:
    static SendRequest build(const DeliveryJob &job, const EndpointRecord &endpoint, int attempt,
                             qint64 unixSeconds, int timeoutMs, const SmtpSettings &smtp = {});
    // An email endpoint's mail. Without SMTP configured the request has no URL and fails as
    // one that cannot be sent.
    static SendRequest mail(const DeliveryJob &job, const EndpointRecord &endpoint,
                            const SmtpSettings &smtp);
    // The text a chat message carries for a notification: "title: message", or either alone.
    static QString chatText(const QByteArray &notificationJson);
};

} // namespace herald::syncd
