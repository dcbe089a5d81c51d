// SPDX-License-Identifier: Apache-2.0
#include "catalogfetcher.h"

#include "net/netlog.h"
#include "net/servererror.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace herald::client {

namespace {
std::optional<QJsonArray> parseArray(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray())
        return std::nullopt;
    return doc.array();
}
} // namespace

CatalogFetcher::CatalogFetcher(QNetworkAccessManager *nam, QObject *parent)
    : QObject(parent), m_nam(nam)
{
}

CatalogFetcher::~CatalogFetcher()
{
    cancel();
}

std::optional<QList<CatalogFetcher::Application>>
CatalogFetcher::parseApplications(const QByteArray &body)
{
    const auto array = parseArray(body);
    if (!array)
        return std::nullopt;
    QList<Application> apps;
    for (const QJsonValue &v : *array) {
        const QJsonObject o = v.toObject();
        const QString name = o.value(u"name"_s).toString();
        if (!v.isObject() || name.isEmpty())
            return std::nullopt;
        apps.append({name, o.value(u"title"_s).toString()});
    }
    return apps;
}

std::optional<QList<CatalogChannel>> CatalogFetcher::parseChannels(const QByteArray &body,
                                                                   const QString &app)
{
    const auto array = parseArray(body);
    if (!array)
        return std::nullopt;
    QList<CatalogChannel> channels;
    for (const QJsonValue &v : *array) {
        const QJsonObject o = v.toObject();
        CatalogChannel c;
        c.application = o.value(u"application"_s).toString(app);
        c.name = o.value(u"name"_s).toString();
        c.title = o.value(u"title"_s).toString();
        c.description = o.value(u"description"_s).toString();
        if (!v.isObject() || c.name.isEmpty() || c.application.isEmpty())
            return std::nullopt;
        channels.append(c);
    }
    return channels;
}

void CatalogFetcher::fetch(const QUrl &server, const QString &token)
{
    cancel();
    m_server = server;
    m_token = token;
    m_pending.clear();
    m_channels.clear();
    m_current = {};
    m_listingApplications = true;
    get(u"/api/v1/applications"_s);
}

void CatalogFetcher::cancel()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
    }
}

void CatalogFetcher::get(const QString &path)
{
    QUrl url = m_server;
    // path comes percent-encoded (application names are encoded by the caller).
    url.setPath(m_server.path(QUrl::FullyEncoded) + path, QUrl::TolerantMode);
    QNetworkRequest request(url);
    request.setTransferTimeout(TimeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setRawHeader("Accept", "application/json");
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    m_reply = m_nam->get(request);
    connect(m_reply, &QNetworkReply::finished, this, &CatalogFetcher::onReply);
}

void CatalogFetcher::onReply()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_reply = nullptr;
    reply->deleteLater();
    const QString where = m_server.authority();
    const QVariant statusAttribute = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (reply->error() != QNetworkReply::NoError && !statusAttribute.isValid()) {
        qCInfo(lcNet) << "catalog fetch failed:" << reply->error() << reply->errorString();
        if (reply->error() == QNetworkReply::TimeoutError ||
            reply->error() == QNetworkReply::OperationCanceledError) {
            fail(Outcome::Unreachable,
                 tr("No answer from %1 within %2 seconds.").arg(where).arg(TimeoutMs / 1000));
        } else {
            fail(Outcome::Unreachable, tr("Cannot reach %1: %2").arg(where, reply->errorString()));
        }
        return;
    }
    const int status = statusAttribute.toInt();
    const QByteArray body = reply->readAll();
    const QString path = reply->url().path();

    if (!m_listingApplications && (status == 404 || status == 403)) {
        // The application went away since the listing, or this token may not see it.
        qCInfo(lcNet) << "skipping application" << m_current.name << "HTTP" << status;
    } else if (status == 401) {
        fail(Outcome::Unauthorized,
             tr("The server refused the token (401 Unauthorized): it is wrong or revoked."));
        return;
    } else if (status == 403) {
        fail(Outcome::Forbidden, tr("This token may not list the server's channels "
                                    "(403 Forbidden: %1).")
                                     .arg(serverErrorMessage(body)));
        return;
    } else if (status != 200) {
        fail(Outcome::ServerError, tr("The server answered HTTP %1 on %2: %3")
                                       .arg(status)
                                       .arg(path, serverErrorMessage(body)));
        return;
    } else if (m_listingApplications) {
        const auto apps = parseApplications(body);
        if (!apps) {
            fail(Outcome::BadResponse, tr("The server's answer on %1 is not a list of "
                                          "applications.")
                                           .arg(path));
            return;
        }
        m_pending = *apps;
        m_listingApplications = false;
    } else {
        const auto channels = parseChannels(body, m_current.name);
        if (!channels) {
            fail(Outcome::BadResponse,
                 tr("The server's answer on %1 is not a list of channels.").arg(path));
            return;
        }
        for (CatalogChannel c : *channels) {
            c.applicationTitle = m_current.title;
            m_channels.append(c);
        }
    }

    if (!m_pending.isEmpty()) {
        m_current = m_pending.takeFirst();
        get(u"/api/v1/applications/%1/channels"_s.arg(
            QString::fromUtf8(QUrl::toPercentEncoding(m_current.name))));
        return;
    }
    std::sort(m_channels.begin(), m_channels.end(),
              [](const CatalogChannel &a, const CatalogChannel &b) { return a.id() < b.id(); });
    Result result;
    result.outcome = Outcome::Ok;
    result.channels = m_channels;
    qCInfo(lcNet) << "catalog of" << where << "lists" << m_channels.size() << "channels";
    Q_EMIT finished(result);
}

void CatalogFetcher::fail(Outcome outcome, const QString &message)
{
    qCInfo(lcNet) << "catalog fetch from" << m_server.authority() << "failed:" << outcome;
    m_pending.clear();
    m_channels.clear();
    Result result;
    result.outcome = outcome;
    result.message = message;
    Q_EMIT finished(result);
}

} // namespace herald::client
