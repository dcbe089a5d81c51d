// SPDX-License-Identifier: Apache-2.0
#include "store/relaylogqueries.h"

#include "model/application.h"
#include "store/deliveryrecord.h"
#include "store/digestrecord.h"

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

// The earliest acknowledgement wins, whichever record arrives first.
const QString KeepEarliestReceipt =
    u" ON CONFLICT (user_name, notification_id) DO UPDATE SET time_ms = CASE WHEN "
    "excluded.time_ms < receipts.time_ms THEN excluded.time_ms ELSE receipts.time_ms END"_s;

// What relay_log keeps of a record beside its row: the jobs of a takeover or finish record.
// (A job record's row keeps its job's id: the job is read from deliveries when it is served.)
QString detailOf(const RelayRecord &record)
{
    return record.kind == RelayRecord::Kind::JobsTaken || record.kind == RelayRecord::Kind::JobsDone
               ? record.payload
               : QString();
}

} // namespace

Result<qint64> RelayLogQueries::highestSeq(int origin)
{
    if (const qint64 *known = m_highestSeqs.find(origin))
        return *known;
    auto found =
        m_connection.readInteger(u"SELECT MAX(seq) FROM relay_log WHERE origin = ?"_s, {origin});
    if (!found)
        return tl::unexpected(found.error());
    const qint64 highest = found->value_or(0);
    m_highestSeqs.insert(origin, highest);
    return highest;
}

Result<void> RelayLogQueries::insertRow(const RelayRecord &record, const QString &detail)
{
    static const QString insert = u"INSERT INTO relay_log (origin, seq, kind, notification_id, "
                                  "user_name, time_ms, detail) VALUES (?, ?, ?, ?, ?, ?, ?)"_s;
    auto inserted =
        m_connection.write(insert, {record.origin, record.seq, relayKindName(record.kind),
                                    record.notificationId, record.user, record.timeMs, detail});
    if (!inserted)
        return tl::unexpected(inserted.error());
    if (const qint64 *known = m_highestSeqs.find(record.origin); known && *known < record.seq)
        m_highestSeqs.insert(record.origin, record.seq);
    return {};
}

Result<void> RelayLogQueries::recordLocal(RelayRecord::Kind kind, NotificationId id,
                                          const QString &user, qint64 timeMs,
                                          std::optional<Notification> notification)
{
    auto highest = highestSeq(m_nodeId);
    if (!highest)
        return tl::unexpected(highest.error());
    RelayRecord record{m_nodeId, *highest + 1, kind, id, user, timeMs, std::move(notification)};
    if (auto inserted = insertRow(record, {}); !inserted)
        return inserted;
    m_connection.journal().append(AcceptedRecord{std::move(record), LocalSource, std::nullopt});
    return {};
}

Result<qint64> RelayLogQueries::recordForUser(RelayRecord::Kind kind, const QString &user,
                                              const QString &payload, qint64 timeMs)
{
    auto highest = highestSeq(m_nodeId);
    if (!highest)
        return tl::unexpected(highest.error());
    RelayRecord record{m_nodeId, *highest + 1, kind, 0, user, timeMs, std::nullopt, payload};
    if (auto inserted = insertRow(record, {}); !inserted)
        return tl::unexpected(inserted.error());
    const qint64 seq = record.seq;
    m_connection.journal().append(AcceptedRecord{std::move(record), LocalSource, std::nullopt});
    return seq;
}

Result<void> RelayLogQueries::recordDelivery(RelayRecord::Kind kind, const QString &payload,
                                             const QString &jobId, qint64 timeMs)
{
    auto highest = highestSeq(m_nodeId);
    if (!highest)
        return tl::unexpected(highest.error());
    RelayRecord record{m_nodeId, *highest + 1, kind, 0, {}, timeMs, std::nullopt, payload};
    if (auto inserted = insertRow(record, kind == RelayRecord::Kind::Job ? jobId : payload);
        !inserted)
        return inserted;
    m_connection.journal().append(AcceptedRecord{std::move(record), LocalSource, std::nullopt});
    return {};
}

Result<HaveVector> RelayLogQueries::have()
{
    auto query = m_connection.run(u"SELECT origin, MAX(seq) FROM relay_log GROUP BY origin"_s);
    if (!query)
        return tl::unexpected(query.error());
    HaveVector have;
    while (query->next())
        have.insert(query->value(0).toInt(), query->value(1).toLongLong());
    return have;
}

Result<QList<RelayRecord>> RelayLogQueries::after(const HaveVector &theirs, int limit)
{
    auto ours = have();
    if (!ours)
        return tl::unexpected(ours.error());
    QList<RelayRecord> records;
    for (auto it = ours->cbegin(); it != ours->cend() && records.size() < limit; ++it) {
        const qint64 from = theirs.value(it.key(), 0);
        if (it.value() <= from)
            continue;
        auto query = m_connection.run(
            u"SELECT seq, kind, notification_id, user_name, time_ms, detail FROM relay_log "
            "WHERE origin = ? AND seq > ? ORDER BY seq LIMIT ?"_s,
            {it.key(), from, limit - records.size()});
        if (!query)
            return tl::unexpected(query.error());
        const qsizetype first = records.size();
        QStringList details;
        while (query->next()) {
            RelayRecord record;
            record.origin = it.key();
            record.seq = query->value(0).toLongLong();
            record.kind =
                relayKindFromName(query->value(1).toString()).value_or(RelayRecord::Kind::Deleted);
            record.notificationId = query->value(2).toLongLong();
            record.user = query->value(3).toString();
            record.timeMs = query->value(4).toLongLong();
            details.append(query->value(5).toString());
            records.append(std::move(record));
        }
        query->finish();
        for (qsizetype i = first; i < records.size(); ++i) {
            if (auto filled = fillPayload(records[i], details[i - first]); !filled)
                return tl::unexpected(filled.error());
        }
    }
    return records;
}

Result<void> RelayLogQueries::fillPayload(RelayRecord &record, const QString &detail)
{
    switch (record.kind) {
    case RelayRecord::Kind::Preferences: {
        auto now = storedPreferences(record.user);
        if (!now)
            return tl::unexpected(now.error());
        record.payload = *now; // as they are: the newest change wins anyway
        return {};
    }
    case RelayRecord::Kind::Digest: {
        auto sent = m_digests.sentBy(record.origin, record.seq);
        if (!sent)
            return tl::unexpected(sent.error());
        if (*sent) // gone: another node's record of the same period came first
            record.payload = digestRecordPayload(**sent);
        return {};
    }
    case RelayRecord::Kind::Job: {
        auto job = m_outbox.jobRecord(detail);
        if (!job)
            return tl::unexpected(job.error());
        record.payload = *job;
        return {};
    }
    case RelayRecord::Kind::JobsTaken:
    case RelayRecord::Kind::JobsDone:
        record.payload = detail;
        return {};
    case RelayRecord::Kind::Notification: {
        auto body = m_notifications.find(record.notificationId);
        if (!body)
            return tl::unexpected(body.error());
        record.notification = std::move(*body);
        return {};
    }
    default:
        return {};
    }
}

Result<QList<AcceptedRecord>> RelayLogQueries::apply(const QList<RelayRecord> &records, int source)
{
    QList<AcceptedRecord> accepted;
    QHash<int, qint64> highest; // per origin, as it stands in this call
    QSet<int> stopped;          // origins past a gap
    auto done = m_connection.atomically([&]() -> Result<void> {
        for (const RelayRecord &record : records) {
            if (stopped.contains(record.origin))
                continue;
            auto known = highest.constFind(record.origin);
            if (known == highest.cend()) {
                auto seq = highestSeq(record.origin);
                if (!seq)
                    return tl::unexpected(seq.error());
                known = highest.insert(record.origin, *seq);
            }
            AcceptedRecord taken{record, source, std::nullopt};
            taken.record.notification.reset();
            if (record.seq > *known + 1) {
                stopped.insert(record.origin);
                continue;
            }
            if (record.seq <= *known) {
                // Already in this database (written by a node that shares it).
                if (record.kind == RelayRecord::Kind::Notification) {
                    auto stored = m_notifications.find(record.notificationId);
                    if (!stored)
                        return tl::unexpected(stored.error());
                    taken.effect = *stored;
                } else if (record.kind == RelayRecord::Kind::Deleted) {
                    taken.effect = record.notification;
                }
            } else {
                // A job record is read once: for its row (the job's id) and for the copy.
                std::optional<DeliveryJob> job;
                if (record.kind == RelayRecord::Kind::Job)
                    job = readJobRecordPayload(record.payload);
                if (auto inserted = insertRow(record, job ? job->id : detailOf(record)); !inserted)
                    return inserted;
                highest[record.origin] = record.seq;
                switch (record.kind) {
                case RelayRecord::Kind::Notification: {
                    auto shown = applyNotification(record);
                    if (!shown)
                        return tl::unexpected(shown.error());
                    taken.effect = std::move(*shown);
                    taken.storedHere = taken.effect.has_value();
                    break;
                }
                case RelayRecord::Kind::Receipt:
                    if (auto applied = applyReceipt(record); !applied)
                        return applied;
                    break;
                case RelayRecord::Kind::Deleted: {
                    auto removed = applyDelete(record);
                    if (!removed)
                        return tl::unexpected(removed.error());
                    taken.effect = std::move(*removed);
                    break;
                }
                case RelayRecord::Kind::Seen:
                case RelayRecord::Kind::Hidden:
                case RelayRecord::Kind::Cleared:
                    if (auto applied = applyInboxChange(record); !applied)
                        return applied;
                    break;
                case RelayRecord::Kind::Digest:
                    if (auto applied = applyDigest(record); !applied)
                        return applied;
                    break;
                case RelayRecord::Kind::Job:
                case RelayRecord::Kind::JobsTaken:
                case RelayRecord::Kind::JobsDone:
                    if (auto applied = applyDelivery(record, job); !applied)
                        return applied;
                    break;
                case RelayRecord::Kind::Preferences: {
                    auto applied = applyPreferences(record);
                    if (!applied)
                        return tl::unexpected(applied.error());
                    taken.preferencesApplied = *applied;
                    break;
                }
                }
            }
            // Kept with the record: the next node may need the body too.
            taken.record.notification =
                record.kind == RelayRecord::Kind::Notification ? taken.effect : record.notification;
            accepted.append(std::move(taken));
        }
        for (const AcceptedRecord &record : std::as_const(accepted))
            m_connection.journal().append(record);
        return {};
    });
    if (!done)
        return tl::unexpected(done.error());
    return accepted;
}

Result<bool> RelayLogQueries::hasDeleteRecord(NotificationId id)
{
    auto query = m_connection.run(u"SELECT 1 FROM relay_log WHERE notification_id = ? "
                                  "AND kind = 'deleted' LIMIT 1"_s,
                                  {id});
    if (!query)
        return tl::unexpected(query.error());
    return query->next();
}

Result<void> RelayLogQueries::ensureApplication(const QString &name)
{
    auto id = m_catalog.applicationId(name);
    if (!id)
        return tl::unexpected(id.error());
    if (*id)
        return {};
    // Made on another node that has its own database: known here by name only.
    Application application;
    application.name = name;
    auto created = m_catalog.upsertApplication(application);
    if (!created)
        return tl::unexpected(created.error());
    return {};
}

Result<std::optional<Notification>> RelayLogQueries::applyNotification(const RelayRecord &record)
{
    if (!record.notification)
        return std::optional<Notification>(); // gone at the sender: its delete follows
    auto deleted = hasDeleteRecord(record.notificationId);
    if (!deleted)
        return tl::unexpected(deleted.error());
    if (*deleted)
        return std::optional<Notification>();
    auto stored = m_notifications.find(record.notificationId);
    if (!stored)
        return tl::unexpected(stored.error());
    if (*stored)
        return std::optional<Notification>(); // already here, its clients already told
    if (auto made = ensureApplication(record.notification->application); !made)
        return tl::unexpected(made.error());
    QList<Notification> one{*record.notification};
    one.first().persistent = true;
    if (auto inserted = m_notifications.insert(one, true); !inserted)
        return tl::unexpected(inserted.error());
    // Receipts that arrived before their notification.
    auto receipts = m_connection.run(
        u"INSERT INTO receipts (user_name, notification_id, time_ms) SELECT user_name, "
        "notification_id, MIN(time_ms) FROM relay_log WHERE notification_id = ? AND "
        "kind = 'receipt' GROUP BY user_name, notification_id"_s +
            KeepEarliestReceipt,
        {record.notificationId});
    if (!receipts)
        return tl::unexpected(receipts.error());
    return std::optional<Notification>(one.first());
}

Result<void> RelayLogQueries::applyReceipt(const RelayRecord &record)
{
    auto query = m_connection.run(
        u"INSERT INTO receipts (user_name, notification_id, time_ms) SELECT ?, id, ? FROM "
        "notifications WHERE id = ?"_s +
            KeepEarliestReceipt,
        {record.user, record.timeMs, record.notificationId});
    if (!query)
        return tl::unexpected(query.error());
    return {};
}

Result<void> RelayLogQueries::applyInboxChange(const RelayRecord &record)
{
    Result<bool> applied = false;
    switch (record.kind) {
    case RelayRecord::Kind::Seen:
        applied = m_inbox.advanceSeen(record.user, record.notificationId);
        break;
    case RelayRecord::Kind::Hidden:
        applied = m_inbox.hide(record.user, record.notificationId);
        break;
    case RelayRecord::Kind::Cleared:
        applied = m_inbox.advanceCleared(record.user, record.notificationId);
        break;
    default:
        break;
    }
    if (!applied)
        return tl::unexpected(applied.error());
    return {};
}

Result<void> RelayLogQueries::applyDigest(const RelayRecord &record)
{
    const auto sent = readDigestRecordPayload(record.payload, record.user, record.origin,
                                              record.seq, record.timeMs);
    if (!sent)
        return {}; // a peer of another version, or the digest is gone there: nothing to drop
    auto applied = m_digests.applySent(*sent);
    if (!applied)
        return tl::unexpected(applied.error());
    return {};
}

Result<void> RelayLogQueries::applyDelivery(const RelayRecord &record,
                                            const std::optional<DeliveryJob> &job)
{
    // A payload this version does not read (or a job gone at the sender) changes nothing.
    if (record.kind == RelayRecord::Kind::Job)
        return job ? m_outbox.applyJob(*job, record.origin) : Result<void>();
    if (record.kind == RelayRecord::Kind::JobsTaken) {
        const auto jobs = readTakenRecordPayload(record.payload);
        return jobs ? m_outbox.applyTaken(*jobs, record.origin) : Result<void>();
    }
    const auto jobs = readDoneRecordPayload(record.payload);
    return jobs ? m_outbox.applyDone(*jobs, record.origin) : Result<void>();
}

Result<bool> RelayLogQueries::applyPreferences(const RelayRecord &record)
{
    if (record.payload.isEmpty())
        return false; // the user is gone at the sender: what this node holds stays
    // The newest change wins, whichever order the records come in.
    auto query = m_connection.run(
        u"INSERT INTO user_preferences (user_name, preferences, updated_ms) VALUES (?, ?, ?) "
        "ON CONFLICT (user_name) DO UPDATE SET preferences = excluded.preferences, "
        "updated_ms = excluded.updated_ms WHERE excluded.updated_ms > user_preferences.updated_ms"_s,
        {record.user, record.payload, record.timeMs});
    if (!query)
        return tl::unexpected(query.error());
    return query->numRowsAffected() > 0;
}

Result<QString> RelayLogQueries::storedPreferences(const QString &user)
{
    auto query =
        m_connection.run(u"SELECT preferences FROM user_preferences WHERE user_name = ?"_s, {user});
    if (!query)
        return tl::unexpected(query.error());
    return query->next() ? query->value(0).toString() : QString();
}

Result<std::optional<Notification>> RelayLogQueries::applyDelete(const RelayRecord &record)
{
    auto stored = m_notifications.find(record.notificationId);
    if (!stored)
        return tl::unexpected(stored.error());
    if (!*stored)
        return std::optional<Notification>();
    auto removed = m_notifications.remove(record.notificationId);
    if (!removed)
        return tl::unexpected(removed.error());
    return *stored;
}

} // namespace herald::syncd
