// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/error.h"

#include <QDateTime>
#include <QString>
#include <QTime>
#include <QTimeZone>

namespace herald::syncd {

// When a digest is due (PROTOCOL.md, Delivery policy): `hourly`, `daily@HH:MM` or
// `weekly@mon@HH:MM`, in the user's time zone. Pure.
class DigestSchedule
{
public:
    enum class Period
    {
        Hourly,
        Daily,
        Weekly
    };

    // Reads a schedule as PUT; errors say what is expected ("daily@HH:MM ...").
    static Result<DigestSchedule> parse(const QString &text);
    QString toString() const;
    Period period() const { return m_period; }

    // The first time the schedule is due strictly after `after`, as UTC. Local times that a
    // DST change skips are due at the first valid minute after them; local times it repeats
    // are due once, at their first occurrence.
    QDateTime nextAfter(const QDateTime &after, const QTimeZone &zone) const;

private:
    Period m_period = Period::Hourly;
    int m_weekday = 1; // Qt::DayOfWeek, Monday = 1
    QTime m_at{0, 0};
};

} // namespace herald::syncd
