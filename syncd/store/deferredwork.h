// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/digesttypes.h"
#include "store/endpointtypes.h"

#include <QList>

namespace herald::syncd {

// A user's own delivery (their email agent): queued only while the user follows the
// notification's channel, as their inbox would show it (the core checks, at the store).
struct UserDelivery
{
    DeliveryJob job;
    QString user;
    QString application;
    QString channel;
};

// What a publish leaves for later, committed in the transaction that stores its notifications
// (all or nothing): the outbox's deliveries and the digests' items.
struct DeferredWork
{
    QList<DeliveryJob> jobs;
    QList<DigestItem> digestItems;
    QList<UserDelivery> userDeliveries;

    bool isEmpty() const
    {
        return jobs.isEmpty() && digestItems.isEmpty() && userDeliveries.isEmpty();
    }
};

} // namespace herald::syncd
