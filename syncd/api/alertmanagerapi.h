// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "api/alertmanagerwebhook.h"
#include "http/router.h"

namespace herald::syncd {

class NotificationService;

// POST /api/v1/integrations/alertmanager/{app}[?channel=C]: Prometheus Alertmanager's webhook
// receiver. Reads the body (AlertmanagerWebhook) and publishes its alerts as one batch, all or
// nothing, through NotificationService like every other route.
class AlertmanagerApi
{
public:
    AlertmanagerApi(NotificationService &service, const Limits &limits)
        : m_service(service), m_webhook(limits)
    {
    }
    void addRoutes(Router &router);

private:
    void receive(const HttpRequest &request, const QString &application, const Principal &principal,
                 const HttpResponder &responder);

    NotificationService &m_service;
    AlertmanagerWebhook m_webhook;
};

} // namespace herald::syncd
