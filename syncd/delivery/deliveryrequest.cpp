// SPDX-License-Identifier: Apache-2.0
#include "delivery/deliveryrequest.h"

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

SendRequest DeliveryRequest::build(const DeliveryJob &job, const EndpointRecord &endpoint,
                                   int attempt, qint64 unixSeconds, int timeoutMs)
{
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
