// SPDX-License-Identifier: Apache-2.0
#include "tokenissuer.h"

#include "auth/tokensecret.h"
#include "model/timestamps.h"
#include "protocol/validator.h"
#include "store/sqlstore.h"

namespace herald::syncd {

Result<IssuedToken> issueToken(SqlStore &store, TokenKind kind, const QString &application,
                               const QString &user, const QString &label, const QString &secret)
{
    if (!secret.isEmpty() && (!secret.startsWith(u"hrd_") || secret.size() < 4 + 43)) {
        return fail(ErrorCode::BadRequest,
                    QStringLiteral("secret: must be a token made by herald-syncd (hrd_ and at "
                                   "least 43 more characters)"));
    }
    TokenRecord token;
    token.kind = kind;
    token.label = label.left(128);
    token.createdAt = utcNow();
    const Validator validator;
    if (kind == TokenKind::Producer) {
        if (auto valid = validator.checkName(application, QStringLiteral("application")); !valid)
            return tl::unexpected(valid.error());
        auto app = store.findApplication(application);
        if (!app)
            return tl::unexpected(app.error());
        if (!app->has_value())
            return fail(ErrorCode::NotFound,
                        QStringLiteral("application: no application '%1'").arg(application));
        token.application = application;
    } else if (kind == TokenKind::User || kind == TokenKind::Feed) {
        if (auto valid = validator.checkName(user, QStringLiteral("user")); !valid)
            return tl::unexpected(valid.error());
        auto exists = store.userExists(user);
        if (!exists)
            return tl::unexpected(exists.error());
        if (!*exists)
            return fail(ErrorCode::NotFound, QStringLiteral("user: no user '%1'").arg(user));
        token.user = user;
    }
    IssuedToken issued{token, secret.isEmpty() ? TokenSecret::generate() : secret};
    issued.record.hash = TokenSecret::hash(issued.secret);
    auto id = store.insertToken(issued.record);
    if (!id)
        return tl::unexpected(id.error());
    issued.record.id = *id;
    return issued;
}

} // namespace herald::syncd
