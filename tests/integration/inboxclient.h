// SPDX-License-Identifier: Apache-2.0
#pragma once

// One user's view of herald-syncd's inbox (PROTOCOL.md "Inbox") for tst_inbox: REST calls
// with that user's own token, and the `unseen` frames of that user's WebSocket sessions.
#include "apihelpers.h"
#include "httpclient.h"
#include "wait.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QJsonObject>

#include <memory>
#include <optional>

namespace herald::test {

inline QJsonArray idArray(const QList<qint64> &ids)
{
    QJsonArray array;
    for (const qint64 id : ids)
        array.append(double(id));
    return array;
}

inline QList<qint64> idsOf(const QJsonValue &array)
{
    QList<qint64> ids;
    for (const QJsonValue &id : array.toArray())
        ids.append(id.toInteger());
    return ids;
}

// One answer of GET /api/v1/inbox.
struct InboxPage
{
    HttpResponse response;

    int status() const { return response.status; }
    QList<QJsonObject> items() const
    {
        QList<QJsonObject> items;
        for (const QJsonValue &item :
             response.object().value(QLatin1String("notifications")).toArray())
            items.append(item.toObject());
        return items;
    }
    QList<qint64> ids() const
    {
        QList<qint64> ids;
        for (const QJsonObject &item : items())
            ids.append(idOf(item));
        return ids;
    }
    QByteArray nextRange() const { return response.header("next-range"); }
    QJsonValue next() const { return response.object().value(QLatin1String("next")); }
};

// The inbox REST API as one user calls it, with a user token of their own.
class InboxClient
{
public:
    InboxClient(const QUrl &base, const QString &user, const QString &token)
        : m_user(user), m_token(token), m_http(base)
    {
        m_http.setToken(token);
    }

    QString user() const { return m_user; }
    QString token() const { return m_token; }
    HttpClient &http() { return m_http; }

    // GET /api/v1/inbox[?query], with a Range header when `range` is given.
    InboxPage list(const QString &query = {}, const QByteArray &range = {})
    {
        const QString path = QStringLiteral("/api/v1/inbox") +
                             (query.isEmpty() ? QString() : QLatin1Char('?') + query);
        Headers headers;
        if (!range.isEmpty())
            headers.append({"Range", range});
        return InboxPage{m_http.request("GET", path, {}, headers)};
    }
    // GET /api/v1/inbox/count as "unseen=N unacknowledged=M" (compare with counted()), or
    // the failing answer.
    QByteArray counts()
    {
        const HttpResponse response = m_http.get(QStringLiteral("/api/v1/inbox/count"));
        if (response.status != 200)
            return "GET /api/v1/inbox/count -> " + response.describe();
        const QJsonObject body = response.object();
        return counted(body.value(QLatin1String("unseen")).toInteger(-1),
                       body.value(QLatin1String("unacknowledged")).toInteger(-1));
    }
    static QByteArray counted(qint64 unseen, qint64 unacknowledged)
    {
        return "unseen=" + QByteArray::number(unseen) +
               " unacknowledged=" + QByteArray::number(unacknowledged);
    }
    HttpResponse hide(qint64 id)
    {
        return m_http.del(QStringLiteral("/api/v1/inbox/") + QString::number(id));
    }
    HttpResponse clear() { return m_http.del(QStringLiteral("/api/v1/inbox")); }
    HttpResponse acknowledge(const QList<qint64> &ids)
    {
        return m_http.post(QStringLiteral("/api/v1/acks"),
                           QJsonObject{{QLatin1String("ids"), idArray(ids)}});
    }
    // PUT /api/v1/inbox/subscriptions: the user follows these channels, and only these.
    HttpResponse follow(const QString &application, const QStringList &channels)
    {
        const QJsonObject subscription{
            {QLatin1String("application"), application},
            {QLatin1String("channels"), QJsonArray::fromStringList(channels)}};
        return m_http.put(QStringLiteral("/api/v1/inbox/subscriptions"),
                          QJsonObject{{QLatin1String("subscriptions"), QJsonArray{subscription}}});
    }
    HttpResponse putRule(const QString &name, const QJsonObject &rule)
    {
        return m_http.put(QStringLiteral("/api/v1/inbox/rules/") + name, rule);
    }

private:
    QString m_user;
    QString m_token;
    HttpClient m_http;
};

// Publishes `count` to application/channel; their ids, oldest first (0 for a failure).
inline QList<qint64> publishMany(HttpClient &http, const QString &application,
                                 const QString &channel, int count, const QJsonObject &extra = {})
{
    QList<qint64> ids;
    for (int i = 0; i < count; ++i)
        ids.append(publish(http, application, channel,
                           channel + QStringLiteral(" #") + QString::number(i), extra));
    return ids;
}

// Creates `user` (POST /api/v1/users) and a user token for them, as `admin`; null on failure.
inline std::unique_ptr<InboxClient> createAccount(HttpClient &admin, const QString &user)
{
    if (!createUser(admin, user))
        return nullptr;
    const HttpResponse token = admin.post(
        QStringLiteral("/api/v1/tokens"),
        QJsonObject{{QLatin1String("kind"), QLatin1String("user")}, {QLatin1String("user"), user}});
    const QString secret = token.object().value(QLatin1String("token")).toString();
    if (token.status != 201 || secret.isEmpty()) {
        qWarning("token for %s: %s", qPrintable(user), token.describe().constData());
        return nullptr;
    }
    return std::make_unique<InboxClient>(admin.baseUrl(), user, secret);
}

// A WebSocket session of `user` (with their token) subscribed to application/channels, its
// backlog done; null on failure. Registering also makes the user follow those channels.
inline std::unique_ptr<WsClient> openSession(const QUrl &wsUrl, const InboxClient &user,
                                             const QString &application,
                                             const QStringList &channels)
{
    auto ws = std::make_unique<WsClient>();
    if (!ws->open(wsUrl, user.token()) ||
        !ws->registerSession(WsClient::registerFrame({}, application, channels))) {
        qWarning("session of %s: %s", qPrintable(user.user()), ws->describe().constData());
        return nullptr;
    }
    return ws;
}

// The counts of the `unseen` frames a session got, in order.
inline QList<qint64> unseenCounts(const WsClient &ws)
{
    QList<qint64> counts;
    for (const QJsonObject &frame : ws.framesOfType(QStringLiteral("unseen")))
        counts.append(frame.value(QLatin1String("count")).toInteger(-1));
    return counts;
}

// Waits until the newest `unseen` frame of the session says `count`. The daemon debounces
// the count, so frames in between (1, 2 while 3 are published) may come or not.
inline bool waitForUnseen(WsClient &ws, qint64 count, int timeoutMs = 10000)
{
    const bool reached = waitUntil(
        [&] {
            const QList<qint64> counts = unseenCounts(ws);
            return !counts.isEmpty() && counts.last() == count;
        },
        timeoutMs, &ws, &WsClient::changed);
    if (!reached)
        qWarning("no unseen %lld: %s", count, ws.describe().constData());
    return reached;
}

// Index of the first frame of `type` in the session's frames, -1 when none.
inline qsizetype indexOfType(const WsClient &ws, const QString &type)
{
    const QList<QJsonObject> &frames = ws.frames();
    for (qsizetype i = 0; i < frames.size(); ++i) {
        if (WsClient::typeOf(frames.at(i)) == type)
            return i;
    }
    return -1;
}

} // namespace herald::test
