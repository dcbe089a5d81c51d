// SPDX-License-Identifier: Apache-2.0
#include "delivery/usermail.h"

#include "delivery/digestmail.h"
#include "delivery/notificationmail.h"

#include <QJsonDocument>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace herald::syncd {

const QString UserMail::Endpoint = u"@mail"_s;

EndpointRecord UserMail::endpoint()
{
    EndpointRecord record;
    record.name = Endpoint;
    record.kind = u"usermail"_s;
    return record;
}

QByteArray UserMail::notificationPayload(const QString &to, const QString &preferencesUrl,
                                         const QJsonObject &notification)
{
    return QJsonDocument(QJsonObject{{u"to"_s, to},
                                     {u"preferences"_s, preferencesUrl},
                                     {u"notification"_s, notification}})
        .toJson(QJsonDocument::Compact);
}

QByteArray UserMail::digestPayload(const QString &to, const QString &preferencesUrl,
                                   const QJsonObject &digest)
{
    return QJsonDocument(QJsonObject{{u"to"_s, to},
                                     {u"preferences"_s, preferencesUrl},
                                     {u"digest"_s, digest}})
        .toJson(QJsonDocument::Compact);
}

SendRequest UserMail::request(const DeliveryJob &job, const SmtpSettings &smtp)
{
    const QJsonObject payload = QJsonDocument::fromJson(job.payload).object();
    const QString to = payload.value(u"to").toString();
    const QString preferences = payload.value(u"preferences").toString();
    MailMessage mail;
    if (payload.contains(u"digest")) {
        mail = DigestMail::compose(payload.value(u"digest").toObject(), smtp.from, to);
    } else {
        DeliveryJob notification = job;
        notification.payload =
            QJsonDocument(payload.value(u"notification").toObject()).toJson(QJsonDocument::Compact);
        mail = NotificationMail::compose(notification, smtp.from, {to});
    }
    // RFC 2369: where the user changes what they get; the URL's own characters stay encoded.
    if (!preferences.isEmpty()) {
        mail.extraFields.append(
            {"List-Unsubscribe", '<' + QUrl(preferences, QUrl::StrictMode).toEncoded() + '>'});
        mail.text += u"\nChange what you receive: "_s + preferences + u'\n';
        mail.html.replace(u"</body>"_s, u"<p style=\"color: #777; font-size: small\"><a href=\""_s +
                                            preferences.toHtmlEscaped() +
                                            u"\">Change what you receive</a></p>\n</body>"_s);
    }

    SendRequest request;
    request.endpoint = Endpoint;
    request.timeoutMs = smtp.timeoutMs;
    if (smtp.isConfigured())
        request.url = QUrl(smtp.url, QUrl::StrictMode);
    MailEnvelope envelope;
    envelope.from = smtp.from.toLatin1();
    envelope.recipients = {to.toLatin1()}; // validated as an address (MailAddress) at PUT
    envelope.user = smtp.user;
    envelope.password = smtp.password;
    envelope.requireTls = smtp.starttls;
    request.mail = std::move(envelope);
    request.body = mail.toBytes();
    return request;
}

QString UserMail::preferencesUrl(const Config &config)
{
    if (!config.smtp.preferencesUrl.isEmpty())
        return config.smtp.preferencesUrl;
    QString host = config.listenAddress.toString();
    if (config.listenAddress.protocol() == QAbstractSocket::IPv6Protocol)
        host = u'[' + host + u']';
    return u"http://"_s + host + u':' + QString::number(config.listenPort) +
           u"/api/v1/preferences"_s;
}

} // namespace herald::syncd
