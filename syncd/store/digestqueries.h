// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/error.h"
#include "store/digesttypes.h"
#include "store/sqlconnection.h"

#include <QList>

#include <optional>

namespace herald::syncd {

// The digest queue (schema 8): items collected per user and digest, when each digest is due
// and which node sends it, and what was sent. Works on a connection it does not own, on that
// connection's thread; every change in the caller's transaction.
class DigestQueries
{
public:
    explicit DigestQueries(SqlConnection &connection) : m_connection(connection) {}

    // Queues the items, each at most once per user, and starts the digests they belong to
    // (the caller keeps only items of channels their user follows, as the inbox does).
    Result<int> add(const QList<DigestItem> &items);
    // Digests of nodes not alive since `aliveSinceMs` (outbox_nodes, the nodes' shared
    // heartbeat) become `node`'s. Returns how many.
    Result<int> takeOver(int node, qint64 aliveSinceMs);
    // `node`'s digests due at `nowMs` (past their send_after_ms: due plus this node's wait in
    // a cluster), the longest overdue first; `user` (when set) narrows
    // to that user, and `force` takes theirs whether due or not.
    Result<QList<DueDigest>> due(int node, qint64 nowMs, int limit, const QString &user,
                                 bool force);
    // The other nodes that work on this database (their outbox heartbeats): they share its
    // queue of digests.
    Result<QList<int>> nodesSharingDatabase(int node);
    // The next time `node` sends one of its digests.
    Result<std::optional<qint64>> nextDue(int node);
    // Moves the digest on to its next period if it is still at `dueMs`, this node sending it
    // at `nextSendAfterMs`: false when another node sent it meanwhile.
    Result<bool> claim(const DueDigest &digest, qint64 nextDueMs, qint64 nextSendAfterMs);
    // This node sends the due digest not before `sendAfterMs` (its turn among the nodes).
    Result<void> postpone(const DueDigest &digest, qint64 sendAfterMs);
    // Takes the digest's items out of the queue: how many, from how many channels, and the
    // newest `keep` of them. One statement (DELETE ... RETURNING), so an item queued by
    // another node meanwhile is either taken or stays for the next period, never lost.
    Result<CollectedDigest> take(const QString &user, const QString &key, int keep);
    Result<void> record(const SentDigest &sent);
    // Whether a digest of this id (user, digest and period) is recorded as sent.
    Result<bool> wasSent(const QString &id);
    // The relay record that told the other nodes of the digest `id`.
    Result<void> setRelaySeq(const QString &id, qint64 seq);
    // A digest another node sent (its relay record): recorded as sent, its items dropped from
    // this node's queue, and this node's run of it moved past its period. False when it was
    // recorded already (this node sent the same period too, or heard of it before).
    Result<bool> applySent(const SentDigest &sent);
    // The digest `node` sent with its relay record `relaySeq`, for a peer that catches up.
    Result<std::optional<SentDigest>> sentBy(int node, qint64 relaySeq);
    // The end of the latest period of `user`'s digest `key` recorded as sent (here or by
    // another node whose record came); empty when none was.
    Result<std::optional<qint64>> lastPeriodEnd(const QString &user, const QString &key);
    // The newest `limit` digests sent to `user`, newest first.
    Result<QList<SentDigest>> sentTo(const QString &user, int limit);

private:
    SqlConnection &m_connection;
};

} // namespace herald::syncd
