// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"

#include <QString>

namespace herald {

// What a rollup rule (PROTOCOL.md, Inbox) takes in and what its members share: one
// definition for the daemon, which folds the inbox by it, and the tray client, which shows
// one popup for a burst the server will fold.
struct RollupMatch
{
    QString application;
    QString channel; // empty: any
    QString code;    // empty: any
    // "tags.<key>", "code", "channel", "level", "priority" or "title"; empty: all alike.
    QString matchOn;

    bool matches(const Notification &notification) const;
    // The value notifications must share to fold together.
    QString groupValue(const Notification &notification) const;
};

} // namespace herald
