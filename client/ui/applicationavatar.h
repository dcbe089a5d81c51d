// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QColor>
#include <QString>

namespace herald::client {

// The stand-in for an application without an icon: its initials on a coloured circle. The
// colour depends on the name alone, so an application looks the same in every run and on
// every device (qHash is seeded per process, so it is not used here).
struct ApplicationAvatar
{
    // Up to two letters: the first letters of the first two words ("build-bot" -> "BB",
    // "grafana" -> "GR"); "?" for a name without letters or digits.
    static QString initials(const QString &application);
    // One colour of a fixed palette, all dark enough for white text.
    static QColor color(const QString &application);
};

} // namespace herald::client
