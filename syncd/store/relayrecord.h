// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"

#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace herald::syncd {

// Per origin node, the highest relay sequence held. A node always holds every record of an
// origin from 1 up to that number, so this vector says exactly what it has.
using HaveVector = QMap<int, qint64>;

// One entry of the peer relay: something that happened to a persistent notification on its
// origin node, numbered by that node. Applying a record twice changes nothing, and any order
// of the same set of records gives the same store (see RelayLogQueries::apply).
struct RelayRecord
{
    enum class Kind
    {
        Notification, // stored; the body travels with it while the notification exists
        Receipt,      // `user` acknowledged it at `timeMs`
        Deleted,
        // Inbox changes of `user` (schema 4): the seen cursor or the cleared floor moved up to
        // notificationId, or the user deleted notificationId from their own inbox.
        Seen,
        Hidden,
        Cleared,
        // `user`'s delivery preferences changed at timeMs (schema 10); they travel with the
        // record as they are when it is sent, and the newest change wins.
        Preferences,
        // A digest was sent to `user` at timeMs: the digest travels with the record (see
        // store/digestrecord.h), so that every node records it, drops its items from its own
        // queue and tells its sessions (only while the digest is fresh).
        Digest,
        // The outbox (schema 13; store/deliveryrecord.h): a delivery job made here, pending
        // jobs this node took over from a silent one, jobs this node finished. Every node
        // keeps a copy of every job, so that it can take over a silent node's.
        Job,
        JobsTaken,
        JobsDone
    };

    bool isAboutUser() const { return kind == Kind::Preferences || kind == Kind::Digest; }
    bool isDelivery() const
    {
        return kind == Kind::Job || kind == Kind::JobsTaken || kind == Kind::JobsDone;
    }

    bool isInboxChange() const
    {
        return kind == Kind::Seen || kind == Kind::Hidden || kind == Kind::Cleared;
    }

    int origin = 0;
    qint64 seq = 0;
    Kind kind = Kind::Notification;
    NotificationId notificationId = 0;
    QString user; // receipts and inbox changes
    qint64 timeMs = 0;
    // Notification records: the body, absent when it is gone at the sender (deleted or
    // expired, and the receiver gets or has the delete). Deleted records: the notification
    // as it was when known, so that clients can be told where it was.
    std::optional<Notification> notification;
    // Preferences records: the preferences (JSON) as the sender holds them; empty when the
    // sender has none any more (the user was deleted there). Digest records: the digest
    // (store/digestrecord.h); empty when the sender no longer holds it. Delivery records: their
    // jobs (store/deliveryrecord.h); a job record's is empty when the sender no longer has it.
    QString payload;
};

QString relayKindName(RelayRecord::Kind kind);
std::optional<RelayRecord::Kind> relayKindFromName(const QString &name);

// Where a record came from on this node: made here, or received over a peer link.
constexpr int LocalSource = 0;

// A record this node has just taken in, and what it means for its own clients.
struct AcceptedRecord
{
    RelayRecord record;
    int source = LocalSource; // the peer link it came over
    // The notification to show (Notification) or to take away (Deleted) on this node's
    // sessions; empty when there is nothing to tell them (already deleted, not yet known).
    std::optional<Notification> effect;
    // Preferences: whether this node now holds the record's preferences (false when it held
    // newer ones, or another node of its database wrote them), so its sessions are told.
    bool preferencesApplied = false;
    // Notification: stored in this node's database by this record (not by a node that shares
    // it), so that what this node does with a new notification (digest items) is done here.
    bool storedHere = false;
};

} // namespace herald::syncd
