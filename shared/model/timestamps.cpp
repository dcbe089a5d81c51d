// SPDX-License-Identifier: Apache-2.0
#include "timestamps.h"

#include <QTimeZone>

#include <cstring>

namespace herald {

namespace {
struct CivilDate
{
    qint64 year;
    int month;
    int day;
};

// The proleptic Gregorian date `days` after 1970-01-01, by 400-year eras (146,097 days each).
CivilDate civilFromDays(qint64 days)
{
    days += 719468; // from 0000-03-01, so a leap day ends its year
    const qint64 era = (days >= 0 ? days : days - 146096) / 146097;
    const qint64 dayOfEra = days - era * 146097;
    const qint64 yearOfEra =
        (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const qint64 dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const qint64 shiftedMonth = (5 * dayOfYear + 2) / 153; // March is 0
    const int day = int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1);
    const int month = int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
    return {yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

void putDigits(char *at, qint64 value, int width)
{
    for (int i = width - 1; i >= 0; --i, value /= 10)
        at[i] = char('0' + value % 10);
}

} // namespace

bool hasRfc3339Text(const QDateTime &time)
{
    // 0001-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: four-digit years.
    constexpr qint64 FirstMs = -62'135'596'800'000;
    constexpr qint64 LastMs = 253'402'300'799'999;
    if (!time.isValid())
        return false;
    const qint64 msecs = time.toMSecsSinceEpoch();
    return msecs >= FirstMs && msecs <= LastMs;
}

bool writeRfc3339(const QDateTime &time, Rfc3339Text &text)
{
    // Written by hand: QDateTime::toString parses its format and goes through QCalendar on
    // every call, and every notification sent or answered carries its time.
    if (!hasRfc3339Text(time))
        return false;
    const qint64 msecs = time.toMSecsSinceEpoch();
    constexpr qint64 msPerDay = 86'400'000;
    const qint64 days = msecs >= 0 ? msecs / msPerDay : (msecs - msPerDay + 1) / msPerDay;
    const qint64 msOfDay = msecs - days * msPerDay;
    const CivilDate date = civilFromDays(days);
    std::memcpy(text, "yyyy-MM-ddTHH:mm:ss.zzzZ", sizeof text);
    putDigits(text, date.year, 4);
    putDigits(text + 5, date.month, 2);
    putDigits(text + 8, date.day, 2);
    putDigits(text + 11, msOfDay / 3'600'000, 2);
    putDigits(text + 14, msOfDay / 60'000 % 60, 2);
    putDigits(text + 17, msOfDay / 1'000 % 60, 2);
    putDigits(text + 20, msOfDay % 1'000, 3);
    return true;
}

namespace {
QString rfc3339ByQt(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz'Z'"));
}
} // namespace

QString toRfc3339(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    Rfc3339Text text;
    return writeRfc3339(time, text) ? QString::fromLatin1(text, sizeof text - 1)
                                    : rfc3339ByQt(time);
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
