// SPDX-License-Identifier: Apache-2.0
#include "serverprobe.h"

#include "net/netlog.h"
#include "net/servererror.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslError>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace herald::client {

ServerProbe::ServerProbe(QNetworkAccessManager *nam, QObject *parent) : QObject(parent), m_nam(nam)
{
}

void ServerProbe::probe(const QUrl &server, const QString &user, const QString &token)
{
    cancel();
    m_server = server;
    m_user = user;
    m_token = token;
    m_channels.clear();
    if (!server.isValid() || server.host().isEmpty()) {
        finish(Outcome::InvalidUrl,
               tr("The server address is not valid. Use http://host:port or https://host."));
        return;
    }
    get(u"/healthz"_s, Step::Health);
}

void ServerProbe::cancel()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
    }
}

void ServerProbe::get(const QString &pathAndQuery, Step step)
{
    m_step = step;
    QUrl url = m_server;
    const qsizetype q = pathAndQuery.indexOf(u'?');
    url.setPath(m_server.path() + (q < 0 ? pathAndQuery : pathAndQuery.left(q)));
    if (q >= 0)
        url.setQuery(pathAndQuery.mid(q + 1));
    QNetworkRequest request(url);
    request.setTransferTimeout(TimeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    if (step != Step::Health && !m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    m_reply = m_nam->get(request);
    connect(m_reply, &QNetworkReply::finished, this, &ServerProbe::onReply);
}

std::optional<std::pair<ServerProbe::Outcome, QString>>
ServerProbe::transportFailure(QNetworkReply *reply) const
{
    const QString where = m_server.authority();
    switch (reply->error()) {
    case QNetworkReply::NoError:
        return std::nullopt;
    case QNetworkReply::ConnectionRefusedError:
        return std::pair(
            Outcome::Unreachable,
            tr("Connection to %1 refused: is herald-syncd running on that port?").arg(where));
    case QNetworkReply::HostNotFoundError:
        return std::pair(Outcome::Unreachable, tr("Host %1 not found.").arg(m_server.host()));
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:
        return std::pair(
            Outcome::Unreachable,
            tr("No answer from %1 within %2 seconds.").arg(where).arg(TimeoutMs / 1000));
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::UnknownNetworkError:
        return std::pair(Outcome::Unreachable,
                         tr("The network is not reachable: %1").arg(reply->errorString()));
    case QNetworkReply::SslHandshakeFailedError:
        return std::pair(Outcome::Tls,
                         tr("TLS handshake with %1 failed: %2").arg(where, reply->errorString()));
    case QNetworkReply::RemoteHostClosedError:
        return std::pair(Outcome::Unreachable,
                         tr("%1 closed the connection. Is it an HTTPS server reached over http://, "
                            "or the other way round?")
                             .arg(where));
    default:
        break;
    }
    // HTTP status errors are handled by the caller.
    if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid())
        return std::nullopt;
    return std::pair(Outcome::Unreachable,
                     tr("Cannot reach %1: %2").arg(where, reply->errorString()));
}

void ServerProbe::onReply()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_reply = nullptr;
    reply->deleteLater();
    if (auto failure = transportFailure(reply)) {
        qCInfo(lcNet) << "probe failed:" << reply->error() << reply->errorString();
        finish(failure->first, failure->second);
        return;
    }
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    const QString serverMessage = serverErrorMessage(body);

    switch (m_step) {
    case Step::Health: {
        const QJsonObject health = QJsonDocument::fromJson(body).object();
        if (status != 200 || health.value(u"status"_s).toString() != u"ok"_s) {
            finish(Outcome::NotHerald,
                   tr("%1 answered, but it is not herald-syncd (HTTP %2 on /healthz).")
                       .arg(m_server.authority())
                       .arg(status));
            return;
        }
        QUrlQuery query;
        query.addQueryItem(u"limit"_s, u"100"_s);
        if (!m_user.isEmpty())
            query.addQueryItem(u"user"_s, m_user);
        get(u"/api/v1/notifications?"_s + query.toString(QUrl::FullyEncoded), Step::Notifications);
        return;
    }
    case Step::Notifications: {
        if (status == 401) {
            finish(Outcome::Unauthorized,
                   tr("The server refused the token (401 Unauthorized): it is wrong or revoked."));
            return;
        }
        if (status == 403) {
            finish(Outcome::Forbidden,
                   tr("The token may not read notifications for user %1 (403 Forbidden: %2). "
                      "Use a user token of that user.")
                       .arg(m_user, serverMessage));
            return;
        }
        if (status != 200) {
            finish(Outcome::ServerError,
                   tr("The server answered HTTP %1: %2").arg(status).arg(serverMessage));
            return;
        }
        const QJsonArray list =
            QJsonDocument::fromJson(body).object().value(u"notifications"_s).toArray();
        for (const QJsonValue &v : list) {
            const QJsonObject n = v.toObject();
            m_channels << n.value(u"application"_s).toString() + u'/' +
                              n.value(u"channel"_s).toString();
        }
        finish(Outcome::Ok, {});
        return;
    }
    }
}

void ServerProbe::finish(Outcome outcome, const QString &message)
{
    Report report;
    report.outcome = outcome;
    report.message = message;
    if (outcome == Outcome::Ok) {
        m_channels.removeDuplicates();
        m_channels.sort();
        report.channels = m_channels;
        report.message = tr("Connected to %1 as %2.").arg(m_server.authority(), m_user);
    }
    qCInfo(lcNet) << "probe of" << m_server.authority() << "finished:" << outcome;
    Q_EMIT finished(report);
}

} // namespace herald::client
