// SPDX-License-Identifier: Apache-2.0
#include "deliverypreferences.h"

using namespace Qt::StringLiterals;

namespace herald::client {

const QDateTime DeliveryPreferences::Forever =
    QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59), Qt::UTC);

QString deliveryName(Delivery delivery)
{
    switch (delivery) {
    case Delivery::Popup:
        return u"popup"_s;
    case Delivery::ListOnly:
        return u"list"_s;
    case Delivery::Off:
        return u"off"_s;
    }
    return u"popup"_s;
}

std::optional<Delivery> deliveryFromName(const QString &name)
{
    if (name == u"popup"_s)
        return Delivery::Popup;
    if (name == u"list"_s)
        return Delivery::ListOnly;
    if (name == u"off"_s)
        return Delivery::Off;
    return std::nullopt;
}

Delivery DeliveryPreferences::delivery(const QString &application, const QString &channel) const
{
    return m_channels.value(channelKey(application, channel), Delivery::Popup);
}

void DeliveryPreferences::setDelivery(const QString &channelKey, Delivery delivery)
{
    if (delivery == Delivery::Popup)
        m_channels.remove(channelKey); // the default need not be stored
    else
        m_channels.insert(channelKey, delivery);
}

bool DeliveryPreferences::isDoNotDisturbActive(const QDateTime &now) const
{
    return m_dndUntil.isValid() && now < m_dndUntil;
}

DeliveryDecision DeliveryPreferences::decide(const Notification &notification,
                                             const QDateTime &now) const
{
    switch (delivery(notification.application, notification.channel)) {
    case Delivery::Off:
        return {false, false};
    case Delivery::ListOnly:
        return {true, false};
    case Delivery::Popup:
        break;
    }
    return {true, !isDoNotDisturbActive(now)};
}

} // namespace herald::client
