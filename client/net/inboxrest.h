// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "codec/jsoncodec.h"
#include "model/inboxitem.h"
#include "model/rolluprule.h"

#include <QList>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace herald::client {

// The user's inbox through herald-syncd's REST API (PROTOCOL.md "Inbox"), with the session's
// token: the unseen count, pages, the rollup rules, deleting one or all, and the listing
// (GET /api/v1/notifications) a rollup's members come from. Every call is one asynchronous
// request; several may run at once, each answers with its signal or with failed(). Changing
// the endpoint abandons the requests under way (no signal comes of them). GUI thread only.
class InboxRest : public QObject
{
    Q_OBJECT

public:
    static constexpr int TimeoutMs = 15'000;

    // nam is not owned and must outlive this.
    explicit InboxRest(QNetworkAccessManager *nam, QObject *parent = nullptr);
    ~InboxRest() override;

    // server: the session's WebSocket URL (ws[s]://host:port/api/v1/ws); user: named in the
    // query when set (the server checks it against the token).
    void setEndpoint(const QUrl &server, const QString &token, const QString &user);
    bool hasEndpoint() const { return m_server.isValid(); }

    void fetchCount();
    // Without `after`, the first page: the server marks the inbox seen.
    void fetchPage(int limit, NotificationId after = 0);
    void fetchRules();
    // GET /api/v1/notifications?application=...&after=below: up to `limit` notifications of
    // the application with ids below `below`, newest first.
    void fetchListing(const QString &application, NotificationId below, int limit);
    void remove(NotificationId id);
    void removeAll();

    // The bodies the server answers with; nothing when one is not what PROTOCOL.md says.
    static std::optional<std::pair<qint64, qint64>> parseCount(const QByteArray &body);
    static std::optional<InboxPage> parsePage(const QByteArray &body);
    static std::optional<QList<RollupRule>> parseRules(const QByteArray &body);
    // The URL of an API path (e.g. "/inbox/count") on the server of a WebSocket URL.
    static QUrl apiUrl(const QUrl &server, const QString &path);
    // A request for `target` as every call of the client's REST API makes it: JSON accepted,
    // `?user=` when an admin token acts for `user`, the bearer token, a transfer timeout, no
    // redirect to a less safe scheme.
    static QNetworkRequest apiRequest(QUrl target, const QString &user, const QString &token,
                                      int timeoutMs);

Q_SIGNALS:
    void countFetched(qint64 unseen, qint64 unacknowledged);
    void pageFetched(const herald::client::InboxPage &page, bool first);
    void rulesFetched(const QList<herald::client::RollupRule> &rules);
    // The listing as inbox items (seen is false: the listing does not say).
    void listingFetched(const QList<herald::client::InboxItem> &items);
    void removed(herald::NotificationId id);
    void removedAll();
    // what: the request ("GET /api/v1/inbox/count"); message: why, for logs.
    void failed(const QString &what, int status, const QString &message);

private:
    enum class Kind
    {
        Count,
        Page,
        FirstPage,
        Rules,
        Listing,
        Remove,
        RemoveAll,
    };
    void send(Kind kind, const QByteArray &verb, const QUrl &url, NotificationId id = 0);
    void onReply(QNetworkReply *reply, Kind kind, NotificationId id);
    void abortAll();

    QNetworkAccessManager *m_nam;
    QUrl m_server;
    QString m_token;
    QString m_user;
    QList<QPointer<QNetworkReply>> m_replies;
};

} // namespace herald::client
