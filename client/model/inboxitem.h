// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"

#include <QList>
#include <QString>

namespace herald::client {

// One item of the user's inbox as GET /api/v1/inbox answers it (PROTOCOL.md "Inbox"): a
// notification, or a rollup whose fields are those of its newest member.
struct InboxItem
{
    Notification notification; // a rollup's newest member
    bool seen = false;
    bool acknowledged = false;       // a rollup: every member is
    QList<NotificationId> memberIds; // a rollup's ids, newest first; empty for a single one
    QString rule;                    // the rollup rule's name; empty for a single one

    bool isRollup() const { return !memberIds.isEmpty(); }
    // What acknowledging or deleting the item touches: its members, or its own id.
    QList<NotificationId> ids() const
    {
        return isRollup() ? memberIds : QList<NotificationId>{notification.id};
    }
};

// One page of the inbox, newest first; next is the cursor of the page after it (0: the last).
struct InboxPage
{
    QList<InboxItem> items;
    NotificationId next = 0;
};

} // namespace herald::client
