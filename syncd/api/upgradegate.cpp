#include "upgradegate.h"

#include "auth/authenticator.h"
#include "http/httpmessage.h"

namespace herald::syncd {

UpgradeGate::UpgradeGate(Authenticator *authenticator, QObject *parent)
    : QObject(parent), m_authenticator(authenticator)
{
}

void UpgradeGate::check(const HttpRequest &request, HttpHandler::UpgradeDecision decide)
{
    const QString token = request.bearerToken();
    if (token.isEmpty() || m_authenticator->noAuth()) {
        decide(std::nullopt);
        return;
    }
    m_authenticator->authenticate(
        token, this, [decide = std::move(decide)](std::optional<Principal> principal) {
            if (principal)
                decide(std::nullopt);
            else
                decide(HttpResponse::error({ErrorCode::Unauthorized,
                                            QStringLiteral("token: not valid for the WebSocket")}));
        });
}

} // namespace herald::syncd
