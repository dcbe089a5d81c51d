// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/feedentry.h"
#include "store/digesttypes.h"
#include "store/inboxtypes.h"

#include <optional>

namespace herald::syncd {

class Preferences;

// What goes into a user's Atom feed (PROTOCOL.md, Delivery policy), pure: the notifications of
// the inbox whose delivery rule is `immediate` and lists the `feed` agent, one entry each (no
// rollups), the newest MaxEntries. Other entries (digests, once they are sent) join through
// merge(). Ids are URNs under a scope (the cluster's name, else "default"), so that every node
// of a cluster names a feed and its entries alike.
class FeedSelection
{
public:
    static constexpr int MaxEntries = 50;
    static const QString Agent; // "feed"

    explicit FeedSelection(const QString &scope);

    // Whether the feed agent gets `notification` at once under `preferences`.
    static bool admits(const Preferences &preferences, const Notification &notification);

    // The feed of `user` from their inbox window (newest first) under their preferences.
    Feed feed(const QString &user, const QList<InboxEntry> &window,
              const Preferences &preferences) const;
    // `feed` with `extra` entries among its own: the newest MaxEntries of both by `updated`
    // (ties by id, so that the order never changes), and `updated` moved to the newest.
    static Feed merge(Feed feed, const QList<FeedEntry> &extra);

    FeedEntry entryOf(const Notification &notification) const;
    // A sent digest as an entry, when the feed agent was one of its agents.
    std::optional<FeedEntry> entryOf(const SentDigest &digest) const;
    QString feedId(const QString &user) const;
    QString entryId(NotificationId id) const;

    // atom:updated of a feed without entries: fixed, so that its ETag stays put.
    static QDateTime emptyFeedUpdated();

private:
    QString m_scope; // percent-encoded
};

} // namespace herald::syncd
