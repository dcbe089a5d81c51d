// SPDX-License-Identifier: Apache-2.0
#include "inboxrest.h"

#include "net/netlog.h"
#include "net/servererror.h"
#include "session/missedpager.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace herald::client {

namespace {
std::optional<QJsonObject> parseObject(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

std::optional<InboxItem> parseItem(const JsonCodec &codec, const QJsonObject &object)
{
    auto notification = codec.parseNotification(object);
    if (!notification)
        return std::nullopt;
    InboxItem item;
    item.notification = *notification;
    item.seen = object.value(u"seen"_s).toBool();
    item.acknowledged = object.value(u"acknowledged"_s).toBool();
    const QJsonObject rollup = object.value(u"rollup"_s).toObject();
    if (!rollup.isEmpty()) {
        for (const QJsonValue &id : rollup.value(u"ids"_s).toArray()) {
            if (id.toInteger() <= 0)
                return std::nullopt;
            item.memberIds.append(id.toInteger());
        }
        item.rule = rollup.value(u"rule"_s).toString();
        if (!item.memberIds.contains(item.notification.id))
            return std::nullopt;
    }
    return item;
}

// The items of a page or listing body: {"notifications":[...]}.
std::optional<QList<InboxItem>> parseItems(const QJsonObject &body)
{
    const JsonCodec codec;
    const QJsonValue array = body.value(u"notifications"_s);
    if (!array.isArray())
        return std::nullopt;
    QList<InboxItem> items;
    for (const QJsonValue &v : array.toArray()) {
        auto item = parseItem(codec, v.toObject());
        if (!item)
            return std::nullopt;
        items.append(*item);
    }
    return items;
}
} // namespace

InboxRest::InboxRest(QNetworkAccessManager *nam, QObject *parent) : QObject(parent), m_nam(nam) {}

InboxRest::~InboxRest()
{
    abortAll();
}

void InboxRest::setEndpoint(const QUrl &server, const QString &token, const QString &user)
{
    if (server == m_server && token == m_token && user == m_user)
        return;
    abortAll();
    m_server = server;
    m_token = token;
    m_user = user;
}

QUrl InboxRest::apiUrl(const QUrl &server, const QString &path)
{
    // The listing URL is the one place that knows how a WebSocket URL maps to the REST API.
    QUrl url = MissedPager::listingUrl(server);
    const QString listing = url.path();
    url.setPath(listing.left(listing.size() - qsizetype(u"/notifications"_s.size())) + path);
    return url;
}

QNetworkRequest InboxRest::apiRequest(QUrl target, const QString &user, const QString &token,
                                      int timeoutMs)
{
    if (!user.isEmpty()) {
        QUrlQuery query(target);
        query.addQueryItem(u"user"_s, user);
        target.setQuery(query);
    }
    QNetworkRequest request(target);
    request.setTransferTimeout(timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setRawHeader("Accept", "application/json");
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    return request;
}

void InboxRest::fetchCount()
{
    send(Kind::Count, "GET", apiUrl(m_server, u"/inbox/count"_s));
}

void InboxRest::fetchPage(int limit, NotificationId after)
{
    QUrl url = apiUrl(m_server, u"/inbox"_s);
    QUrlQuery query(url);
    query.addQueryItem(u"limit"_s, QString::number(limit));
    if (after > 0)
        query.addQueryItem(u"after"_s, QString::number(after));
    url.setQuery(query);
    send(after > 0 ? Kind::Page : Kind::FirstPage, "GET", url);
}

void InboxRest::fetchRules()
{
    send(Kind::Rules, "GET", apiUrl(m_server, u"/inbox/rules"_s));
}

void InboxRest::fetchListing(const QString &application, NotificationId below, int limit)
{
    QUrl url = apiUrl(m_server, u"/notifications"_s);
    QUrlQuery query;
    query.addQueryItem(u"application"_s, application);
    query.addQueryItem(u"after"_s, QString::number(below));
    query.addQueryItem(u"limit"_s, QString::number(limit));
    url.setQuery(query);
    send(Kind::Listing, "GET", url);
}

void InboxRest::remove(NotificationId id)
{
    send(Kind::Remove, "DELETE", apiUrl(m_server, u"/inbox/%1"_s.arg(id)), id);
}

void InboxRest::removeAll()
{
    send(Kind::RemoveAll, "DELETE", apiUrl(m_server, u"/inbox"_s));
}

std::optional<std::pair<qint64, qint64>> InboxRest::parseCount(const QByteArray &body)
{
    const auto object = parseObject(body);
    if (!object)
        return std::nullopt;
    const qint64 unseen = object->value(u"unseen"_s).toInteger(-1);
    const qint64 unacknowledged = object->value(u"unacknowledged"_s).toInteger(-1);
    if (unseen < 0 || unacknowledged < 0)
        return std::nullopt;
    return std::pair(unseen, unacknowledged);
}

std::optional<InboxPage> InboxRest::parsePage(const QByteArray &body)
{
    const auto object = parseObject(body);
    if (!object)
        return std::nullopt;
    auto items = parseItems(*object);
    if (!items)
        return std::nullopt;
    return InboxPage{*items, object->value(u"next"_s).toInteger(0)};
}

std::optional<QList<RollupRule>> InboxRest::parseRules(const QByteArray &body)
{
    const auto object = parseObject(body);
    if (!object || !object->value(u"rules"_s).isArray())
        return std::nullopt;
    QList<RollupRule> rules;
    for (const QJsonValue &v : object->value(u"rules"_s).toArray()) {
        auto rule = RollupRule::fromJson(v.toObject());
        if (!rule)
            return std::nullopt;
        rules.append(*rule);
    }
    return rules;
}

void InboxRest::send(Kind kind, const QByteArray &verb, const QUrl &target, NotificationId id)
{
    if (!m_server.isValid())
        return;
    const QNetworkRequest request = apiRequest(target, m_user, m_token, TimeoutMs);
    QNetworkReply *reply = m_nam->sendCustomRequest(request, verb);
    m_replies.append(reply);
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, kind, id] { onReply(reply, kind, id); });
}

void InboxRest::onReply(QNetworkReply *reply, Kind kind, NotificationId id)
{
    m_replies.removeAll(reply);
    reply->deleteLater();
    const QString what =
        QString::fromLatin1(reply->operation() == QNetworkAccessManager::DeleteOperation ? "DELETE "
                                                                                         : "GET ") +
        reply->url().path();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    const bool ok =
        (kind == Kind::Remove || kind == Kind::RemoveAll) ? status == 204 : status == 200;
    if (!ok) {
        const QString message = status == 0 ? reply->errorString() : serverErrorMessage(body);
        qCInfo(lcNet) << what << "failed: HTTP" << status << message;
        Q_EMIT failed(what, status, message);
        return;
    }
    auto malformed = [&] {
        qCWarning(lcNet) << what << "answered with a body that is not what PROTOCOL.md says";
        Q_EMIT failed(what, status, u"unexpected answer"_s);
    };
    switch (kind) {
    case Kind::Count:
        if (const auto counts = parseCount(body))
            return Q_EMIT countFetched(counts->first, counts->second);
        return malformed();
    case Kind::Page:
    case Kind::FirstPage:
        if (const auto page = parsePage(body))
            return Q_EMIT pageFetched(*page, kind == Kind::FirstPage);
        return malformed();
    case Kind::Listing:
        if (const auto page = parsePage(body))
            return Q_EMIT listingFetched(page->items);
        return malformed();
    case Kind::Rules:
        if (const auto rules = parseRules(body))
            return Q_EMIT rulesFetched(*rules);
        return malformed();
    case Kind::Remove:
        return Q_EMIT removed(id);
    case Kind::RemoveAll:
        return Q_EMIT removedAll();
    }
}

void InboxRest::abortAll()
{
    const auto replies = std::exchange(m_replies, {});
    for (const QPointer<QNetworkReply> &reply : replies) {
        if (!reply)
            continue;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

} // namespace herald::client
