// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "delivery/sendrequest.h"
#include "store/endpointtypes.h"

namespace herald::syncd {

// The HTTP request one attempt of a job makes (PROTOCOL.md, Routing to endpoints): for a
// webhook `{"endpoint","attempt","notification"}` with Herald-Delivery (the job's id, the
// same on every attempt) and Herald-Signature when the endpoint has a secret; for Slack
// `{"text"}` in Slack's incoming-webhook form.
class DeliveryRequest
{
public:
    static SendRequest build(const DeliveryJob &job, const EndpointRecord &endpoint, int attempt,
                             qint64 unixSeconds, int timeoutMs);
    // The text a chat message carries for a notification: "title: message", or either alone.
    static QString chatText(const QByteArray &notificationJson);
};

} // namespace herald::syncd
