// SPDX-License-Identifier: Apache-2.0
#include "relativetime.h"

#include <QLocale>

namespace herald::client {

QString RelativeTime::format(const QDateTime &when, const QDateTime &now)
{
    if (!when.isValid())
        return {};
    const qint64 seconds = when.secsTo(now);
    if (seconds < 60)
        return tr("just now");
    if (seconds < 60 * 60)
        return tr("%n min ago", nullptr, int(seconds / 60));
    // Beyond an hour the calendar matters: "yesterday" is about dates, not 24 hours.
    const QDateTime localWhen = when.toLocalTime();
    const qint64 days = localWhen.date().daysTo(now.toLocalTime().date());
    if (days == 0)
        return tr("%n h ago", nullptr, int(seconds / 3600));
    if (days == 1)
        return tr("yesterday");
    if (days < 7)
        return QLocale().dayName(localWhen.date().dayOfWeek(), QLocale::LongFormat);
    return QLocale().toString(localWhen.date(), QLocale::ShortFormat);
}

} // namespace herald::client
