#pragma once

#include "api/apicontext.h"

namespace herald::syncd {

// Publishing (native and Hermes), listing, deleting and acknowledging notifications.
class NotificationsApi
{
public:
    explicit NotificationsApi(ApiContext &api) : m_api(api) {}
    void addRoutes(Router &router);

private:
    // Checks the producer's rights, stamps ids and times, stores the persistent ones (the answer
    // waits for their commit), then fans everything out.
    void publish(QList<Notification> notifications, bool batch, const Principal &principal,
                 const HttpResponder &responder);
    // Accepted (and stored when persistent): to the sessions, the peers, and the answer.
    void published(const QList<Notification> &stored, bool batch, const HttpResponder &responder);
    void list(const HttpRequest &request, const Principal &principal,
              const HttpResponder &responder);
    void remove(const QString &idText, const Principal &principal, const HttpResponder &responder);
    void acknowledge(const HttpRequest &request, const Principal &principal,
                     const HttpResponder &responder);
    // The user a request acts for: the user token's own, or the one an admin names.
    Result<QString> actingUser(const Principal &principal, const QString &named) const;

    ApiContext &m_api;
    int m_publishesAtStore = 0; // publishes waiting for the store thread (see publish())
};

} // namespace herald::syncd
