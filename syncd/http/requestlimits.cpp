// SPDX-License-Identifier: Apache-2.0
#include "requestlimits.h"

#include "auth/authenticator.h"
#include "config/config.h"
#include "limits/failedauthlimiter.h"
#include "metrics/metrics.h"

namespace herald::syncd {

namespace {
BucketRate rate(int perSecond, int burst)
{
    return {double(perSecond), double(std::max(1, burst))};
}
} // namespace

RequestLimits::RequestLimits(const TrafficLimits &limits, Authenticator &authenticator,
                             FailedAuthLimiter &failures, Metrics &metrics, QObject *parent)
    : QObject(parent), m_authenticator(authenticator), m_failures(failures), m_metrics(metrics),
      m_addresses(rate(limits.addressRate, limits.addressBurst)),
      m_tokens(rate(limits.tokenRate, limits.tokenBurst))
{
    m_clock.start();
}

std::optional<HttpResponse> RequestLimits::admit(const HttpRequest &request)
{
    const auto verdict = m_addresses.take(AddressKey::of(request.client), nowMs());
    if (verdict.allowed)
        return std::nullopt;
    ++m_metrics.rateLimitedAddress;
    return HttpResponse::retryLater(
        {ErrorCode::RateLimited,
         QStringLiteral("rate: more than %1 requests a second from your address")
             .arg(m_addresses.rate().perSecond)},
        verdict.retryAfterMs);
}

void RequestLimits::authenticate(const HttpRequest &request, QObject *context, Callback callback)
{
    const QString token = request.bearerToken();
    if (token.isEmpty() && !m_authenticator.noAuth()) {
        callback({Outcome::Kind::NoToken, {}, std::nullopt});
        return;
    }
    if (auto principal = m_authenticator.known(token)) {
        accepted(*principal, callback);
        return;
    }
    const AddressKey address = AddressKey::of(request.client);
    if (const auto blocked = m_failures.check(address); !blocked.allowed) {
        ++m_metrics.rateLimitedAuthFailures;
        callback({Outcome::Kind::Refused,
                  {},
                  HttpResponse::retryLater(
                      {ErrorCode::RateLimited,
                       QStringLiteral("token: too many invalid tokens from your address")},
                      blocked.retryAfterMs)});
        return;
    }
    m_authenticator.authenticate(
        token, context,
        [this, address, callback = std::move(callback)](std::optional<Principal> principal) {
            if (principal) {
                accepted(*principal, callback);
                return;
            }
            ++m_metrics.authFailures;
            m_failures.failed(address);
            callback({Outcome::Kind::Invalid, {}, std::nullopt});
        });
}

std::optional<Error> RequestLimits::spendTokenRequest(const Principal &principal)
{
    if (principal.tokenId == 0)
        return std::nullopt;
    const auto verdict = m_tokens.take(principal.tokenId, nowMs());
    if (verdict.allowed)
        return std::nullopt;
    ++m_metrics.rateLimitedToken;
    const qint64 seconds = std::max<qint64>(1, (verdict.retryAfterMs + 999) / 1000);
    return Error{ErrorCode::RateLimited,
                 QStringLiteral("rate: more than %1 requests a second with this token, try "
                                "again in %2 s")
                     .arg(m_tokens.rate().perSecond)
                     .arg(seconds)};
}

void RequestLimits::accepted(const Principal &principal, const Callback &callback)
{
    // Tokenless admin (--no-auth) has no id and no bucket.
    if (principal.tokenId != 0) {
        const auto verdict = m_tokens.take(principal.tokenId, nowMs());
        if (!verdict.allowed) {
            ++m_metrics.rateLimitedToken;
            callback({Outcome::Kind::Refused,
                      {},
                      HttpResponse::retryLater(
                          {ErrorCode::RateLimited,
                           QStringLiteral("rate: more than %1 requests a second with this token")
                               .arg(m_tokens.rate().perSecond)},
                          verdict.retryAfterMs)});
            return;
        }
    }
    callback({Outcome::Kind::Accepted, principal, std::nullopt});
}

} // namespace herald::syncd
