// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/messages.h"
#include "store/inboxtypes.h"

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <mutex>
#include <optional>

namespace herald::syncd {

// What every user follows (PROTOCOL.md, Inbox), in memory, for the publish path: a digest item
// or a mail is made only for a user who follows the notification's channel, and knowing here
// that a user does not spares the publish a store transaction (a transient one then skips the
// store altogether).
//
// The store stays the judge: what the book lets through is checked again in the publish's
// transaction, so a follow the book still holds after it was removed costs only that check.
// What the book must not miss is a follow added: this node's come in as they are committed
// (FollowRecorder, a PUT of the subscriptions), other nodes' of the same database within a
// second (FollowBookLoader). Until its first load the book knows nothing and drops nothing.
//
// Thread-safe.
class FollowBook
{
public:
    // Every follow in the store; the book is loaded from then on. Follows added before are kept.
    void load(const QList<FollowRow> &rows);
    void add(const QList<FollowRow> &rows);
    void add(const QString &user, const QList<Subscription> &subscriptions);
    // A user's follows are now exactly these (a PUT of the subscriptions).
    void replace(const QString &user, const QList<Subscription> &subscriptions);
    void forget(const QString &user);
    bool isLoaded() const;

    // The users who follow a channel: those of that channel and those of its whole
    // application, each list sorted (copies share the lists: taking them costs nothing).
    struct Followers
    {
        QStringList ofChannel;
        QStringList ofApplication;

        bool isEmpty() const { return ofChannel.isEmpty() && ofApplication.isEmpty(); }
        // At most this many users (one in both lists counts twice).
        qsizetype size() const { return ofChannel.size() + ofApplication.size(); }
        bool contains(const QString &user) const;
        // Each user once.
        template <typename Visit> void forEach(Visit visit) const
        {
            for (const QString &user : ofApplication)
                visit(user);
            for (const QString &user : ofChannel) {
                if (!std::binary_search(ofApplication.cbegin(), ofApplication.cend(), user))
                    visit(user);
            }
        }
    };
    // Nullopt until the book is loaded (anyone may follow): the publish path asks this once
    // per notification, and walks the shorter of it and the users whose preferences could
    // want the notification.
    std::optional<Followers> followersOf(const QString &application, const QString &channel) const;

private:
    struct Follow
    {
        QString application;
        QString channel; // empty: every channel of the application
    };
    // With `unsorted`, the user goes to the end of the channel's followers and the channel
    // into `unsorted`: the caller sorts those lists.
    void addLocked(const QString &user, const QString &application, const QString &channel,
                   QSet<std::pair<QString, QString>> *unsorted = nullptr);
    void addLocked(const QString &user, const QList<Subscription> &subscriptions);
    void forgetLocked(const QString &user);
    QStringList followersLocked(const QString &application, const QString &channel) const;

    mutable std::mutex m_mutex;
    // A user follows a handful of channels: a short sorted list each costs far less than a
    // hash of hashes (Qt's hashes reserve room for dozens of entries on their first insert),
    // and a user following thousands still costs a binary search.
    QHash<QString, QList<Follow>> m_byUser;
    // Who follows each channel (the empty one: the whole application), by application, each
    // sorted; kept with m_byUser.
    QHash<QString, QHash<QString, QStringList>> m_followers;
    bool m_loaded = false;
};

} // namespace herald::syncd
