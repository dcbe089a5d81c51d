// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/error.h"

#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <optional>

namespace herald::syncd {

// What herald-syncd takes for a mail address ([smtp] from, an email endpoint's `to`): a bare
// addr-spec (RFC 5322 3.4.1) in its common dot-atom form, "local@domain", nothing else. It is
// written into SMTP commands and header lines as it is, so no character may end or split one:
// no CR, LF or other control character, no space, comma, angle bracket, quote or other
// special. ASCII only (SMTPUTF8 is not asked for); an internationalized domain goes in its
// xn-- form. Kept here, under config, because both the config loader and the core check
// addresses. Pure, any thread.
class MailAddress
{
public:
    static constexpr int MaxLength = 254; // RFC 5321's path limit less the angle brackets

    // Why `address` is not one, for a message after the field's name; nullopt when it is.
    static std::optional<QString> problem(const QString &address);
    // A JSON list of 1 to maxCount distinct addresses (an email endpoint's `to`); BadRequest
    // naming `field` or the item ("to[1]: ...") otherwise.
    static Result<QStringList> readList(const QJsonValue &value, const QString &field,
                                        int maxCount);
};

} // namespace herald::syncd
