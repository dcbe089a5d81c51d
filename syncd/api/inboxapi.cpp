// SPDX-License-Identifier: Apache-2.0
#include "api/inboxapi.h"

#include "api/answer.h"
#include "api/inboxrange.h"
#include "codec/jsoncodec.h"
#include "codec/jsonfields.h"
#include "core/inboxservice.h"
#include "core/notificationservice.h"
#include "protocol/validator.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

// Admins name the user (`?user=`); a user token acts for its own.
Result<QString> userOf(const HttpRequest &request, const Principal &principal)
{
    return NotificationService::actingUser(
        principal, request.query.queryItemValue(u"user"_s, QUrl::FullyDecoded));
}

QJsonObject itemToJson(const InboxItem &item)
{
    QJsonObject object = JsonCodec::toJson(item.newest.notification);
    object.insert(u"seen"_s, item.newest.seen);
    object.insert(u"acknowledged"_s, item.acknowledged);
    if (item.isRollup()) {
        QJsonArray ids;
        for (NotificationId id : item.ids)
            ids.append(id);
        object.insert(
            u"rollup"_s,
            QJsonObject{{u"count"_s, item.ids.size()}, {u"ids"_s, ids}, {u"rule"_s, item.rule}});
    }
    return object;
}

QJsonArray followsToJson(const QList<Subscription> &follows)
{
    QJsonArray array;
    for (const Subscription &s : follows) {
        QJsonObject object{{u"application"_s, s.application}};
        if (!s.channels.isEmpty())
            object.insert(u"channels"_s, QJsonArray::fromStringList(s.channels));
        array.append(object);
    }
    return array;
}

Result<QList<Subscription>> parseFollows(const QByteArray &body)
{
    constexpr qsizetype MaxFollows = 256;
    auto object = JsonCodec::parseObjectBody(body);
    if (!object)
        return tl::unexpected(object.error());
    json::FieldReader r(*object);
    r.require(u"subscriptions"_s);
    QList<Subscription> follows;
    qsizetype count = 0;
    r.forEachObject(u"subscriptions"_s, [&](json::FieldReader &item) {
        Subscription s;
        s.application = item.requiredString(u"application"_s);
        s.channels = item.stringList(u"channels"_s);
        if (item.ok() && !Validator::isValidName(s.application))
            item.fail(item.path(u"application"_s), u"not a valid name"_s);
        for (qsizetype i = 0; item.ok() && i < s.channels.size(); ++i) {
            if (!Validator::isValidName(s.channels.at(i)))
                item.fail(item.path(u"channels"_s) + u"[%1]"_s.arg(i), u"not a valid name"_s);
        }
        count += std::max<qsizetype>(1, s.channels.size());
        follows.append(s);
    });
    if (!r.ok())
        return r.unexpected();
    if (count > MaxFollows)
        return fail(ErrorCode::BadRequest,
                    u"subscriptions: at most %1 channels in all"_s.arg(MaxFollows));
    return follows;
}

} // namespace

InboxApi::InboxApi(InboxService &service, const Limits &limits)
    : m_service(service), m_limits(limits)
{
}

void InboxApi::addRoutes(Router &router)
{
    using P = Router::Params;
    const auto A = Router::Access::Authenticated;
    auto plain = [this](void (InboxApi::*handler)(const HttpRequest &, const Principal &,
                                                  const HttpResponder &)) {
        return [this, handler](const HttpRequest &request, const P &, const Principal &principal,
                               const HttpResponder &responder) {
            (this->*handler)(request, principal, responder);
        };
    };
    auto named = [this](const QString &param,
                        void (InboxApi::*handler)(const HttpRequest &, const QString &,
                                                  const Principal &, const HttpResponder &)) {
        return [this, param, handler](const HttpRequest &request, const P &params,
                                      const Principal &principal, const HttpResponder &responder) {
            (this->*handler)(request, params.value(param), principal, responder);
        };
    };
    router.add("GET", u"/api/v1/inbox"_s, A, plain(&InboxApi::list));
    router.add("DELETE", u"/api/v1/inbox"_s, A, plain(&InboxApi::clear));
    router.add("GET", u"/api/v1/inbox/count"_s, A, plain(&InboxApi::counts));
    router.add("GET", u"/api/v1/inbox/subscriptions"_s, A, plain(&InboxApi::follows));
    router.add("PUT", u"/api/v1/inbox/subscriptions"_s, A, plain(&InboxApi::replaceFollows));
    router.add("GET", u"/api/v1/inbox/rules"_s, A, plain(&InboxApi::rules));
    router.add("GET", u"/api/v1/inbox/rules/{name}"_s, A, named(u"name"_s, &InboxApi::rule));
    router.add("PUT", u"/api/v1/inbox/rules/{name}"_s, A, named(u"name"_s, &InboxApi::putRule));
    router.add("DELETE", u"/api/v1/inbox/rules/{name}"_s, A,
               named(u"name"_s, &InboxApi::deleteRule));
    router.add("DELETE", u"/api/v1/inbox/{id}"_s, A, named(u"id"_s, &InboxApi::hide));
}

void InboxApi::list(const HttpRequest &request, const Principal &principal,
                    const HttpResponder &responder)
{
    auto user = userOf(request, principal);
    if (!user)
        return sendError(responder, user.error());
    InboxService::PageRequest page{*user, std::nullopt, 20};
    const QUrlQuery &q = request.query;
    if (q.hasQueryItem(u"after"_s)) {
        bool ok = false;
        const qint64 after = q.queryItemValue(u"after"_s).toLongLong(&ok);
        if (!ok || !Validator::isValidId(after))
            return sendError(responder, Error::badRequest(u"after: not a notification id"_s));
        page.beforeId = after;
    }
    if (q.hasQueryItem(u"limit"_s)) {
        bool ok = false;
        page.limit = q.queryItemValue(u"limit"_s).toInt(&ok);
        if (!ok || page.limit < 1 || page.limit > m_limits.maxListLimit)
            return sendError(responder, Error::badRequest(u"limit: must be 1 to %1"_s.arg(
                                            m_limits.maxListLimit)));
    }
    const QByteArray rangeHeader = request.header("range");
    const bool ranged = !rangeHeader.isEmpty();
    if (ranged) {
        auto range = InboxRange::parse(rangeHeader, m_limits.maxListLimit);
        if (!range)
            return sendError(responder, range.error());
        if (range->beforeId)
            page.beforeId = range->beforeId;
        if (range->max)
            page.limit = *range->max;
    }
    const int limit = page.limit;
    m_service.list(
        page, &m_service,
        answer<InboxService::Page>(
            responder, [responder, ranged, limit](InboxService::Page result) {
                QJsonArray items;
                for (const InboxItem &item : std::as_const(result.items))
                    items.append(itemToJson(item));
                QJsonObject body{{u"notifications"_s, items}};
                if (result.next)
                    body.insert(u"next"_s, *result.next);
                HttpResponse response =
                    HttpResponse::json(ranged && result.next ? 206 : 200, QJsonDocument(body));
                if (result.next)
                    response.headers.append({"next-range", InboxRange::next(*result.next, limit)});
                responder.send(response);
            }));
}

void InboxApi::counts(const HttpRequest &request, const Principal &principal,
                      const HttpResponder &responder)
{
    auto user = userOf(request, principal);
    if (!user)
        return sendError(responder, user.error());
    m_service.counts(*user, &m_service, answer<InboxCounts>(responder, [responder](InboxCounts c) {
        responder.send(HttpResponse::json(
            200, QJsonDocument(QJsonObject{{u"unseen"_s, c.unseen},
                                           {u"unacknowledged"_s, c.unacknowledged}})));
    }));
}

void InboxApi::hide(const HttpRequest &request, const QString &idText, const Principal &principal,
                    const HttpResponder &responder)
{
    auto user = userOf(request, principal);
    if (!user)
        return sendError(responder, user.error());
    bool ok = false;
    const qint64 id = idText.toLongLong(&ok);
    if (!ok || !Validator::isValidId(id))
        return sendError(responder,
                         Error::badRequest(u"id: '%1' is not a notification id"_s.arg(idText)));
    m_service.hide(*user, id, &m_service, answer<void>(responder, [responder] {
        responder.send(HttpResponse::noContent());
    }));
}

void InboxApi::clear(const HttpRequest &request, const Principal &principal,
                     const HttpResponder &responder)
{
    auto user = userOf(request, principal);
    if (!user)
        return sendError(responder, user.error());
    m_service.clear(*user, &m_service, answer<void>(responder, [responder] {
        responder.send(HttpResponse::noContent());
    }));
}

void InboxApi::follows(const HttpRequest &request, const Principal &principal,
                       const HttpResponder &responder)
{
    auto user = userOf(request, principal);
    if (!user)
        return sendError(responder, user.error());
    m_service.follows(
        *user, &m_service,
        answer<QList<Subscription>>(responder, [responder](QList<Subscription> f) {
            responder.send(HttpResponse::json(
                200, QJsonDocument(QJsonObject{{u"subscriptions"_s, followsToJson(f)}})));
        }));
}

void InboxApi::replaceFollows(const HttpRequest &request, const Principal &principal,
                              const HttpResponder &responder)
{
    auto user = userOf(request, principal);
    if (!user)
        return sendError(responder, user.error());
    auto follows = parseFollows(request.body);
    if (!follows)
        return sendError(responder, follows.error());
    m_service.replaceFollows(
        *user, *follows, &m_service, answer<void>(responder, [responder, follows = *follows] {
            responder.send(HttpResponse::json(
                200, QJsonDocument(QJsonObject{{u"subscriptions"_s, followsToJson(follows)}})));
        }));
}

void InboxApi::rules(const HttpRequest &request, const Principal &principal,
                     const HttpResponder &responder)
{
    auto user = userOf(request, principal);
    if (!user)
        return sendError(responder, user.error());
    m_service.rules(*user, &m_service,
                    answer<QList<RollupRule>>(responder, [responder](QList<RollupRule> rules) {
                        QJsonArray array;
                        for (const RollupRule &rule : std::as_const(rules))
                            array.append(rule.toJson());
                        responder.send(HttpResponse::json(
                            200, QJsonDocument(QJsonObject{{u"rules"_s, array}})));
                    }));
}

void InboxApi::rule(const HttpRequest &request, const QString &name, const Principal &principal,
                    const HttpResponder &responder)
{
    auto user = userOf(request, principal);
    if (!user)
        return sendError(responder, user.error());
    m_service.rule(*user, name, &m_service,
                   answer<RollupRule>(responder, [responder](RollupRule rule) {
                       responder.send(HttpResponse::json(200, QJsonDocument(rule.toJson())));
                   }));
}

void InboxApi::putRule(const HttpRequest &request, const QString &name, const Principal &principal,
                       const HttpResponder &responder)
{
    auto user = userOf(request, principal);
    if (!user)
        return sendError(responder, user.error());
    auto body = JsonCodec::parseObjectBody(request.body);
    if (!body)
        return sendError(responder, body.error());
    auto rule = RollupRule::fromJson(name, *body);
    if (!rule)
        return sendError(responder, rule.error());
    m_service.putRule(*user, *rule, &m_service,
                      answer<bool>(responder, [responder, json = rule->toJson()](bool created) {
                          responder.send(
                              HttpResponse::json(created ? 201 : 200, QJsonDocument(json)));
                      }));
}

void InboxApi::deleteRule(const HttpRequest &request, const QString &name,
                          const Principal &principal, const HttpResponder &responder)
{
    auto user = userOf(request, principal);
    if (!user)
        return sendError(responder, user.error());
    m_service.deleteRule(*user, name, &m_service, answer<void>(responder, [responder] {
        responder.send(HttpResponse::noContent());
    }));
}

} // namespace herald::syncd
