// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "error.h"

#include <QString>

namespace herald {

// Paths that name a field in an error message: "channel", "[3].tags.env", "ids[4]".

inline QString fieldPath(const QString &base, const QString &field)
{
    return base.isEmpty() ? field : base + u'.' + field;
}

inline QString indexPath(const QString &base, qsizetype index)
{
    return base + u'[' + QString::number(index) + u']';
}

// A bad_request whose message starts with the field path, as PROTOCOL.md requires.
inline Error fieldError(const QString &path, const QString &what)
{
    return Error::badRequest(path + u": " + what);
}

inline tl::unexpected<Error> failField(const QString &path, const QString &what)
{
    return tl::unexpected<Error>(fieldError(path, what));
}

} // namespace herald
