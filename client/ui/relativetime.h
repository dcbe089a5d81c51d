// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

namespace herald::client {

// How long ago something happened, the way a notification centre says it: "just now",
// "5 min ago", "3 h ago", "yesterday", a weekday within the week, a date beyond. A time in the
// future (a clock a little ahead) reads "just now".
class RelativeTime
{
    Q_DECLARE_TR_FUNCTIONS(herald::client::RelativeTime)

public:
    static QString format(const QDateTime &when, const QDateTime &now);
};

} // namespace herald::client
