// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/error.h"
#include "store/catalogqueries.h"
#include "store/digestqueries.h"
#include "store/inboxqueries.h"
#include "store/notificationqueries.h"
#include "store/outboxreplicaqueries.h"
#include "store/relayrecord.h"
#include "store/sqlconnection.h"
#include "store/transactioncache.h"

#include <QList>

namespace herald::syncd {

// The peer relay's record log (table relay_log) and the merge of records from other nodes.
// Records made here are numbered per origin node without gaps, in the transaction that makes
// the change, so a rolled-back change leaves no record. Every record taken in goes to the
// connection's RecordJournal, which hands it to the relay once the transaction commits.
class RelayLogQueries
{
public:
    RelayLogQueries(SqlConnection &connection, CatalogQueries &catalog,
                    NotificationQueries &notifications, InboxQueries &inbox, DigestQueries &digests,
                    OutboxReplicaQueries &outbox, int nodeId)
        : m_connection(connection), m_catalog(catalog), m_notifications(notifications),
          m_inbox(inbox), m_digests(digests), m_outbox(outbox), m_nodeId(nodeId),
          m_highestSeqs(connection)
    {
    }

    // Records a change made on this node. `notification`: the body (Notification records)
    // or the notification as it was (Deleted records).
    Result<void> recordLocal(RelayRecord::Kind kind, NotificationId id, const QString &user,
                             qint64 timeMs, std::optional<Notification> notification);
    // A Preferences or Digest record of `user`'s, made here at `timeMs`, carrying `payload`
    // (the preferences, the digest: store/digestrecord.h) to the peers. Returns its sequence.
    Result<qint64> recordForUser(RelayRecord::Kind kind, const QString &user,
                                 const QString &payload, qint64 timeMs);
    // A delivery record (Job, JobsTaken, JobsDone) made here at `timeMs`, carrying `payload`
    // (store/deliveryrecord.h) to the peers; `jobId`: a job record's job.
    Result<void> recordDelivery(RelayRecord::Kind kind, const QString &payload,
                                const QString &jobId, qint64 timeMs);

    Result<HaveVector> have();
    // Records beyond `have`, origin by origin, each origin's in sequence order; at most
    // `limit`. Notification records carry their body when the notification is still here,
    // digest records their digest when it is recorded here.
    Result<QList<RelayRecord>> after(const HaveVector &have, int limit);

    // Takes in records from a peer, each origin's in sequence order. A record already held
    // (several nodes on one database) is taken in again without changing anything, so that
    // this node's own clients still hear of it. A record past a gap in its origin's sequence
    // is skipped, with the rest of that origin's records in the call. The store then holds:
    // a notification when its record is here and no delete record for it is; a receipt when
    // its record and its notification are here (the earliest time of all its records), so the
    // order records come in never matters. Inbox changes only ever move a cursor up or add a
    // deletion, so they converge in any order too. A digest record drops the digest's items
    // from this node's queue and moves its run of the digest on (DigestQueries::applySent);
    // delivery records change this node's copy of the outbox (OutboxReplicaQueries).
    Result<QList<AcceptedRecord>> apply(const QList<RelayRecord> &records, int source);

private:
    Result<qint64> highestSeq(int origin);
    // `detail`: what the row keeps beside the record's fields (relay_log.detail).
    Result<void> insertRow(const RelayRecord &record, const QString &detail);
    Result<std::optional<Notification>> applyNotification(const RelayRecord &record);
    Result<void> applyReceipt(const RelayRecord &record);
    Result<std::optional<Notification>> applyDelete(const RelayRecord &record);
    Result<void> applyInboxChange(const RelayRecord &record);
    Result<void> applyDigest(const RelayRecord &record);
    Result<void> applyDelivery(const RelayRecord &record, const std::optional<DeliveryJob> &job);
    // What a record served to a peer carries beside its row: preferences, a digest, jobs.
    Result<void> fillPayload(RelayRecord &record, const QString &detail);
    // Whether the record's preferences are now this node's (newer than what it held).
    Result<bool> applyPreferences(const RelayRecord &record);
    Result<QString> storedPreferences(const QString &user); // empty: none
    Result<bool> hasDeleteRecord(NotificationId id);
    Result<void> ensureApplication(const QString &name);

    SqlConnection &m_connection;
    CatalogQueries &m_catalog;
    NotificationQueries &m_notifications;
    InboxQueries &m_inbox;
    DigestQueries &m_digests;
    OutboxReplicaQueries &m_outbox;
    const int m_nodeId;
    // By origin, read once per transaction: each local record of a batch takes the next.
    TransactionCache<int, qint64> m_highestSeqs;
};

} // namespace herald::syncd
