// SPDX-License-Identifier: Apache-2.0
#include "api/digestsapi.h"

#include "api/answer.h"
#include "codec/jsoncodec.h"
#include "core/digestscheduler.h"
#include "model/timestamps.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace herald::syncd {

void DigestsApi::addRoutes(Router &router)
{
    using P = Router::Params;
    DigestScheduler &s = m_scheduler;
    router.add(
        "POST", u"/api/v1/digests/run"_s, Router::Access::Authenticated,
        [&s](const HttpRequest &request, const P &, const Principal &principal,
             const HttpResponder &responder) {
            QJsonObject body;
            if (!request.body.trimmed().isEmpty()) {
                auto parsed = JsonCodec::parseObjectBody(request.body);
                if (!parsed)
                    return sendError(responder, parsed.error());
                body = *parsed;
            }
            const QJsonValue user = body.value(u"user");
            if (!user.isUndefined() && !user.isString())
                return sendError(responder, {ErrorCode::BadRequest, u"user: must be a string"_s});
            const QJsonValue force = body.value(u"force");
            if (!force.isUndefined() && !force.isBool())
                return sendError(responder,
                                 {ErrorCode::BadRequest, u"force: must be true or false"_s});
            s.run(principal, user.toString(), force.toBool(false),
                  answer<QList<DigestScheduler::Sent>>(
                      responder, [responder](const QList<DigestScheduler::Sent> &sent) {
                          QJsonArray digests;
                          for (const auto &d : sent) {
                              digests.append(QJsonObject{
                                  {u"id"_s, d.digest.id},
                                  {u"user"_s, d.user},
                                  {u"period"_s, d.digest.period},
                                  {u"periodEnd"_s, toRfc3339(d.digest.periodEnd)},
                                  {u"count"_s, d.digest.count},
                                  {u"agents"_s, QJsonArray::fromStringList(d.agents.split(u','))}});
                          }
                          responder.send(HttpResponse::json(
                              200, QJsonDocument(QJsonObject{{u"digests"_s, digests}})));
                      }));
        });
}

} // namespace herald::syncd
