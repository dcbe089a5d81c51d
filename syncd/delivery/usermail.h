// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/config.h"
#include "delivery/sendrequest.h"
#include "store/endpointtypes.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace herald::syncd {

// The email agent of users' delivery preferences (PROTOCOL.md, Delivery policy): a mail to
// one user per immediate notification or per digest, through the outbox like an endpoint's
// (durable, retried with backoff, in /metrics), under the built-in endpoint `@mail`, which no
// one can name, change or disable. The job's payload says to whom and what:
// {"to","preferences","notification":{...}} or {"to","preferences","digest":{...}}, and
// the mail is composed when it is sent, the same on every attempt. Pure, any thread.
class UserMail
{
public:
    static const QString Endpoint; // "@mail"

    static EndpointRecord endpoint();
    static QByteArray notificationPayload(const QString &to, const QString &preferencesUrl,
                                          const QJsonObject &notification);
    static QByteArray digestPayload(const QString &to, const QString &preferencesUrl,
                                    const QJsonObject &digest);
    // The SMTP request for one of those jobs, with `List-Unsubscribe` on the preferences.
    static SendRequest request(const DeliveryJob &job, const SmtpSettings &smtp);
    // [smtp] preferencesUrl, else GET /api/v1/preferences on the daemon's listen address.
    static QString preferencesUrl(const Config &config);
};

} // namespace herald::syncd
