// SPDX-License-Identifier: Apache-2.0
#include "connectionloss.h"

#include "protocol/error.h"
#include "protocol/messages.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QWebSocketProtocol>

namespace herald {

namespace {

// Qt 6.4 reports a refused upgrade only as text ("... Unhandled http status code: 401
// (Unauthorized)."); 0 when there is no status in it.
int httpStatusOf(const QString &errorString)
{
    static const QRegularExpression pattern(QStringLiteral("status code: (\\d{3})"));
    const QRegularExpressionMatch match = pattern.match(errorString);
    return match.hasMatch() ? match.captured(1).toInt() : 0;
}

// Qt's QWebSocket (6.4 and later alike) takes every close code from 1012 to 2999 for invalid,
// 1013 among them: it reports 1002 with this reason and the server's code is lost. The
// registered codes in that range (1012 restart, 1013 try again later, 1014 bad gateway) all
// say the server is in trouble, so such a close is treated like 1013.
bool isCloseCodeRejectedByQt(int code, const QString &reason)
{
    if (code != QWebSocketProtocol::CloseCodeProtocolError)
        return false;
    static const char source[] = "Invalid close code %1 detected.";
    const int reported = QWebSocketProtocol::CloseCodeProtocolError;
    return reason == QString::fromLatin1(source).arg(reported) ||
           reason == QCoreApplication::translate("QWebSocketDataProcessor", source).arg(reported);
}

// Error frames a server may send before closing when it wants us to come back later.
bool isTryLaterError(const QString &code)
{
    return code == errorCodeName(ErrorCode::Unavailable) ||
           code == errorCodeName(ErrorCode::RateLimited);
}

} // namespace

ConnectionLoss lossOnClose(int closeCode, const QString &closeReason,
                           const QString &lastServerError)
{
    if (closeCode == CloseCode::Policy)
        return ConnectionLoss::AuthenticationRefused;
    if (closeCode == CloseCode::TryAgainLater || isCloseCodeRejectedByQt(closeCode, closeReason) ||
        isTryLaterError(lastServerError))
        return ConnectionLoss::TryLater;
    return ConnectionLoss::Normal;
}

ConnectionLoss lossOnUpgradeError(const QString &errorString)
{
    switch (httpStatusOf(errorString)) {
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
