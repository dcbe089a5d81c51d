// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "codec/jsoncodec.h"
#include "model/notification.h"
#include "protocol/messages.h"

#include <QList>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

class QNetworkAccessManager;

namespace herald {

// Fetches through REST what a resumed session missed beyond its backlog (`backlogDone` said
// `truncated`: the server sent the newest of what was missed): pages of
// GET /api/v1/notifications?unacknowledged=true, newest first, from just below the oldest
// backlog notification down to the resume point, keeping those of the session's
// subscriptions. Lives in its owner's thread; one fetch at a time.
class MissedPager : public QObject
{
    Q_OBJECT
public:
    struct Request
    {
        QUrl server; // the session's WebSocket URL (ws:// or wss://, path .../api/v1/ws)
        QString token;
        QString user; // named in the query when set (an admin token acting for a user)
        QList<Subscription> subscriptions;
        NotificationId resumedFrom = 0; // lastNotificationId of the register: fetch above it
        NotificationId below = 0;       // the oldest backlog notification: fetch below it
    };
    static constexpr int PageSize = 100; // the REST page limit
    static constexpr int TimeoutMs = 30'000;

    explicit MissedPager(QObject *parent = nullptr);

    void start(const Request &request);
    // Stops a fetch under way: no more signals from it.
    void abort();
    bool isRunning() const { return bool(m_reply); }

    // The REST listing URL for `server` (ws → http, wss → https, path /api/v1/notifications).
    static QUrl listingUrl(const QUrl &server);
    // Whether `n` belongs to one of `subscriptions` (no channels: the whole application).
    static bool isSubscribed(const QList<Subscription> &subscriptions, const Notification &n);

Q_SIGNALS:
    // A page's notifications of the subscriptions, above resumedFrom, newest first.
    void fetched(const QList<herald::Notification> &notifications);
    // Everything is fetched; or `error` says why not (nothing more comes of this fetch).
    void finished(const QString &error);

private:
    void requestPage(NotificationId before);
    void onPage();

    QNetworkAccessManager *m_network;
    JsonCodec m_codec;
    Request m_request;
    QPointer<QNetworkReply> m_reply;
    quint64 m_fetch = 0; // changes with every start() and abort()
};

} // namespace herald
