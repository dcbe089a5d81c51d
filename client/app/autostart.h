// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace herald::client {

// Start on login: on Linux an XDG autostart file (~/.config/autostart/herald.desktop, following
// XDG_CONFIG_HOME); on Windows the per-user Run key (untested here: no Windows builder). Plain
// value type.
class Autostart
{
public:
    // command: the program to start, usually QCoreApplication::applicationFilePath().
    explicit Autostart(QString command);

    bool isEnabled() const;
    // False when the file or key could not be written or removed.
    bool setEnabled(bool enabled);

    // Where the Linux autostart file lives.
    static QString desktopFilePath();

private:
    QString m_command;
};

} // namespace herald::client
