// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"

#include <QList>
#include <QString>
#include <QVariant>

namespace herald::client {

// One notification row of the list.
struct ListItem
{
    Notification notification;
    bool unread = true;

    // The value of a notification row for NotificationListModel's columns and roles.
    QVariant data(int column, int role) const;
};

// One top-level row of the list: a channel's notifications, or a rollup of the server's inbox
// (rollupId set) whose rows are the members this client has.
struct ListGroup
{
    QString application;
    QString channel;
    QList<ListItem> items; // newest (highest id) first
    int unread = 0;        // unread rows
    // A rollup: its newest member's id, its rule, all its ids (newest first, also those this
    // client has no row for), its newest title, and whether the server says every member is
    // acknowledged. 0 on a channel's group.
    NotificationId rollupId = 0;
    QString rule;
    QList<NotificationId> memberIds;
    QString newestTitle;
    bool acknowledged = true;

    bool isRollup() const { return rollupId != 0; }
    // A rollup is unread while the server has not seen every member acknowledged.
    bool hasUnread() const { return unread > 0 || (isRollup() && !acknowledged); }
    // The value of the group's row for NotificationListModel's columns and roles.
    QVariant data(int column, int role) const;
};

} // namespace herald::client
