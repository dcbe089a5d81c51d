// SPDX-License-Identifier: Apache-2.0
#include "core/digestscheduler.h"

#include "codec/jsoncodec.h"
#include "core/corelog.h"
#include "core/digestrouter.h"
#include "core/fanout.h"
#include "core/outboxjobid.h"
#include "core/preferencebook.h"
#include "delivery/usermail.h"
#include "model/timestamps.h"
#include "store/storethread.h"

#include <QJsonDocument>
#include <QTimeZone>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

constexpr qint64 DayMs = 24 * 3600 * 1000;

struct Batch
{
    QList<DigestScheduler::Sent> sent;
    bool more = false;   // a full batch: there may be more due
    bool mailed = false; // jobs went into the outbox
};

// The mail of a digest with the email agent, for the user's address (none: no mail).
std::optional<DeliveryJob> mailJob(const DigestScheduler::Mail &mail, const QString &email,
                                   const QByteArray &frame, int node, qint64 nowMs)
{
    if (!mail.enabled || email.isEmpty())
        return std::nullopt;
    const QJsonObject data = QJsonDocument::fromJson(frame).object().value(u"data").toObject();
    DeliveryJob job;
    job.id = newOutboxJobId(nowMs);
    job.endpoint = UserMail::Endpoint;
    job.payload = UserMail::digestPayload(email, mail.preferencesUrl, data);
    job.node = node;
    job.createdMs = nowMs;
    job.nextAttemptMs = nowMs;
    return job;
}

DigestMessage headerOf(const QString &id, const DigestRouter::Key &key, qint64 periodEndMs,
                       const CollectedDigest &collected)
{
    DigestMessage message;
    message.id = id;
    message.period = key.schedule.toString();
    message.periodEnd = QDateTime::fromMSecsSinceEpoch(periodEndMs, Qt::UTC);
    message.count = collected.count;
    message.channels = collected.channels;
    return message;
}

// The digest frame with the items as they were stored (each the notification's JSON as
// JsonCodec wrote it at publish): spliced in, not read and written again.
QByteArray frameOf(const DigestMessage &header, const QList<QByteArray> &items)
{
    const QJsonObject data{{u"id"_s, header.id},
                           {u"period"_s, header.period},
                           {u"periodEnd"_s, toRfc3339(header.periodEnd)},
                           {u"count"_s, header.count},
                           {u"channels"_s, header.channels}};
    QByteArray head = QJsonDocument(data).toJson(QJsonDocument::Compact);
    head.chop(1); // data's closing brace: the items go last
    return "{\"type\":\"digest\",\"data\":" + head + ",\"items\":[" + items.join(',') + "]}}";
}

// The items for this node's sessions, read only when the user has one here.
void readItems(DigestMessage &message, const QList<QByteArray> &items)
{
    static const JsonCodec Codec;
    for (const QByteArray &payload : items) {
        auto n = Codec.parseNotification(QJsonDocument::fromJson(payload).object());
        if (n)
            message.items.append(std::move(*n));
        else // written by this daemon: only a hand-edited row gets here
            qCWarning(lcCore) << "a digest item does not read back:" << n.error().message;
    }
}

// One batch of due digests, each sent in the same transaction as its removal from the queue.
Result<Batch> sendBatch(SqlStore &store, int node, qint64 takeoverAfterMs, const QString &user,
                        bool force, const PreferenceBook &preferences,
                        const DigestScheduler::Mail &mail, const FanOut &sessions,
                        const DigestSenderOrder &order)
{
    const qint64 now = utcNow().toMSecsSinceEpoch();
    if (auto taken = store.digests(
            [&](DigestQueries &q) { return q.takeOver(node, now - takeoverAfterMs); });
        !taken)
        return tl::unexpected(taken.error());
    else if (*taken > 0)
        qCInfo(lcCore) << "took over" << *taken << "digests of silent nodes";
    const int limit = force ? 1000 : DigestScheduler::BatchSize;
    auto due =
        store.digests([&](DigestQueries &q) { return q.due(node, now, limit, user, force); });
    if (!due)
        return tl::unexpected(due.error());
    if (due->isEmpty())
        return Batch{};
    auto sameDatabase =
        store.digests([&](DigestQueries &q) { return q.nodesSharingDatabase(node); });
    if (!sameDatabase)
        return tl::unexpected(sameDatabase.error());
    Batch batch;
    batch.more = !force && due->size() == limit;
    for (const DueDigest &d : std::as_const(*due)) {
        // This node's turn as it stands now (the nodes it knows of may have changed since the
        // run was queued): not yet, and the run waits until then.
        const qint64 waitMs = order.waitMs(d.user, d.key, *sameDatabase);
        if (!force && d.dueMs + waitMs > now) {
            if (auto later = store.digests(
                    [&](DigestQueries &q) { return q.postpone(d, d.dueMs + waitMs); });
                !later)
                return tl::unexpected(later.error());
            continue;
        }
        const auto key = DigestRouter::readKey(d.key);
        const QTimeZone zone(d.timeZone.toUtf8());
        // Overdue after a downtime: one digest now, the next period counted from now.
        const qint64 next = key ? key->schedule
                                      .nextAfter(QDateTime::fromMSecsSinceEpoch(now, Qt::UTC),
                                                 zone.isValid() ? zone : QTimeZone::utc())
                                      .toMSecsSinceEpoch()
                                : now + DayMs;
        auto claimed =
            store.digests([&](DigestQueries &q) { return q.claim(d, next, next + waitMs); });
        if (!claimed)
            return tl::unexpected(claimed.error());
        if (!*claimed || !key)
            continue; // sent by another node meanwhile, or not a key this daemon wrote
        // Another node's record of this period came first (its items are gone from here):
        // what is left stays queued for the next period.
        const qint64 periodEnd = force ? now : d.dueMs;
        const QString id = DigestScheduler::idOf(d.user, d.key, periodEnd);
        auto sentBefore = store.digests([&](DigestQueries &q) { return q.wasSent(id); });
        if (!sentBefore)
            return tl::unexpected(sentBefore.error());
        if (*sentBefore)
            continue;
        auto collected = store.digests(
            [&](DigestQueries &q) { return q.take(d.user, d.key, DigestMessage::MaxItems); });
        if (!collected)
            return tl::unexpected(collected.error());
        if (collected->count == 0)
            continue;
        DigestMessage message = headerOf(id, *key, periodEnd, *collected);
        SentDigest record{message.id,
                          d.user,
                          d.key,
                          periodEnd,
                          collected->count,
                          frameOf(message, collected->newestPayloads),
                          node,
                          now,
                          collected->itemIds,
                          force ? d.dueMs : next};
        if (auto recorded = store.digests([&](DigestQueries &q) { return q.record(record); });
            !recorded)
            return tl::unexpected(recorded.error());
        // The other nodes record it and drop its items (their sessions get the frame too).
        if (auto relayed = store.relayDigest(record); !relayed)
            return tl::unexpected(relayed.error());
        if (key->agents.contains(u"email"_s)) {
            const auto entry = preferences.of(d.user);
            if (auto job =
                    mailJob(mail, entry ? entry->email() : QString(), record.frame, node, now)) {
                if (auto added = store.addDeliveries({*job}); !added)
                    return tl::unexpected(added.error());
                batch.mailed = true;
            }
        }
        const bool desktop = key->agents.contains(u"desktop"_s);
        if (desktop && sessions.hasSessions(d.user))
            readItems(message, collected->newestPayloads);
        batch.sent.append({d.user, key->agents.join(u','), std::move(message), desktop});
    }
    return batch;
}

} // namespace

DigestScheduler::DigestScheduler(int nodeId, qint64 takeoverAfterMs, StoreThread &store,
                                 FanOut &sessions, const PreferenceBook &preferences, Mail mail,
                                 DigestSenderOrder order, QObject *parent)
    : QObject(parent), m_nodeId(nodeId), m_takeoverAfterMs(takeoverAfterMs),
      m_pollMs(int(std::clamp<qint64>(takeoverAfterMs / 2, 500, MaxPollMs))), m_store(store),
      m_sessions(sessions), m_preferences(preferences), m_mail(std::move(mail)), m_order(order)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &DigestScheduler::tick);
}

QString DigestScheduler::idOf(const QString &user, const QString &key, qint64 periodEndMs)
{
    static const QUuid Namespace(u"6f1d4a52-2b8e-4d8e-9c1a-7e0f4b3d9a10"_s);
    return QUuid::createUuidV5(Namespace, user + u'\n' + key + u'\n' + QString::number(periodEndMs))
        .toString(QUuid::WithoutBraces);
}

void DigestScheduler::start(qint64 firstLookAfterMs)
{
    if (firstLookAfterMs <= 0)
        return tick();
    qCInfo(lcCore) << "first look at the digests in" << firstLookAfterMs
                   << "ms, once the other nodes' digest records have arrived";
    m_timer.start(int(std::min<qint64>(firstLookAfterMs, INT_MAX)));
}

void DigestScheduler::run(const Principal &principal, const QString &user, bool force,
                          SentBatches sent, Reply<void> done)
{
    if (!principal.isAdmin())
        return done(fail(ErrorCode::Forbidden, u"only an admin runs the digests"_s));
    if (force && user.isEmpty())
        return done(fail(ErrorCode::BadRequest, u"force: needs a user"_s));
    runBatches(std::make_shared<Round>(Round{user, force, std::move(sent)}), std::move(done));
}

void DigestScheduler::tick()
{
    if (m_ticking)
        return;
    m_ticking = true;
    runBatches(std::make_shared<Round>(), [this](Result<void> finished) {
        m_ticking = false;
        if (!finished)
            qCWarning(lcCore) << "sending digests failed, trying again:"
                              << finished.error().message;
        scheduleNext();
    });
}

void DigestScheduler::runBatches(std::shared_ptr<Round> round,
                                 std::function<void(Result<void>)> finished)
{
    m_store.submit<Batch>(
        [node = m_nodeId, takeover = m_takeoverAfterMs, user = round->user, force = round->force,
         preferences = &m_preferences, mail = m_mail, sessions = &m_sessions,
         order = &m_order](SqlStore &store) {
            return sendBatch(store, node, takeover, user, force, *preferences, mail, *sessions,
                             *order);
        },
        this,
        [this, round, finished = std::move(finished)](Result<Batch> batch) {
            if (!batch)
                return finished(tl::unexpected(batch.error()));
            deliver(batch->sent); // committed: now the sessions may hear of them
            if (batch->mailed)
                Q_EMIT deliveriesAdded();
            if (round->sent) { // what the answer names, without the items
                for (Sent &sent : batch->sent)
                    sent.digest.items.clear();
                round->sent(batch->sent);
            }
            if (batch->more)
                return runBatches(round, finished);
            finished({});
        });
}

void DigestScheduler::deliver(const QList<Sent> &sent)
{
    for (const Sent &s : sent) {
        qCInfo(lcCore).noquote() << "digest" << s.digest.id << "for" << s.user << "("
                                 << s.digest.period << "," << s.digest.count << "notifications)";
        if (s.toDesktop && !s.digest.items.isEmpty()) // items read: a session is here
            m_sessions.digest(s.user, s.digest);
    }
}

void DigestScheduler::scheduleNext()
{
    m_store.submit<std::optional<qint64>>(
        [node = m_nodeId](SqlStore &store) {
            return store.digests([&](DigestQueries &q) { return q.nextDue(node); });
        },
        this,
        [this](Result<std::optional<qint64>> next) {
            qint64 waitMs = m_pollMs;
            if (next && *next)
                waitMs = std::clamp<qint64>(**next - utcNow().toMSecsSinceEpoch(), 0, m_pollMs);
            m_timer.start(int(waitMs));
        });
}

} // namespace herald::syncd
