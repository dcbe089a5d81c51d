// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

#include <tl/expected.hpp>

namespace herald {

// The error codes of PROTOCOL.md; each maps to one HTTP status in httpStatus().
enum class ErrorCode
{
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    PayloadTooLarge,
    UnsupportedMediaType,
    RateLimited,
    Unavailable,
    Internal,
};

QString errorCodeName(ErrorCode code); // "bad_request", ...
int httpStatus(ErrorCode code);        // 400, ...

struct Error
{
    ErrorCode code = ErrorCode::Internal;
    QString message; // names the offending field where there is one

    static Error badRequest(const QString &message) { return {ErrorCode::BadRequest, message}; }
    static Error notFound(const QString &message) { return {ErrorCode::NotFound, message}; }
    static Error forbidden(const QString &message) { return {ErrorCode::Forbidden, message}; }
    static Error internal(const QString &message) { return {ErrorCode::Internal, message}; }
};

template <typename T> using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> fail(ErrorCode code, const QString &message)
{
    return tl::unexpected<Error>(Error{code, message});
}

} // namespace herald
