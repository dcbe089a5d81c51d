// SPDX-License-Identifier: Apache-2.0
#include "notificationsapi.h"

#include "api/answer.h"
#include "api/publishanswer.h"
#include "core/notificationservice.h"

#include <QJsonArray>
#include <QJsonObject>

namespace herald::syncd {

namespace {
Result<qint64> parseId(const QString &text, const QString &field)
{
    bool ok = false;
    const qint64 id = text.toLongLong(&ok);
    if (!ok || !Validator::isValidId(id))
        return fail(ErrorCode::BadRequest,
                    field + QStringLiteral(": '%1' is not a notification id").arg(text));
    return id;
}
} // namespace

NotificationsApi::NotificationsApi(NotificationService &service, const Limits &limits)
    : m_service(service), m_limits(limits), m_json(limits), m_hermes(limits)
{
}

void NotificationsApi::addRoutes(Router &router)
{
    using P = Router::Params;
    const auto A = Router::Access::Authenticated;
    router.add("POST", QStringLiteral("/api/v1/notifications"), A,
               [this](const HttpRequest &request, const P &, const Principal &principal,
                      const HttpResponder &responder) { publish(request, principal, responder); });
    router.add(
        "POST", QStringLiteral("/api/notifications"), A,
        [this](const HttpRequest &request, const P &, const Principal &principal,
               const HttpResponder &responder) { publishHermes(request, principal, responder); });
    router.add("GET", QStringLiteral("/api/v1/notifications"), A,
               [this](const HttpRequest &request, const P &, const Principal &principal,
                      const HttpResponder &responder) { list(request, principal, responder); });
    router.add("DELETE", QStringLiteral("/api/v1/notifications/{id}"), A,
               [this](const HttpRequest &, const P &params, const Principal &principal,
                      const HttpResponder &responder) {
                   remove(params.value(QStringLiteral("id")), principal, responder);
               });
    router.add(
        "POST", QStringLiteral("/api/v1/acks"), A,
        [this](const HttpRequest &request, const P &, const Principal &principal,
               const HttpResponder &responder) { acknowledge(request, principal, responder); });
}

void NotificationsApi::publish(const HttpRequest &request, const Principal &principal,
                               const HttpResponder &responder)
{
    if (auto allowed = NotificationService::checkMayPublish(principal); !allowed)
        return sendError(responder, allowed.error());
    auto parsed = m_json.parsePublishBody(request.body);
    if (!parsed)
        return sendError(responder, parsed.error());
    const bool batch = request.body.trimmed().startsWith('[');
    m_service.publish(std::move(*parsed), batch, principal, answerPublished(responder, batch));
}

void NotificationsApi::publishHermes(const HttpRequest &request, const Principal &principal,
                                     const HttpResponder &responder)
{
    if (auto allowed = NotificationService::checkMayPublish(principal); !allowed)
        return sendError(responder, allowed.error());
    auto parsed = m_hermes.parseProducerBody(request.body);
    if (!parsed)
        return sendError(responder, parsed.error());
    m_service.publish({std::move(*parsed)}, false, principal, answerPublished(responder, false));
}

void NotificationsApi::list(const HttpRequest &request, const Principal &principal,
                            const HttpResponder &responder)
{
    const QUrlQuery &q = request.query;
    auto user = NotificationService::actingUser(
        principal, q.queryItemValue(QStringLiteral("user"), QUrl::FullyDecoded));
    if (!user)
        return sendError(responder, user.error());
    ListQuery query;
    query.user = *user;
    query.application = q.queryItemValue(QStringLiteral("application"), QUrl::FullyDecoded);
    query.channel = q.queryItemValue(QStringLiteral("channel"), QUrl::FullyDecoded);
    if (!query.application.isEmpty() && !Validator::isValidName(query.application))
        return sendError(responder,
                         Error::badRequest(QStringLiteral("application: not a valid name")));
    if (!query.channel.isEmpty() && !Validator::isValidName(query.channel))
        return sendError(responder, Error::badRequest(QStringLiteral("channel: not a valid name")));
    const QString unacked = q.queryItemValue(QStringLiteral("unacknowledged"));
    if (!unacked.isEmpty() && unacked != u"true" && unacked != u"false")
        return sendError(
            responder, Error::badRequest(QStringLiteral("unacknowledged: must be true or false")));
    query.unacknowledgedOnly = unacked == u"true";
    if (q.hasQueryItem(QStringLiteral("after"))) {
        auto after = parseId(q.queryItemValue(QStringLiteral("after")), QStringLiteral("after"));
        if (!after)
            return sendError(responder, after.error());
        query.beforeId = *after;
    }
    if (q.hasQueryItem(QStringLiteral("limit"))) {
        bool ok = false;
        query.limit = q.queryItemValue(QStringLiteral("limit")).toInt(&ok);
        if (!ok || query.limit < 1 || query.limit > m_limits.maxListLimit)
            return sendError(
                responder,
                Error::badRequest(
                    QStringLiteral("limit: must be 1 to %1").arg(m_limits.maxListLimit)));
    }
    m_service.list(query, &m_service,
                   answer<NotificationPage>(responder, [responder](NotificationPage page) {
                       QJsonArray items;
                       for (const ListedNotification &item : page.items) {
                           QJsonObject object = JsonCodec::toJson(item.notification);
                           object.insert(QStringLiteral("acknowledged"), item.acknowledged);
                           items.append(object);
                       }
                       QJsonObject body{{QStringLiteral("notifications"), items}};
                       if (page.next)
                           body.insert(QStringLiteral("next"), *page.next);
                       responder.send(HttpResponse::json(200, QJsonDocument(body)));
                   }));
}

void NotificationsApi::remove(const QString &idText, const Principal &principal,
                              const HttpResponder &responder)
{
    auto id = parseId(idText, QStringLiteral("id"));
    if (!id)
        return sendError(responder, id.error());
    m_service.remove(*id, principal, &m_service,
                     answer<Notification>(responder, [responder](Notification) {
                         responder.send(HttpResponse::noContent());
                     }));
}

void NotificationsApi::acknowledge(const HttpRequest &request, const Principal &principal,
                                   const HttpResponder &responder)
{
    const Result<QJsonObject> parsed = JsonCodec::parseObjectBody(request.body);
    if (!parsed)
        return sendError(responder, parsed.error());
    const QJsonObject body = *parsed;
    auto user =
        NotificationService::actingUser(principal, body.value(QStringLiteral("user")).toString());
    if (!user)
        return sendError(responder, user.error());
    // The WebSocket ack frame and this body share their shape, and their rules.
    auto ids = m_json.parseAckIds(body);
    if (!ids)
        return sendError(responder, ids.error());
    m_service.acknowledge(
        *user, *ids, &m_service,
        answer<QList<NotificationId>>(responder, [responder](QList<NotificationId> acked) {
            QJsonArray array;
            for (NotificationId id : acked)
                array.append(id);
            responder.send(HttpResponse::json(
                200, QJsonDocument(QJsonObject{{QStringLiteral("acknowledged"), array}})));
        }));
}

} // namespace herald::syncd
