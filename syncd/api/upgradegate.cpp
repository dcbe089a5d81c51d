// SPDX-License-Identifier: Apache-2.0
#include "upgradegate.h"

#include "http/httpmessage.h"
#include "http/requestlimits.h"

namespace herald::syncd {

UpgradeGate::UpgradeGate(RequestLimits *limits, QObject *parent) : QObject(parent), m_limits(limits)
{
}

void UpgradeGate::check(const HttpRequest &request, HttpHandler::UpgradeDecision decide)
{
    m_limits->authenticate(
        request, this, [decide = std::move(decide)](const RequestLimits::Outcome &outcome) {
            using Kind = RequestLimits::Outcome::Kind;
            switch (outcome.kind) {
            case Kind::Accepted:
                if (outcome.principal.kind == TokenKind::Feed) {
                    decide(HttpResponse::error(Error::forbidden(
                        QStringLiteral("token: a feed token cannot open a WebSocket"))));
                    return;
                }
                decide(std::nullopt);
                return;
            case Kind::NoToken: // `register` must carry one
                decide(std::nullopt);
                return;
            case Kind::Invalid:
                decide(HttpResponse::error({ErrorCode::Unauthorized,
                                            QStringLiteral("token: not valid for the WebSocket")}));
                return;
            case Kind::Refused:
                decide(*outcome.refusal);
                return;
            }
        });
}

} // namespace herald::syncd
