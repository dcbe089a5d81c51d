// SPDX-License-Identifier: Apache-2.0
#include "notification.h"

namespace herald {

QString priorityName(Priority priority)
{
    switch (priority) {
    case Priority::Low:
        return QStringLiteral("low");
    case Priority::Normal:
        return QStringLiteral("normal");
    case Priority::High:
        return QStringLiteral("high");
    case Priority::Urgent:
        return QStringLiteral("urgent");
    }
    return QStringLiteral("normal");
}

std::optional<Priority> priorityFromName(const QString &name)
{
    for (Priority p : {Priority::Low, Priority::Normal, Priority::High, Priority::Urgent}) {
        if (priorityName(p) == name)
            return p;
    }
    return std::nullopt;
}

} // namespace herald
