// SPDX-License-Identifier: Apache-2.0
#include "missedpager.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrlQuery>

namespace herald {

Q_LOGGING_CATEGORY(lcPager, "herald.session.pager")

MissedPager::MissedPager(QObject *parent)
    : QObject(parent), m_network(new QNetworkAccessManager(this))
{
}

QUrl MissedPager::listingUrl(const QUrl &server)
{
    QUrl url = server;
    url.setScheme(server.scheme() == QLatin1String("wss") ? QStringLiteral("https")
                                                          : QStringLiteral("http"));
    QString path = server.path();
    const QString wsPath = QStringLiteral("/api/v1/ws");
    // A reverse proxy may mount the daemon under a prefix: keep it.
    if (path.endsWith(wsPath))
        path.chop(wsPath.size());
    else
        path.clear();
    url.setPath(path + QStringLiteral("/api/v1/notifications"));
    url.setQuery(QString());
    url.setFragment(QString());
    return url;
}

bool MissedPager::isSubscribed(const QList<Subscription> &subscriptions, const Notification &n)
{
    return std::any_of(subscriptions.cbegin(), subscriptions.cend(), [&n](const Subscription &s) {
        return s.application == n.application &&
               (s.channels.isEmpty() || s.channels.contains(n.channel));
    });
}

void MissedPager::start(const Request &request)
{
    abort();
    ++m_fetch;
    m_request = request;
    requestPage(request.below);
}

void MissedPager::abort()
{
    ++m_fetch;
    if (QNetworkReply *reply = m_reply) {
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

void MissedPager::requestPage(NotificationId before)
{
    QUrl url = listingUrl(m_request.server);
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("unacknowledged"), QStringLiteral("true"));
    query.addQueryItem(QStringLiteral("after"), QString::number(before)); // the cursor: older
    query.addQueryItem(QStringLiteral("limit"), QString::number(PageSize));
    // One application: let the server filter; several: filter here.
    const QString application = m_request.subscriptions.size() == 1
                                    ? m_request.subscriptions.first().application
                                    : QString();
    if (!application.isEmpty())
        query.addQueryItem(QStringLiteral("application"), application);
    if (!m_request.user.isEmpty())
        query.addQueryItem(QStringLiteral("user"), m_request.user);
    url.setQuery(query);
    QNetworkRequest request(url);
    if (!m_request.token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_request.token.toUtf8());
    request.setTransferTimeout(TimeoutMs);
    m_reply = m_network->get(request);
    connect(m_reply, &QNetworkReply::finished, this, &MissedPager::onPage);
}

void MissedPager::onPage()
{
    QNetworkReply *reply = m_reply;
    if (!reply || reply != sender())
        return;
    m_reply = nullptr;
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->error() != QNetworkReply::NoError || status != 200) {
        const QString why = QStringLiteral("fetching missed notifications: HTTP %1 %2")
                                .arg(status)
                                .arg(reply->errorString());
        qCWarning(lcPager).noquote() << why;
        return Q_EMIT finished(why);
    }
    const QJsonObject page = QJsonDocument::fromJson(reply->readAll()).object();
    QList<Notification> kept;
    bool reachedResumePoint = false;
    for (const QJsonValue &item : page.value(QLatin1String("notifications")).toArray()) {
        auto n = m_codec.parseNotification(item.toObject());
        if (!n) {
            const QString why =
                QStringLiteral("fetching missed notifications: %1").arg(n.error().message);
            qCWarning(lcPager).noquote() << why;
            return Q_EMIT finished(why);
        }
        if (n->id <= m_request.resumedFrom) {
            reachedResumePoint = true;
            break;
        }
        if (isSubscribed(m_request.subscriptions, *n))
            kept.append(*n);
    }
    const qint64 next = page.value(QLatin1String("next")).toInteger(0);
    qCDebug(lcPager) << "page of" << kept.size() << "missed notifications, next" << next;
    const quint64 fetch = m_fetch;
    if (!kept.isEmpty())
        Q_EMIT fetched(kept);
    if (fetch != m_fetch) // a receiver aborted, or started another fetch
        return;
    if (reachedResumePoint || next <= 0 || NotificationId(next) <= m_request.resumedFrom)
        return Q_EMIT finished(QString());
    requestPage(NotificationId(next));
}

} // namespace herald
