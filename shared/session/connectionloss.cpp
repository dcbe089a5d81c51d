// SPDX-License-Identifier: Apache-2.0
#include "connectionloss.h"

#include "protocol/error.h"
#include "protocol/messages.h"

namespace herald {

namespace {

// RFC 6455 §7.4.1 and IANA's registry: the server restarts, is overloaded, or its upstream is.
bool isServerTroubleCode(int code)
{
    return code == 1012 || code == CloseCode::TryAgainLater || code == 1014;
}

// Error frames a server may send before closing when it wants us to come back later.
bool isTryLaterError(const QString &code)
{
    return code == errorCodeName(ErrorCode::Unavailable) ||
           code == errorCodeName(ErrorCode::RateLimited);
}

} // namespace

ConnectionLoss lossOnClose(int closeCode, const QString &lastServerError)
{
    if (closeCode == CloseCode::Policy)
        return ConnectionLoss::AuthenticationRefused;
    if (isServerTroubleCode(closeCode) || isTryLaterError(lastServerError))
        return ConnectionLoss::TryLater;
    return ConnectionLoss::Normal;
}

ConnectionLoss lossOnUpgradeError(int httpStatus)
{
    switch (httpStatus) {
    case 401:
        return ConnectionLoss::AuthenticationRefused;
    case 429:
    case 503:
        return ConnectionLoss::TryLater;
    default:
        return ConnectionLoss::Normal;
    }
}

} // namespace herald
