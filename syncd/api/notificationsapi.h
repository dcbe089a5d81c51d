// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "codec/hermescodec.h"
#include "codec/jsoncodec.h"
#include "http/router.h"

namespace herald::syncd {

class NotificationService;

// REST for notifications: publishing (native and Hermes), listing, deleting, acknowledging.
// Parses requests and shapes answers; every rule is NotificationService's.
class NotificationsApi
{
public:
    NotificationsApi(NotificationService &service, const Limits &limits);
    void addRoutes(Router &router);

private:
    void publish(const HttpRequest &request, const Principal &principal,
                 const HttpResponder &responder);
    void publishHermes(const HttpRequest &request, const Principal &principal,
                       const HttpResponder &responder);
    void list(const HttpRequest &request, const Principal &principal,
              const HttpResponder &responder);
    void remove(const QString &idText, const Principal &principal, const HttpResponder &responder);
    void acknowledge(const HttpRequest &request, const Principal &principal,
                     const HttpResponder &responder);

    NotificationService &m_service;
    const Limits &m_limits;
    JsonCodec m_json;
    HermesCodec m_hermes;
};

} // namespace herald::syncd
