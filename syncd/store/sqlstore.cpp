// SPDX-License-Identifier: Apache-2.0
#include "store/sqlstore.h"

#include "store/deliveryrecord.h"
#include "store/digestrecord.h"
#include "store/migrator.h"
#include "store/storelog.h"
#include "store/walsync.h"

using namespace Qt::StringLiterals;

namespace herald::syncd {

Result<std::unique_ptr<SqlStore>> SqlStore::open(const QString &database,
                                                 const StoreOptions &options)
{
    auto dialect = Dialect::forDatabase(database);
    if (!dialect)
        return tl::unexpected(dialect.error());
    auto connection = SqlConnection::open(std::move(*dialect));
    if (!connection)
        return tl::unexpected(connection.error());
    SqlConnection &c = **connection;
    if (auto configured = c.configure(options.synchronous); !configured)
        return tl::unexpected(configured.error());
    auto version = Migrator(c.db(), c.dialect()).migrate();
    if (!version)
        return tl::unexpected(version.error());

    std::unique_ptr<SqlStore> store(new SqlStore(std::move(*connection), options));
    store->m_schemaVersion = *version;
    qCDebug(lcStore) << "opened" << store->dialect().displayName() << "at schema version"
                     << *version;
    return store;
}

SqlStore::SqlStore(std::unique_ptr<SqlConnection> connection, StoreOptions options)
    : m_connection(std::move(connection)), m_options(std::move(options)), m_catalog(*m_connection),
      m_notifications(*m_connection, m_catalog), m_backlog(*m_connection),
      m_receipts(*m_connection), m_accounts(*m_connection), m_inbox(*m_connection),
      m_endpoints(*m_connection), m_outbox(*m_connection), m_outboxReplicas(*m_connection),
      m_digests(*m_connection), m_relayLog(*m_connection, m_catalog, m_notifications, m_inbox,
                                           m_digests, m_outboxReplicas, m_options.nodeId)
{
}

SqlStore::~SqlStore() = default;

int SqlStore::schemaVersion() const
{
    return m_schemaVersion;
}

Result<void> SqlStore::begin()
{
    return m_connection->begin();
}

Result<void> SqlStore::commit()
{
    return m_connection->commit();
}

void SqlStore::rollback()
{
    m_connection->rollback();
}

Result<void> SqlStore::savepoint(const QString &name)
{
    return m_connection->savepoint(name);
}

Result<void> SqlStore::releaseSavepoint(const QString &name)
{
    return m_connection->releaseSavepoint(name);
}

void SqlStore::rollbackToSavepoint(const QString &name)
{
    m_connection->rollbackToSavepoint(name);
}

Result<Application> SqlStore::upsertApplication(const Application &application)
{
    return finished(m_catalog.upsertApplication(application));
}

Result<std::optional<Application>> SqlStore::findApplication(const QString &name)
{
    return finished(m_catalog.findApplication(name));
}

Result<std::optional<qint64>> SqlStore::applicationRowId(const QString &name)
{
    return finished(m_catalog.applicationId(name));
}

Result<QList<Application>> SqlStore::applications()
{
    return finished(m_catalog.applications());
}

Result<bool> SqlStore::deleteApplication(const QString &name)
{
    bool deleted = false;
    auto done = m_connection->atomically([&]() -> Result<void> {
        auto removed = m_catalog.deleteApplication(name);
        if (!removed)
            return tl::unexpected(removed.error());
        deleted = *removed;
        return m_endpoints.removeBehaviorsOf(name);
    });
    if (!done)
        return finished(Result<bool>(tl::unexpected(done.error())));
    return finished(Result<bool>(deleted));
}

Result<Channel> SqlStore::upsertChannel(const Channel &channel)
{
    return finished(m_catalog.upsertChannel(channel));
}

Result<std::optional<Channel>> SqlStore::findChannel(const QString &application,
                                                     const QString &name)
{
    return finished(m_catalog.findChannel(application, name));
}

Result<QList<Channel>> SqlStore::channels(const QString &application)
{
    return finished(m_catalog.channels(application));
}

Result<QList<ChannelRow>> SqlStore::channelRows(int limit)
{
    return finished(m_catalog.channelRows(limit));
}

Result<void> SqlStore::insertNotifications(QList<Notification> &notifications)
{
    return finished(m_connection->atomically([&]() -> Result<void> {
        if (auto stored = m_notifications.insert(notifications, m_options.autoCreateChannels);
            !stored)
            return stored;
        for (const Notification &n : std::as_const(notifications)) {
            if (!n.persistent)
                continue;
            if (auto recorded = m_relayLog.recordLocal(RelayRecord::Kind::Notification, n.id, {},
                                                       n.time.toMSecsSinceEpoch(), n);
                !recorded)
                return recorded;
        }
        return {};
    }));
}

Result<std::optional<Notification>> SqlStore::findNotification(NotificationId id)
{
    return finished(m_notifications.find(id));
}

Result<bool> SqlStore::deleteNotification(NotificationId id)
{
    bool removed = false;
    auto done = m_connection->atomically([&]() -> Result<void> {
        auto found = m_notifications.find(id);
        if (!found)
            return tl::unexpected(found.error());
        if (!*found)
            return {};
        auto gone = m_notifications.remove(id);
        if (!gone)
            return tl::unexpected(gone.error());
        removed = *gone;
        return m_relayLog.recordLocal(RelayRecord::Kind::Deleted, id, {},
                                      QDateTime::currentMSecsSinceEpoch(), *found);
    });
    if (!done)
        return finished(Result<bool>(tl::unexpected(done.error())));
    return finished(Result<bool>(removed));
}

Result<QList<Notification>> SqlStore::backlog(const BacklogQuery &query)
{
    return finished(m_backlog.backlog(query, m_options.backlogScanLimit));
}

Result<qint64> SqlStore::countBacklog(const BacklogQuery &query, qint64 cap)
{
    return finished(m_backlog.countMatching(query, cap));
}

Result<NotificationPage> SqlStore::list(const ListQuery &query)
{
    return finished(m_notifications.list(query));
}

Result<qint64> SqlStore::countNotifications()
{
    return finished(m_notifications.count());
}

Result<ExpiredPurge> SqlStore::purgeExpired(const QDateTime &now, int limit)
{
    return finished(m_notifications.purgeExpired(now, limit));
}

Result<QList<NotificationId>>
SqlStore::acknowledge(const QString &user, const QList<NotificationId> &ids, const QDateTime &time)
{
    QList<NotificationId> acknowledged;
    // One time for the receipts and their records, so every node stores the same.
    const QDateTime at = time.isValid() ? time : QDateTime::currentDateTimeUtc();
    auto done = m_connection->atomically([&]() -> Result<void> {
        QList<NotificationId> added;
        auto visible = m_receipts.acknowledge(user, ids, at, &added);
        if (!visible)
            return tl::unexpected(visible.error());
        acknowledged = std::move(*visible);
        const qint64 ms = at.toMSecsSinceEpoch();
        for (NotificationId id : std::as_const(added)) {
            if (auto recorded =
                    m_relayLog.recordLocal(RelayRecord::Kind::Receipt, id, user, ms, std::nullopt);
                !recorded)
                return recorded;
        }
        return {};
    });
    if (!done)
        return finished(Result<QList<NotificationId>>(tl::unexpected(done.error())));
    return finished(Result<QList<NotificationId>>(std::move(acknowledged)));
}

Result<QList<Receipt>> SqlStore::receipts(const QString &user)
{
    return finished(m_receipts.receipts(user));
}

namespace {

// One inbox change and its relay record, in one transaction.
template <typename Change>
Result<bool> changeInbox(SqlConnection &connection, RelayLogQueries &relay, RelayRecord::Kind kind,
                         const QString &user, NotificationId id, Change change)
{
    bool changed = false;
    auto done = connection.atomically([&]() -> Result<void> {
        auto result = change();
        if (!result)
            return tl::unexpected(result.error());
        changed = *result;
        if (!changed)
            return {};
        return relay.recordLocal(kind, id, user, QDateTime::currentMSecsSinceEpoch(), std::nullopt);
    });
    if (!done)
        return tl::unexpected(done.error());
    return changed;
}

} // namespace

Result<void> SqlStore::putPreferences(const QString &user, const QString &json, qint64 nowMs)
{
    return finished(m_connection->atomically([&]() -> Result<void> {
        if (auto stored = m_accounts.putPreferences(user, json, nowMs); !stored)
            return stored;
        auto recorded = m_relayLog.recordForUser(RelayRecord::Kind::Preferences, user, json, nowMs);
        if (!recorded)
            return tl::unexpected(recorded.error());
        return {};
    }));
}

Result<void> SqlStore::relayDigest(const SentDigest &digest)
{
    return finished(m_connection->atomically([&]() -> Result<void> {
        auto seq = m_relayLog.recordForUser(RelayRecord::Kind::Digest, digest.user,
                                            digestRecordPayload(digest), digest.sentMs);
        if (!seq)
            return tl::unexpected(seq.error());
        return m_digests.setRelaySeq(digest.id, *seq);
    }));
}

namespace {

// Jobs per takeover or finish record: a record stays well under a peer frame's limit.
constexpr qsizetype JobsPerRecord = 200;

} // namespace

Result<void> SqlStore::addDeliveries(const QList<DeliveryJob> &jobs)
{
    if (jobs.isEmpty())
        return {};
    return finished(m_connection->atomically([&]() -> Result<void> {
        if (auto added = m_outbox.add(jobs); !added || !m_options.relayDeliveries)
            return added;
        for (const DeliveryJob &job : jobs) {
            if (auto recorded = m_relayLog.recordDelivery(
                    RelayRecord::Kind::Job, jobRecordPayload(job), job.id, job.createdMs);
                !recorded)
                return recorded;
        }
        return {};
    }));
}

Result<void> SqlStore::relayFinishedDeliveries(const QStringList &ids, qint64 nowMs)
{
    if (!m_options.relayDeliveries || ids.isEmpty())
        return {};
    return finished(m_connection->atomically([&]() -> Result<void> {
        auto finishedJobs = m_outbox.finished(ids);
        if (!finishedJobs)
            return tl::unexpected(finishedJobs.error());
        for (qsizetype at = 0; at < finishedJobs->size(); at += JobsPerRecord) {
            if (auto recorded = m_relayLog.recordDelivery(
                    RelayRecord::Kind::JobsDone,
                    doneRecordPayload(finishedJobs->mid(at, JobsPerRecord)), {}, nowMs);
                !recorded)
                return recorded;
        }
        return {};
    }));
}

Result<int> SqlStore::takeOverDeliveries(int from, int to, qint64 nowMs)
{
    int taken = 0;
    auto done = m_connection->atomically([&]() -> Result<void> {
        auto moved = m_outbox.takeOver(from, to);
        if (!moved)
            return tl::unexpected(moved.error());
        taken = int(moved->size());
        if (!m_options.relayDeliveries)
            return {};
        for (qsizetype at = 0; at < moved->size(); at += JobsPerRecord) {
            if (auto recorded = m_relayLog.recordDelivery(
                    RelayRecord::Kind::JobsTaken, takenRecordPayload(moved->mid(at, JobsPerRecord)),
                    {}, nowMs);
                !recorded)
                return recorded;
        }
        return {};
    });
    if (!done)
        return finished(Result<int>(tl::unexpected(done.error())));
    return finished(Result<int>(taken));
}

Result<bool> SqlStore::markInboxSeen(const QString &user, NotificationId upTo)
{
    return finished(changeInbox(*m_connection, m_relayLog, RelayRecord::Kind::Seen, user, upTo,
                                [&] { return m_inbox.advanceSeen(user, upTo); }));
}

Result<bool> SqlStore::hideInInbox(const QString &user, NotificationId id)
{
    return finished(changeInbox(*m_connection, m_relayLog, RelayRecord::Kind::Hidden, user, id,
                                [&] { return m_inbox.hide(user, id); }));
}

Result<bool> SqlStore::clearInbox(const QString &user, NotificationId upTo)
{
    return finished(changeInbox(*m_connection, m_relayLog, RelayRecord::Kind::Cleared, user, upTo,
                                [&] { return m_inbox.advanceCleared(user, upTo); }));
}

Result<std::unique_ptr<WalSync>> SqlStore::deferFullSync()
{
    return m_connection->dialect().deferFullSync(m_connection->db());
}

void SqlStore::setRelaySink(RecordJournal::Sink sink)
{
    m_connection->journal().setSink(std::move(sink));
}

Result<HaveVector> SqlStore::relayHave()
{
    return finished(m_relayLog.have());
}

Result<QList<RelayRecord>> SqlStore::relayRecordsAfter(const HaveVector &have, int limit)
{
    return finished(m_relayLog.after(have, limit));
}

Result<QList<AcceptedRecord>> SqlStore::applyRelayRecords(const QList<RelayRecord> &records,
                                                          int source)
{
    return finished(m_relayLog.apply(records, source));
}

Result<void> SqlStore::createUser(const QString &name)
{
    return finished(m_accounts.createUser(name));
}

Result<bool> SqlStore::userExists(const QString &name)
{
    return finished(m_accounts.userExists(name));
}

Result<QStringList> SqlStore::users()
{
    return finished(m_accounts.users());
}

Result<qint64> SqlStore::insertToken(const TokenRecord &token)
{
    return finished(m_accounts.insertToken(token));
}

Result<std::optional<TokenRecord>> SqlStore::findTokenByHash(const QByteArray &hash)
{
    return finished(m_accounts.findTokenByHash(hash));
}

Result<bool> SqlStore::deleteToken(qint64 id)
{
    bool deleted = false;
    auto done = m_connection->atomically([&]() -> Result<void> {
        auto result = m_accounts.deleteToken(id);
        if (!result)
            return tl::unexpected(result.error());
        deleted = *result;
        return {};
    });
    if (!done)
        return finished(Result<bool>(tl::unexpected(done.error())));
    return finished(Result<bool>(deleted));
}

Result<QList<qint64>> SqlStore::deleteUser(const QString &name)
{
    QList<qint64> revoked;
    auto done = m_connection->atomically([&]() -> Result<void> {
        auto result = m_accounts.deleteUser(name);
        if (!result)
            return tl::unexpected(result.error());
        revoked = *result;
        return {};
    });
    if (!done)
        return finished(Result<QList<qint64>>(tl::unexpected(done.error())));
    return finished(Result<QList<qint64>>(revoked));
}

Result<QList<TokenRevocation>> SqlStore::revocationsSince(qint64 sinceMs)
{
    return finished(m_accounts.revocationsSince(sinceMs));
}

Result<void> SqlStore::purgeRevocations(qint64 beforeMs)
{
    return finished(m_accounts.purgeRevocations(beforeMs));
}

Result<QList<TokenRecord>> SqlStore::tokens()
{
    return finished(m_accounts.tokens());
}

} // namespace herald::syncd
