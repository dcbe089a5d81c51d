// SPDX-License-Identifier: Apache-2.0
#include "preferencesrest.h"

#include "net/inboxrest.h"
#include "net/netlog.h"
#include "net/servererror.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>

using namespace Qt::StringLiterals;

namespace herald::client {

PreferencesRest::PreferencesRest(QNetworkAccessManager *nam, QObject *parent)
    : QObject(parent), m_nam(nam)
{
}

PreferencesRest::~PreferencesRest()
{
    abort(m_get, this);
    abort(m_put, this);
}

void PreferencesRest::setEndpoint(const QUrl &server, const QString &token, const QString &user)
{
    if (server == m_server && token == m_token && user == m_user)
        return;
    abort(m_get, this);
    abort(m_put, this);
    m_server = server;
    m_token = token;
    m_user = user;
}

void PreferencesRest::fetch()
{
    abort(m_get, this);
    m_get = send("GET", {});
}

void PreferencesRest::save(const UserPreferences &preferences)
{
    abort(m_put, this);
    m_put = send("PUT", QJsonDocument(preferences.toJson()).toJson(QJsonDocument::Compact));
}

QNetworkReply *PreferencesRest::send(const QByteArray &verb, const QByteArray &body)
{
    if (!m_server.isValid())
        return nullptr;
    QNetworkRequest request = InboxRest::apiRequest(InboxRest::apiUrl(m_server, u"/preferences"_s),
                                                    m_user, m_token, TimeoutMs);
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    QNetworkReply *reply = m_nam->sendCustomRequest(request, verb, body);
    const bool saving = verb == "PUT";
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, saving] { onReply(reply, saving); });
    return reply;
}

void PreferencesRest::onReply(QNetworkReply *reply, bool saving)
{
    (saving ? m_put : m_get) = nullptr;
    reply->deleteLater();
    const QString what = saving ? u"PUT /api/v1/preferences"_s : u"GET /api/v1/preferences"_s;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    if (status != 200) {
        Failure failure = Failure::Other;
        QString message = serverErrorMessage(body);
        if (status == 0) {
            failure = Failure::Unreachable;
            message = reply->errorString();
        } else if (status == 400) {
            failure = Failure::Refused;
        } else if (status == 404) {
            failure = Failure::Unsupported;
        }
        qCInfo(lcNet) << what << "failed: HTTP" << status << message;
        Q_EMIT failed(saving, failure, status, message);
        return;
    }
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    const auto preferences = UserPreferences::fromJson(json);
    if (json.isEmpty() || !preferences) {
        qCWarning(lcNet) << what << "answered with a body that is not what PROTOCOL.md says";
        Q_EMIT failed(saving, Failure::Other, status, u"unexpected answer"_s);
        return;
    }
    if (saving)
        Q_EMIT saved(*preferences, json);
    else
        Q_EMIT fetched(*preferences, json);
}

void PreferencesRest::abort(QPointer<QNetworkReply> &reply, QObject *receiver)
{
    if (!reply)
        return;
    reply->disconnect(receiver);
    reply->abort();
    reply->deleteLater();
    reply = nullptr;
}

} // namespace herald::client
