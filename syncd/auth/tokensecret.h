// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QString>

namespace herald::syncd {

// Token secrets: 32 random bytes from the system CSPRNG, shown once to their owner; only their
// SHA-256 is stored. A fast hash is right here: the secrets carry 256 bits of entropy, so there
// is nothing for a slow password hash to protect.
namespace TokenSecret {
QString generate();                     // "hrd_" + base64url
QByteArray hash(const QString &secret); // lowercase hex SHA-256
bool constantTimeEquals(const QByteArray &a, const QByteArray &b);
} // namespace TokenSecret

} // namespace herald::syncd
