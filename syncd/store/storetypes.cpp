// SPDX-License-Identifier: Apache-2.0
#include "store/storetypes.h"

namespace herald::syncd {

QString tokenKindName(TokenKind kind)
{
    switch (kind) {
    case TokenKind::Admin:
        return QStringLiteral("admin");
    case TokenKind::Producer:
        return QStringLiteral("producer");
    case TokenKind::User:
        return QStringLiteral("user");
    case TokenKind::Feed:
        return QStringLiteral("feed");
    }
    return QStringLiteral("user");
}

std::optional<TokenKind> tokenKindFromName(const QString &name)
{
    for (TokenKind kind :
         {TokenKind::Admin, TokenKind::Producer, TokenKind::User, TokenKind::Feed}) {
        if (tokenKindName(kind) == name)
            return kind;
    }
    return std::nullopt;
}

} // namespace herald::syncd
