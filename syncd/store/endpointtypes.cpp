// SPDX-License-Identifier: Apache-2.0
#include "store/endpointtypes.h"

using namespace Qt::StringLiterals;

namespace herald::syncd {

QString deliveryStatusName(DeliveryStatus status)
{
    switch (status) {
    case DeliveryStatus::Pending:
        return u"pending"_s;
    case DeliveryStatus::Done:
        return u"done"_s;
    case DeliveryStatus::Failed:
        return u"failed"_s;
    }
    return {};
}

bool parseDeliveryStatus(const QString &name, DeliveryStatus *status)
{
    for (DeliveryStatus s :
         {DeliveryStatus::Pending, DeliveryStatus::Done, DeliveryStatus::Failed}) {
        if (name == deliveryStatusName(s)) {
            *status = s;
            return true;
        }
    }
    return false;
}

} // namespace herald::syncd
