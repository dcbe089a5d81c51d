// SPDX-License-Identifier: Apache-2.0
#include "deliverypreferences.h"

namespace herald::client {

const QDateTime DeliveryPreferences::Forever =
    QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59), Qt::UTC);

bool DeliveryPreferences::isDoNotDisturbActive(const QDateTime &now) const
{
    return m_dndUntil.isValid() && now < m_dndUntil;
}

DeliveryDecision DeliveryPreferences::decide(const Notification &notification,
                                             const QDateTime &now) const
{
    const PreferenceRule &rule =
        m_user.ruleFor(notification.application, notification.channel, notification.code);
    if (rule.delivery == PreferenceRule::Delivery::Off)
        return {false, false};
    return {true, rule.popsUp() && !isDoNotDisturbActive(now)};
}

} // namespace herald::client
