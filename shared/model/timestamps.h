// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

namespace herald {

// RFC 3339 UTC with milliseconds, as PROTOCOL.md requires: 2026-11-22T12:00:00.123Z
QString toRfc3339(const QDateTime &time);
// The same text, written into `text` without an allocation (for encoders that write bytes),
// for the years 1 to 9999; false for other years and invalid times (toRfc3339 writes other
// years, through Qt).
using Rfc3339Text = char[sizeof "yyyy-MM-ddTHH:mm:ss.zzzZ"];
bool writeRfc3339(const QDateTime &time, Rfc3339Text &text);
// Whether writeRfc3339 writes `time`, without writing it.
bool hasRfc3339Text(const QDateTime &time);
// Accepts any RFC 3339 / ISO 8601 date-time with an offset or Z; nullopt when invalid.
std::optional<QDateTime> fromRfc3339(const QString &text);
// Now, in UTC, truncated to milliseconds.
QDateTime utcNow();

} // namespace herald
