// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QIcon>
#include <QString>

namespace herald::client {

// What the tray icon shows.
enum class TrayState
{
    Connected,
    Offline, // connecting, waiting to reconnect, or the token was refused
    DoNotDisturb,
};

// Draws the tray icon from the SVGs in :/icons: the state's symbol and, when there are unread
// notifications, a badge with their number ("99+" beyond 99). Stateless.
class TrayIconRenderer
{
public:
    // The SVG resource of a state; with unread > 0 in Connected, the "unread" variant.
    static QString svgPath(TrayState state, int unread);
    // "connected", "unread", "offline", "dnd": for logs and the status query.
    static QString stateName(TrayState state, int unread);
    static QIcon icon(TrayState state, int unread);
    static QString badgeText(int unread);
};

} // namespace herald::client
