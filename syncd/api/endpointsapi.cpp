// SPDX-License-Identifier: Apache-2.0
#include "api/endpointsapi.h"

#include "api/answer.h"
#include "codec/jsoncodec.h"
#include "core/endpointservice.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

constexpr int DefaultDeliveries = 50;
constexpr int MaxDeliveries = 1000;

QString isoTime(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs)
                  : QString();
}

// The secret only in the answer to the PUT that set or made it: it is not shown again.
QJsonObject endpointToJson(const EndpointRecord &e, bool withSecret)
{
    QJsonObject object{{u"name"_s, e.name},
                       {u"kind"_s, e.kind},
                       {u"enabled"_s, e.enabled},
                       {u"failuresInRow"_s, e.failuresInRow}};
    // An email endpoint has recipients instead of a URL (its server is [smtp] url).
    if (e.kind == u"email")
        object.insert(u"to"_s, QJsonArray::fromStringList(e.recipients));
    else
        object.insert(u"url"_s, e.url);
    if (!e.disabledReason.isEmpty() && !e.enabled)
        object.insert(u"disabledReason"_s, e.disabledReason);
    if (e.kind == u"webhook")
        object.insert(u"signed"_s, !e.secret.isEmpty());
    if (withSecret)
        object.insert(u"secret"_s, e.secret);
    return object;
}

QJsonObject listedToJson(const EndpointService::Listed &listed)
{
    QJsonObject object = endpointToJson(listed.endpoint, false);
    object.insert(u"deliveries"_s, QJsonObject{{u"pending"_s, listed.deliveries.pending},
                                               {u"done"_s, listed.deliveries.done},
                                               {u"failed"_s, listed.deliveries.failed}});
    return object;
}

QJsonObject deliveryToJson(const DeliveryJob &job)
{
    QJsonObject object{{u"id"_s, job.id},
                       {u"endpoint"_s, job.endpoint},
                       {u"notificationId"_s, job.notificationId},
                       {u"status"_s, deliveryStatusName(job.status)},
                       {u"attempts"_s, job.attempts},
                       {u"created"_s, isoTime(job.createdMs)}};
    if (job.lastAttemptMs > 0)
        object.insert(u"lastAttempt"_s, isoTime(job.lastAttemptMs));
    if (job.lastStatus > 0)
        object.insert(u"lastStatus"_s, job.lastStatus);
    if (!job.lastError.isEmpty())
        object.insert(u"lastError"_s, job.lastError);
    if (job.status == DeliveryStatus::Pending)
        object.insert(u"nextAttempt"_s, isoTime(job.nextAttemptMs));
    return object;
}

void sendJson(const HttpResponder &responder, int status, const QJsonObject &object)
{
    responder.send(HttpResponse::json(status, QJsonDocument(object)));
}

Result<std::optional<DeliveryStatus>> statusFilter(const HttpRequest &request)
{
    if (!request.query.hasQueryItem(u"status"_s))
        return std::optional<DeliveryStatus>();
    DeliveryStatus status = DeliveryStatus::Pending;
    if (!parseDeliveryStatus(request.query.queryItemValue(u"status"_s), &status))
        return fail(ErrorCode::BadRequest, u"status: pending, done or failed"_s);
    return std::optional<DeliveryStatus>(status);
}

Result<int> limitOf(const HttpRequest &request)
{
    if (!request.query.hasQueryItem(u"limit"_s))
        return DefaultDeliveries;
    bool ok = false;
    const int limit = request.query.queryItemValue(u"limit"_s).toInt(&ok);
    if (!ok || limit < 1 || limit > MaxDeliveries)
        return fail(ErrorCode::BadRequest, u"limit: must be 1 to %1"_s.arg(MaxDeliveries));
    return limit;
}

} // namespace

void EndpointsApi::addRoutes(Router &router)
{
    using P = Router::Params;
    const auto A = Router::Access::Authenticated;
    using R = const HttpRequest &;
    using Pr = const Principal &;
    using Rs = const HttpResponder &;
    EndpointService &s = m_service;

    router.add("GET", u"/api/v1/endpoints"_s, A, [&s](R, const P &, Pr principal, Rs responder) {
        s.endpoints(principal,
                    answer<QList<EndpointService::Listed>>(responder, [responder](auto all) {
                        QJsonArray array;
                        for (const auto &listed : all)
                            array.append(listedToJson(listed));
                        sendJson(responder, 200, {{u"endpoints"_s, array}});
                    }));
    });
    router.add("GET", u"/api/v1/endpoints/{name}"_s, A,
               [&s](R, const P &params, Pr principal, Rs responder) {
                   s.endpoint(principal, params.value(u"name"_s),
                              answer<EndpointService::Listed>(responder, [responder](auto listed) {
                                  sendJson(responder, 200, listedToJson(listed));
                              }));
               });
    router.add("PUT", u"/api/v1/endpoints/{name}"_s, A,
               [&s](R request, const P &params, Pr principal, Rs responder) {
                   auto body = JsonCodec::parseObjectBody(request.body);
                   if (!body)
                       return sendError(responder, body.error());
                   s.putEndpoint(principal, params.value(u"name"_s), *body,
                                 answer<EndpointService::Saved>(responder, [responder](auto saved) {
                                     sendJson(responder, saved.created ? 201 : 200,
                                              endpointToJson(saved.endpoint, saved.secretShown));
                                 }));
               });
    router.add("DELETE", u"/api/v1/endpoints/{name}"_s, A,
               [&s](R, const P &params, Pr principal, Rs responder) {
                   s.removeEndpoint(principal, params.value(u"name"_s),
                                    answer<void>(responder, [responder] {
                                        responder.send(HttpResponse::noContent());
                                    }));
               });
    router.add("GET", u"/api/v1/endpoints/{name}/deliveries"_s, A,
               [&s](R request, const P &params, Pr principal, Rs responder) {
                   auto status = statusFilter(request);
                   if (!status)
                       return sendError(responder, status.error());
                   auto limit = limitOf(request);
                   if (!limit)
                       return sendError(responder, limit.error());
                   s.deliveries(principal, params.value(u"name"_s), *status, *limit,
                                answer<QList<DeliveryJob>>(responder, [responder](auto jobs) {
                                    QJsonArray array;
                                    for (const DeliveryJob &job : jobs)
                                        array.append(deliveryToJson(job));
                                    sendJson(responder, 200, {{u"deliveries"_s, array}});
                                }));
               });
    router.add("POST", u"/api/v1/endpoints/{name}/test"_s, A,
               [&s](R, const P &params, Pr principal, Rs responder) {
                   s.testEndpoint(principal, params.value(u"name"_s),
                                  answer<DeliveryJob>(responder, [responder](auto job) {
                                      sendJson(responder, 202, deliveryToJson(job));
                                  }));
               });
    router.add("POST", u"/api/v1/endpoints/{name}/enable"_s, A,
               [&s](R, const P &params, Pr principal, Rs responder) {
                   s.enableEndpoint(principal, params.value(u"name"_s),
                                    answer<EndpointService::Listed>(responder, [responder](auto l) {
                                        sendJson(responder, 200, listedToJson(l));
                                    }));
               });

    router.add("GET", u"/api/v1/applications/{app}/behaviors"_s, A,
               [&s](R, const P &params, Pr principal, Rs responder) {
                   s.behaviors(principal, params.value(u"app"_s),
                               answer<QList<Behavior>>(responder, [responder](auto all) {
                                   QJsonArray array;
                                   for (const Behavior &b : all)
                                       array.append(b.toJson());
                                   sendJson(responder, 200, {{u"behaviors"_s, array}});
                               }));
               });
    router.add("GET", u"/api/v1/applications/{app}/behaviors/{name}"_s, A,
               [&s](R, const P &params, Pr principal, Rs responder) {
                   s.behavior(principal, params.value(u"app"_s), params.value(u"name"_s),
                              answer<Behavior>(responder, [responder](auto b) {
                                  sendJson(responder, 200, b.toJson());
                              }));
               });
    router.add("PUT", u"/api/v1/applications/{app}/behaviors/{name}"_s, A,
               [&s](R request, const P &params, Pr principal, Rs responder) {
                   auto body = JsonCodec::parseObjectBody(request.body);
                   if (!body)
                       return sendError(responder, body.error());
                   s.putBehavior(principal, params.value(u"app"_s), params.value(u"name"_s), *body,
                                 answer<std::pair<Behavior, bool>>(responder, [responder](auto r) {
                                     sendJson(responder, r.second ? 201 : 200, r.first.toJson());
                                 }));
               });
    router.add("DELETE", u"/api/v1/applications/{app}/behaviors/{name}"_s, A,
               [&s](R, const P &params, Pr principal, Rs responder) {
                   s.removeBehavior(principal, params.value(u"app"_s), params.value(u"name"_s),
                                    answer<void>(responder, [responder] {
                                        responder.send(HttpResponse::noContent());
                                    }));
               });
}

} // namespace herald::syncd
