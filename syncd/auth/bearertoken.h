// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QString>
#include <QUrlQuery>

namespace herald::syncd {

// The token of a request: "Authorization: Bearer <token>", else the `token` query parameter
// (WebSocket clients in browsers cannot set headers). Empty when there is none.
inline QString bearerToken(const QByteArray &authorizationHeader, const QUrlQuery &query)
{
    const QByteArray authorization = authorizationHeader.trimmed();
    if (authorization.size() > 7 && authorization.left(7).toLower() == "bearer ")
        return QString::fromUtf8(authorization.mid(7).trimmed());
    return query.queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded);
}

} // namespace herald::syncd
