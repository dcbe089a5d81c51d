// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/application.h"
#include "model/notification.h"
#include "model/receipt.h"
#include "protocol/error.h"
#include "store/accountqueries.h"
#include "store/backlogqueries.h"
#include "store/catalogqueries.h"
#include "store/dialect.h"
#include "store/digestqueries.h"
#include "store/endpointqueries.h"
#include "store/inboxqueries.h"
#include "store/notificationqueries.h"
#include "store/outboxqueries.h"
#include "store/receiptqueries.h"
#include "store/relaylogqueries.h"
#include "store/sqlconnection.h"
#include "store/storetypes.h"

#include <QSqlDatabase>

#include <memory>

namespace herald::syncd {

struct StoreOptions
{
    // "FULL" (default: a 201 survives a power cut) or "NORMAL" (survives a crash of the
    // process, not of the machine). PostgreSQL: synchronous_commit on or off.
    QString synchronous = QStringLiteral("FULL");
    bool autoCreateChannels = true;
    int backlogScanLimit = 5000; // rows of the subscribed channels a backlog query looks at
    int nodeId = 0;              // the origin of the relay records this store makes
    // In a cluster: outbox jobs, takeovers and finishes become relay records too, so that
    // nodes with their own databases keep a copy of every job (addDeliveries).
    bool relayDeliveries = false;
};

// Herald's storage on one QSqlDatabase connection: catalog, notifications, receipts, users,
// tokens. Synchronous; owned and used by exactly one thread (a QSqlDatabase connection belongs
// to the thread that opened it). StoreThread runs it for the daemon; the command line and the
// unit tests use it directly. Every method returns an Error (never throws) and, on error,
// leaves the database as it was (callers group many calls in one transaction; see
// StoreThread).
class SqlStore
{
public:
    // `database` is a file path (SQLite; created if missing) or
    // postgresql://user[:password]@host[:port]/dbname (see PostgresDialect). Opens,
    // configures (SQLite: WAL, synchronous, foreign keys, busy timeout; PostgreSQL:
    // synchronous_commit, lock_timeout) and migrates. A database newer than this binary is
    // refused with ErrorCode::Unavailable and a message saying both versions. Other
    // processes may use the same database at the same time (several nodes on one
    // PostgreSQL database, or a command-line tool next to the daemon).
    static Result<std::unique_ptr<SqlStore>> open(const QString &database,
                                                  const StoreOptions &options = {});
    ~SqlStore();
    SqlStore(const SqlStore &) = delete;
    SqlStore &operator=(const SqlStore &) = delete;

    int schemaVersion() const;
    const Dialect &dialect() const { return m_connection->dialect(); }
    QSqlDatabase &database() { return m_connection->db(); }

    // --- transactions (StoreThread groups many operations in one; each in a savepoint).
    // Without an open transaction every method commits on its own. Savepoint names are
    // identifiers ([A-Za-z_][A-Za-z0-9_]*).
    Result<void> begin();
    Result<void> commit();
    // Where the database allows it (SQLite in WAL mode at synchronous=FULL, on Linux): from
    // now on commits do not wait for the disk, and the caller syncs with the WalSync
    // returned before it tells anyone of a commit. Null where it does not.
    Result<std::unique_ptr<WalSync>> deferFullSync();
    void rollback();
    Result<void> savepoint(const QString &name);
    Result<void> releaseSavepoint(const QString &name);
    void rollbackToSavepoint(const QString &name);

    // --- catalog
    Result<Application> upsertApplication(const Application &application); // fills rowId
    Result<std::optional<Application>> findApplication(const QString &name);
    // Its row id alone; remembered for the rest of the transaction (free after upsertChannel).
    Result<std::optional<qint64>> applicationRowId(const QString &name);
    Result<QList<Application>> applications();
    // With its channels, notifications and behaviour groups.
    Result<bool> deleteApplication(const QString &name);
    // The application must exist (NotFound naming "application" otherwise).
    Result<Channel> upsertChannel(const Channel &channel);
    Result<std::optional<Channel>> findChannel(const QString &application, const QString &name);
    Result<QList<Channel>> channels(const QString &application = {}); // empty: all
    Result<QList<ChannelRow>> channelRows(int limit);                 // CatalogQueries::channelRows

    // --- notifications
    // Stores persistent ones (all or nothing), filling applicationId/channelId of every item
    // (transient ones too, without storing them). Unknown application: NotFound
    // ("[i].application"); unknown channel: created when autoCreateChannels, NotFound
    // ("[i].channel") otherwise. Id collision: Conflict.
    Result<void> insertNotifications(QList<Notification> &notifications);
    Result<std::optional<Notification>> findNotification(NotificationId id);
    Result<bool> deleteNotification(NotificationId id); // with its receipts
    // See BacklogQuery. Looks only at the newest backlogScanLimit rows (newer than afterId)
    // of the subscribed channels, so a user who acknowledged all of them gets nothing older,
    // and the cost stays bounded however many rows are stored.
    Result<QList<Notification>> backlog(const BacklogQuery &query);
    // How many the backlog would hold without its limit, up to `cap` (a resume that missed
    // more than one backlog carries says how many).
    Result<qint64> countBacklog(const BacklogQuery &query, qint64 cap);
    // See ListQuery: newest first, each with the user's acknowledged flag.
    Result<NotificationPage> list(const ListQuery &query);
    Result<qint64> countNotifications();
    // Removes up to `limit` notifications whose expiresAt has passed (expiresAt <= now), the
    // earliest expired first, in one transaction.
    Result<ExpiredPurge> purgeExpired(const QDateTime &now, int limit = 500);

    // --- receipts: idempotent. Returns the ids among `ids` that exist, are persistent and are
    // visible to `user` (all of them now acknowledged), in the order given; others are ignored.
    Result<QList<NotificationId>> acknowledge(const QString &user, const QList<NotificationId> &ids,
                                              const QDateTime &time);
    Result<QList<Receipt>> receipts(const QString &user); // all of one user, by id

    // --- peer relay (see RelayLogQueries). Stored notifications, new receipts and deletes
    // made through this store become relay records of options.nodeId; once their
    // transaction commits they go to the sink (on the store's thread), with the records
    // taken in by applyRelayRecords().
    void setRelaySink(RecordJournal::Sink sink);
    // For StoreThread with WalSync: committed records wait in takeCommittedRelayRecords()
    // until the commit is on disk, and the sink is called from whichever thread hands them on.
    void holdCommittedRelayRecords(bool hold) { m_connection->journal().holdCommitted(hold); }
    RecordJournal::Committed takeCommittedRelayRecords()
    {
        return m_connection->journal().takeCommitted();
    }
    Result<HaveVector> relayHave();
    Result<QList<RelayRecord>> relayRecordsAfter(const HaveVector &have, int limit);
    Result<QList<AcceptedRecord>> applyRelayRecords(const QList<RelayRecord> &records, int source);

    // --- inboxes (see InboxQueries): reads and a user's own settings through `work`. The
    // three changes other nodes must learn of become relay records of this node with them;
    // each is true when it changed something.
    template <typename F> auto inbox(F &&work) { return finished(work(m_inbox)); }
    Result<bool> markInboxSeen(const QString &user, NotificationId upTo);
    Result<bool> hideInInbox(const QString &user, NotificationId id);
    Result<bool> clearInbox(const QString &user, NotificationId upTo);
    // A user's delivery preferences (JSON) changed at `nowMs`, with the relay record that
    // takes them to the other nodes.
    Result<void> putPreferences(const QString &user, const QString &json, qint64 nowMs);
    // A digest this node recorded as sent, for the peers: they record it, drop its items from
    // their queues and tell their sessions.
    Result<void> relayDigest(const SentDigest &digest);

    // --- routing to endpoints (see EndpointQueries) and the outbox of deliveries (see
    // OutboxQueries; jobs are added in the operation that stores their notifications).
    template <typename F> auto endpoints(F &&work) { return finished(work(m_endpoints)); }
    template <typename F> auto outbox(F &&work) { return finished(work(m_outbox)); }
    // Adds jobs to the outbox (in the operation that stores their notifications), each with
    // its relay record when options.relayDeliveries.
    Result<void> addDeliveries(const QList<DeliveryJob> &jobs);
    // Jobs this node just finished (done, or failed for good): the relay record that tells
    // the peers, when options.relayDeliveries.
    Result<void> relayFinishedDeliveries(const QStringList &ids, qint64 nowMs);
    // Moves `from`'s pending jobs to `to` (this node), with the relay records that say so when
    // options.relayDeliveries; how many moved.
    Result<int> takeOverDeliveries(int from, int to, qint64 nowMs);
    // --- digests (see DigestQueries; items are added in the operation that stores their
    // notifications)
    template <typename F> auto digests(F &&work) { return finished(work(m_digests)); }

    // --- users and tokens
    Result<void> createUser(const QString &name); // Conflict when it exists
    Result<bool> userExists(const QString &name);
    // A user's delivery preferences (see AccountQueries).
    template <typename F> auto accounts(F &&work) { return finished(work(m_accounts)); }
    Result<QStringList> users();
    Result<qint64> insertToken(const TokenRecord &token); // returns its id
    Result<std::optional<TokenRecord>> findTokenByHash(const QByteArray &hash);
    // Deletes the token and records its revocation, in one transaction. False when there is
    // no such token.
    Result<bool> deleteToken(qint64 id);
    // Deletes the user, their tokens (recording each revocation) and their read state, in one
    // transaction; the ids of the revoked tokens. NotFound when there is no such user.
    Result<QList<qint64>> deleteUser(const QString &name);
    Result<QList<TokenRecord>> tokens();
    // Revocations recorded at or after sinceMs (by whoever made them), oldest first.
    Result<QList<TokenRevocation>> revocationsSince(qint64 sinceMs);
    Result<void> purgeRevocations(qint64 beforeMs);

private:
    SqlStore(std::unique_ptr<SqlConnection> connection, StoreOptions options);
    // Every public operation ends here: no statement stays open between operations.
    template <typename T> T finished(T result)
    {
        m_connection->finishStatements();
        return result;
    }

    std::unique_ptr<SqlConnection> m_connection;
    StoreOptions m_options;
    int m_schemaVersion = 0;
    // Declared after m_connection: they hold a reference to it and go first.
    CatalogQueries m_catalog;
    NotificationQueries m_notifications;
    BacklogQueries m_backlog;
    ReceiptQueries m_receipts;
    AccountQueries m_accounts;
    InboxQueries m_inbox;
    EndpointQueries m_endpoints;
    OutboxQueries m_outbox;
    OutboxReplicaQueries m_outboxReplicas;
    DigestQueries m_digests;
    RelayLogQueries m_relayLog;
};

} // namespace herald::syncd
