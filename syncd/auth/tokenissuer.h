#pragma once

#include "protocol/error.h"
#include "store/storetypes.h"

#include <QString>

namespace herald::syncd {

class SqlStore;

// Makes a new token: checks that its application or user exists, stores its hash, and returns
// the record and the secret (which exists nowhere else afterwards). Used by the REST API and
// the command line alike.
struct IssuedToken
{
    TokenRecord record;
    QString secret;
};

Result<IssuedToken> issueToken(SqlStore &store, TokenKind kind, const QString &application,
                               const QString &user, const QString &label);

} // namespace herald::syncd
