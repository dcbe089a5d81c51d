// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"

#include <QList>
#include <QString>

namespace herald::syncd {

// A user's own place in their inbox: every id up to `seenId` has been seen, nothing up to
// `clearedId` is in the inbox any more ("delete all"). Both only grow.
struct InboxState
{
    NotificationId seenId = 0;
    NotificationId clearedId = 0;
};

// One notification of a user's inbox, with that user's read state.
struct InboxEntry
{
    Notification notification;
    bool seen = false;
    bool acknowledged = false;
};

// A user's inbox as it stands: the newest `cap` notifications that belong to it (followed
// channels and addressed ones, not cleared, not expired), less the ones the user deleted;
// newest first.
struct InboxWindow
{
    QList<InboxEntry> entries;
    InboxState state;
};

struct InboxCounts
{
    qint64 unseen = 0;
    qint64 unacknowledged = 0;
};

// A rollup rule as stored: its name and the JSON object it was PUT as.
struct StoredRule
{
    QString name;
    QString json;
};

// One follow as stored: `channel` empty for the whole application; `sinceMs` when it was
// recorded (0: before schema 11).
struct FollowRow
{
    QString user;
    QString application;
    QString channel;
    qint64 sinceMs = 0;
    friend bool operator==(const FollowRow &, const FollowRow &) = default;
};

} // namespace herald::syncd
