// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/rolluprule.h"
#include "store/inboxtypes.h"

#include <QList>

namespace herald::syncd {

// One line of a user's inbox listing: a notification, or a rollup of several that one of
// the user's rules folded together. Its face is the newest member.
struct InboxItem
{
    InboxEntry newest;
    QList<NotificationId> ids; // the members, newest first; one for a plain notification
    bool acknowledged = false; // every member is
    QString rule;              // the rule that rolled it up; empty for a plain notification

    bool isRollup() const { return ids.size() > 1; }
    NotificationId id() const { return newest.notification.id; }
};

// Folds a user's inbox by their rollup rules, on read. Walking from the oldest, each
// notification joins the open group of the first rule (by name) that matches it, with the
// same matched value and the same seen state, while that group has fewer than maxSize members
// and began at most maxDuration before it; otherwise it opens a new group. Pure and
// deterministic: the same inbox and rules always give the same listing.
class RollupFolder
{
public:
    // `newestFirst`: the inbox entries as InboxQueries::window gives them. The items come out
    // newest first (by their newest member).
    static QList<InboxItem> fold(QList<InboxEntry> newestFirst, QList<RollupRule> rules);
};

} // namespace herald::syncd
