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

namespace {

QJsonObject summaryOf(const DigestScheduler::Sent &sent)
{
    return {{u"id"_s, sent.digest.id},
            {u"user"_s, sent.user},
            {u"period"_s, sent.digest.period},
            {u"periodEnd"_s, toRfc3339(sent.digest.periodEnd)},
            {u"count"_s, sent.digest.count},
            {u"agents"_s, QJsonArray::fromStringList(sent.agents.split(u','))}};
}

} // namespace

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
            // The answer's text grows a batch at a time (about 170 bytes a digest); nothing
            // else of a run is kept until it ends.
            auto answerText = std::make_shared<QByteArray>("{\"digests\":[");
            s.run(
                principal, user.toString(), force.toBool(false),
                [answerText](const QList<DigestScheduler::Sent> &sent) {
                    for (const auto &d : sent) {
                        if (!answerText->endsWith('['))
                            answerText->append(',');
                        answerText->append(
                            QJsonDocument(summaryOf(d)).toJson(QJsonDocument::Compact));
                    }
                },
                answer<void>(responder, [responder, answerText] {
                    answerText->append("]}");
                    responder.send(HttpResponse::json(200, *answerText));
                }));
        });
}

} // namespace herald::syncd
