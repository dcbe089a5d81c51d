// SPDX-License-Identifier: Apache-2.0
#include "delivery/deliveryrequest.h"

#include "delivery/notificationmail.h"
#include "delivery/usermail.h"
#include "delivery/webhooksignature.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace herald::syncd {

QString DeliveryRequest::chatText(const QByteArray &notificationJson)
{
    const QJsonObject n = QJsonDocument::fromJson(notificationJson).object();
    const QString title = n.value(u"title").toString();
    const QString message = n.value(u"message").toString();
    if (title.isEmpty())
        return message;
    if (message.isEmpty())
        return title;
    return title + u": "_s + message;
}

SendRequest DeliveryRequest::mail(const DeliveryJob &job, const EndpointRecord &endpoint,
                                  const SmtpSettings &smtp)
{
    SendRequest request;
    request.endpoint = endpoint.name;
    request.timeoutMs = smtp.timeoutMs;
    if (smtp.isConfigured())
        request.url = QUrl(smtp.url, QUrl::StrictMode);
    MailEnvelope envelope;
    envelope.from = smtp.from.toLatin1(); // addresses are ASCII (MailAddress)
    for (const QString &to : endpoint.recipients)
        envelope.recipients.append(to.toLatin1());
    envelope.user = smtp.user;
    envelope.password = smtp.password;
    envelope.requireTls = smtp.starttls;
    request.mail = std::move(envelope);
    request.body = NotificationMail::compose(job, smtp.from, endpoint.recipients).toBytes();
    return request;
}

SendRequest DeliveryRequest::build(const DeliveryJob &job, const EndpointRecord &endpoint,
                                   int attempt, qint64 unixSeconds, int timeoutMs,
                                   const SmtpSettings &smtp)
{
    if (endpoint.kind == u"email")
        return mail(job, endpoint, smtp);
    if (endpoint.kind == u"usermail")
        return UserMail::request(job, smtp);
    SendRequest request;
    request.endpoint = endpoint.name;
    request.url = QUrl(endpoint.url, QUrl::StrictMode);
    request.timeoutMs = timeoutMs;
    request.headers = {{"Content-Type", "application/json"},
                       {"Herald-Delivery", job.id.toLatin1()},
                       {"Herald-Attempt", QByteArray::number(attempt)}};
    if (endpoint.kind == u"slack") {
        request.body = QJsonDocument(QJsonObject{{u"text"_s, chatText(job.payload)}})
                           .toJson(QJsonDocument::Compact);
        return request;
    }
    // The stored payload is already JSON: spliced in as it is, not parsed and written again.
    // Endpoint names are [A-Za-z0-9._-] (Validator::isValidName): nothing to escape.
    request.body = "{\"endpoint\":\"" + endpoint.name.toLatin1() +
                   "\",\"attempt\":" + QByteArray::number(attempt) +
                   ",\"notification\":" + job.payload + '}';
    if (!endpoint.secret.isEmpty())
        request.headers.append(
            {"Herald-Signature",
             WebhookSignature::header(endpoint.secret.toUtf8(), unixSeconds, request.body)});
    return request;
}

} // namespace herald::syncd
