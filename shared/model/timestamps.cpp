// SPDX-License-Identifier: Apache-2.0
#include "timestamps.h"

#include <QTimeZone>

namespace herald {

QString toRfc3339(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz'Z'"));
}

std::optional<QDateTime> fromRfc3339(const QString &text)
{
    QDateTime parsed = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!parsed.isValid() || parsed.timeSpec() == Qt::LocalTime)
        return std::nullopt;
    // An offset can move a time out of the four-digit years that toRfc3339 writes
    // (9999-12-31T23:59:59-12:00 is in the year 10000 in UTC): it could be read, never written.
    const QDateTime utc = parsed.toUTC();
    if (utc.date().year() < 1 || utc.date().year() > 9999)
        return std::nullopt;
    return utc;
}

QDateTime utcNow()
{
    return QDateTime::fromMSecsSinceEpoch(QDateTime::currentMSecsSinceEpoch(), Qt::UTC);
}

} // namespace herald
