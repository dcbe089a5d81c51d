// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

namespace herald::syncd {

// A category of a feed entry (Atom's atom:category): what it is filed under, in which scheme.
struct FeedCategory
{
    QString scheme; // an IRI naming the kind of term ("urn:herald:application")
    QString term;

    friend bool operator==(const FeedCategory &, const FeedCategory &) = default;
};

// One entry of a user's Atom feed (PROTOCOL.md, Delivery policy): a notification that the
// feed agent gets, or anything else that is to appear there (a sent digest, later). Plain
// data; how it is written is the writer's business.
struct FeedEntry
{
    QString id;          // the entry's Atom id: an IRI that never changes and is never reused
    QString title;       // never empty
    QString content;     // plain text
    QString link;        // the page it is about; empty: none
    QDateTime published; // UTC
    QDateTime updated;   // UTC; entries are ordered by it, newest first
    QList<FeedCategory> categories;

    friend bool operator==(const FeedEntry &, const FeedEntry &) = default;
};

// A user's feed as it stands: what atom:feed says of itself, and its entries, newest first.
struct Feed
{
    QString id; // stable per user
    QString title;
    QString user;
    QDateTime updated; // the newest entry's, or FeedSelection::emptyFeedUpdated()
    QList<FeedEntry> entries;
};

} // namespace herald::syncd
