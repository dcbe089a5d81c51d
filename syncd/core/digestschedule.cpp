// SPDX-License-Identifier: Apache-2.0
#include "core/digestschedule.h"

#include <QRegularExpression>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

const QStringList Weekdays = {u"mon"_s, u"tue"_s, u"wed"_s, u"thu"_s, u"fri"_s, u"sat"_s, u"sun"_s};

// The local wall-clock time `date` `time` in `zone`; a time a DST change skips (Qt makes it
// invalid) moves to the first minute after the gap.
QDateTime localAt(const QDate &date, const QTime &time, const QTimeZone &zone)
{
    QDateTime local(date, time, zone);
    for (int minutes = 1; minutes <= 180 && !local.isValid(); ++minutes)
        local = QDateTime(date, time.addSecs(minutes * 60), zone);
    return local;
}

} // namespace

Result<DigestSchedule> DigestSchedule::parse(const QString &text)
{
    static const QRegularExpression daily(u"^daily@([01][0-9]|2[0-3]):([0-5][0-9])$"_s);
    static const QRegularExpression weekly(
        u"^weekly@(mon|tue|wed|thu|fri|sat|sun)@([01][0-9]|2[0-3]):([0-5][0-9])$"_s);
    DigestSchedule s;
    if (text == u"hourly")
        return s;
    if (const auto m = daily.match(text); m.hasMatch()) {
        s.m_period = Period::Daily;
        s.m_at = QTime(m.captured(1).toInt(), m.captured(2).toInt());
        return s;
    }
    if (const auto m = weekly.match(text); m.hasMatch()) {
        s.m_period = Period::Weekly;
        s.m_weekday = int(Weekdays.indexOf(m.captured(1))) + 1;
        s.m_at = QTime(m.captured(2).toInt(), m.captured(3).toInt());
        return s;
    }
    return fail(ErrorCode::BadRequest,
                u"hourly, daily@HH:MM or weekly@DAY@HH:MM (DAY: mon to sun), not '%1'"_s.arg(text));
}

QString DigestSchedule::toString() const
{
    const QString at = m_at.toString(u"HH:mm"_s);
    switch (m_period) {
    case Period::Hourly:
        return u"hourly"_s;
    case Period::Daily:
        return u"daily@"_s + at;
    case Period::Weekly:
        return u"weekly@%1@%2"_s.arg(Weekdays.at(m_weekday - 1), at);
    }
    return {};
}

QDateTime DigestSchedule::nextAfter(const QDateTime &after, const QTimeZone &zone) const
{
    const QDateTime utc = after.toUTC();
    if (m_period == Period::Hourly) {
        // On the hour in UTC: every zone's hours start then, but for the few zones with
        // offsets of 30 or 45 minutes, whose digests come at :30 or :45 of their clock.
        const QDateTime hour(utc.date(), QTime(utc.time().hour(), 0), Qt::UTC);
        return hour.addSecs(3600);
    }
    const QDate today = utc.toTimeZone(zone).date();
    // Today or later (a week at most, and a day more for a DST repeat).
    for (int days = 0; days <= 8; ++days) {
        const QDate date = today.addDays(days);
        if (m_period == Period::Weekly && date.dayOfWeek() != m_weekday)
            continue;
        const QDateTime due = localAt(date, m_at, zone);
        if (due.toUTC() > utc)
            return due.toUTC();
    }
    return {};
}

} // namespace herald::syncd
