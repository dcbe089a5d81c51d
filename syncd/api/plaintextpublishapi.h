// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "api/plaintextpublish.h"
#include "http/router.h"

namespace herald::syncd {

class NotificationService;

// POST /api/v1/publish/{app}/{channel}: the ntfy-style publish, body as the message. Reads the
// request (PlainTextPublish) and publishes through NotificationService like every other route.
class PlainTextPublishApi
{
public:
    PlainTextPublishApi(NotificationService &service, const Limits &limits)
        : m_service(service), m_reader(limits)
    {
    }
    void addRoutes(Router &router);

private:
    void publish(const HttpRequest &request, const Router::Params &params,
                 const Principal &principal, const HttpResponder &responder);

    NotificationService &m_service;
    PlainTextPublish m_reader;
};

} // namespace herald::syncd
