// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"
#include "model/userpreferences.h"

#include <QDateTime>

namespace herald::client {

// What happens to one arriving notification.
struct DeliveryDecision
{
    bool list = true;
    bool popup = true;
    friend bool operator==(const DeliveryDecision &, const DeliveryDecision &) = default;
};

// How notifications reach the user on this device: the user's delivery preferences (the
// server's, the same on every device) and this device's do-not-disturb (until a time, or until
// turned off). A plain value type.
class DeliveryPreferences
{
public:
    // doNotDisturbUntil() for "until turned off".
    static const QDateTime Forever;

    const UserPreferences &user() const { return m_user; }
    void setUser(const UserPreferences &user) { m_user = user; }

    // Invalid: off. Forever: until turned off.
    QDateTime doNotDisturbUntil() const { return m_dndUntil; }
    void setDoNotDisturb(const QDateTime &until) { m_dndUntil = until; }
    bool isDoNotDisturbActive(const QDateTime &now) const;

    // The notification's rule decides, the way the server does (an older server pushes
    // everything, so the client applies it too): `off` is neither listed nor popped up; a rule
    // without the desktop agent, or a digest, lists it without a popup. Do-not-disturb keeps
    // everything in the list and pops nothing.
    DeliveryDecision decide(const Notification &notification, const QDateTime &now) const;

private:
    UserPreferences m_user;
    QDateTime m_dndUntil;
};

} // namespace herald::client
