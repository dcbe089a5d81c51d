// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/error.h"
#include "store/storetypes.h"

#include <QString>

namespace herald::syncd {

class SqlStore;

// Makes a new token: checks that its application (producer) or user (user, feed) exists,
// stores its hash, and returns the record and the secret (which exists nowhere else
// afterwards). Used by the REST API and the command line alike.
struct IssuedToken
{
    TokenRecord record;
    QString secret;
};

// `secret`, when given, is used instead of a new one: the same token on every node of a
// cluster whose nodes have databases of their own. It must look like a generated one
// ("hrd_" and at least 43 more characters), BadRequest otherwise.
Result<IssuedToken> issueToken(SqlStore &store, TokenKind kind, const QString &application,
                               const QString &user, const QString &label,
                               const QString &secret = {});

} // namespace herald::syncd
