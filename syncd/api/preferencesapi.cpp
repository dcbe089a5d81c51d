// SPDX-License-Identifier: Apache-2.0
#include "api/preferencesapi.h"

#include "api/answer.h"
#include "codec/jsoncodec.h"
#include "core/preferenceservice.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

QString namedUser(const HttpRequest &request)
{
    return request.query.queryItemValue(u"user"_s, QUrl::FullyDecoded);
}

Reply<Preferences> sendPreferences(const HttpResponder &responder)
{
    return answer<Preferences>(responder, [responder](const Preferences &preferences) {
        responder.send(HttpResponse::json(200, QJsonDocument(preferences.toJson())));
    });
}

} // namespace

void PreferencesApi::addRoutes(Router &router)
{
    using P = Router::Params;
    const auto A = Router::Access::Authenticated;
    PreferenceService &s = m_service;
    router.add("GET", u"/api/v1/preferences"_s, A,
               [&s](const HttpRequest &request, const P &, const Principal &principal,
                    const HttpResponder &responder) {
                   s.preferences(principal, namedUser(request), sendPreferences(responder));
               });
    router.add("PUT", u"/api/v1/preferences"_s, A,
               [&s](const HttpRequest &request, const P &, const Principal &principal,
                    const HttpResponder &responder) {
                   auto body = JsonCodec::parseObjectBody(request.body);
                   if (!body)
                       return sendError(responder, body.error());
                   s.putPreferences(principal, namedUser(request), *body,
                                    sendPreferences(responder));
               });
}

} // namespace herald::syncd
