// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"

#include <QDateTime>
#include <QMap>
#include <QString>

#include <optional>

namespace herald::client {

// How notifications of one channel reach the user.
enum class Delivery
{
    Popup,    // a desktop popup and the list
    ListOnly, // the list and the unread count, no popup
    Off,      // dropped on arrival
};

QString deliveryName(Delivery delivery); // "popup", "list", "off"
std::optional<Delivery> deliveryFromName(const QString &name);

// What happens to one arriving notification.
struct DeliveryDecision
{
    bool list = true;
    bool popup = true;
    friend bool operator==(const DeliveryDecision &, const DeliveryDecision &) = default;
};

// Per-channel delivery ("app/channel" → Delivery; Popup when not set) and do-not-disturb
// (until a time, or until turned off). A plain value type.
class DeliveryPreferences
{
public:
    // doNotDisturbUntil() for "until turned off".
    static const QDateTime Forever;

    Delivery delivery(const QString &application, const QString &channel) const;
    void setDelivery(const QString &channelKey, Delivery delivery);
    const QMap<QString, Delivery> &channels() const { return m_channels; }

    // Invalid: off. Forever: until turned off.
    QDateTime doNotDisturbUntil() const { return m_dndUntil; }
    void setDoNotDisturb(const QDateTime &until) { m_dndUntil = until; }
    bool isDoNotDisturbActive(const QDateTime &now) const;

    // Do-not-disturb keeps everything in the list and pops nothing.
    DeliveryDecision decide(const Notification &notification, const QDateTime &now) const;

    static QString channelKey(const QString &application, const QString &channel)
    {
        return application + u'/' + channel;
    }

private:
    QMap<QString, Delivery> m_channels;
    QDateTime m_dndUntil;
};

} // namespace herald::client
