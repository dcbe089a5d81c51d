// SPDX-License-Identifier: Apache-2.0
#include "delivery/outboxdispatcher.h"

#include "delivery/deliverylog.h"
#include "delivery/deliveryrequest.h"
#include "delivery/httpsender.h"
#include "delivery/usermail.h"
#include "metrics/deliverymetrics.h"
#include "store/storethread.h"

#include <QDateTime>
#include <QRandomGenerator>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

// Attempts are recorded in batches, one store operation each, at least this often.
constexpr int FlushMs = 20;
// With nothing due, the store is asked again after at most this long (jobs added by other
// processes on the same database, endpoints enabled elsewhere).
constexpr qint64 IdlePollMs = 5000;
constexpr int PendingRefreshMs = 5000;
// The delivery log forgets finished jobs older than keepFinishedDays, this often, in steps.
constexpr int PurgeEveryMs = 3600 * 1000;
constexpr int PurgeStep = 1000;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString describe(const SendResult &result)
{
    if (!result.error.isEmpty())
        return result.error;
    return u"HTTP %1"_s.arg(result.httpStatus);
}

} // namespace

OutboxDispatcher::OutboxDispatcher(const EndpointSettings &settings, const SmtpSettings &smtp,
                                   int nodeId, StoreThread &store, DeliveryMetrics &metrics,
                                   QByteArray userAgent, QObject *parent)
    : QObject(parent), m_settings(settings), m_smtp(smtp), m_nodeId(nodeId), m_store(store),
      m_metrics(metrics), m_userAgent(std::move(userAgent)),
      m_policy(RetryTiming{settings.retryInitialMs, settings.retryMaxMs, settings.retryForMs})
{
    m_dueTimer.setSingleShot(true);
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(FlushMs);
    m_pendingTimer.setInterval(PendingRefreshMs);
    // The timers are children-by-member; moveToThread() moves them with this object.
    m_dueTimer.setParent(this);
    m_flushTimer.setParent(this);
    m_pendingTimer.setParent(this);
    m_purgeTimer.setParent(this);
    m_purgeTimer.setInterval(PurgeEveryMs);
    connect(&m_purgeTimer, &QTimer::timeout, this, &OutboxDispatcher::purgeFinished);
    connect(&m_dueTimer, &QTimer::timeout, this, &OutboxDispatcher::claim);
    connect(&m_flushTimer, &QTimer::timeout, this, &OutboxDispatcher::flushOutcomes);
    connect(&m_pendingTimer, &QTimer::timeout, this, &OutboxDispatcher::refreshPending);
}

OutboxDispatcher::~OutboxDispatcher()
{
    // Members are destroyed after the QObject children: unparent the timers first.
    m_dueTimer.setParent(nullptr);
    m_flushTimer.setParent(nullptr);
    m_pendingTimer.setParent(nullptr);
    m_purgeTimer.setParent(nullptr);
}

void OutboxDispatcher::start(qint64 holdOldJobsMs)
{
    if (holdOldJobsMs > 0) {
        m_heldBeforeMs = nowMs();
        m_holdUntilMs = m_heldBeforeMs + holdOldJobsMs;
    }
    SenderOptions options;
    options.allowPrivateNetworks = m_settings.allowPrivateNetworks;
    options.caFile = m_settings.caFile;
    options.maxConcurrent = m_settings.maxConcurrent;
    options.maxPerEndpoint = m_settings.maxPerEndpoint;
    options.userAgent = m_userAgent;
    m_sender = std::make_unique<HttpSender>(options);
    connect(m_sender.get(), &HttpSender::finished, this, &OutboxDispatcher::onFinished);
    m_pendingTimer.start();
    m_purgeTimer.start();
    refreshPending();
    purgeFinished();
    claim();
}

void OutboxDispatcher::stopSending()
{
    m_dueTimer.stop();
    m_flushTimer.stop();
    m_pendingTimer.stop();
    m_purgeTimer.stop();
    m_sender.reset();
}

void OutboxDispatcher::wake()
{
    QMetaObject::invokeMethod(this, &OutboxDispatcher::claim, Qt::QueuedConnection);
}

void OutboxDispatcher::claim()
{
    if (!m_sender)
        return; // stopping
    if (m_claiming) {
        m_claimAgain = true;
        return;
    }
    // Only what can start at once is handed to the sender, at most maxPerEndpoint per
    // endpoint: nothing waits there that the dispatcher could no longer hold back (an endpoint
    // disabled meanwhile gets only the attempts already on the wire), and a backlog for one
    // endpoint never delays the others.
    const int room = m_settings.maxConcurrent - inFlight();
    if (room <= 0)
        return; // a finished attempt claims again
    m_claiming = true;
    const qint64 heldBefore = nowMs() < m_holdUntilMs ? m_heldBeforeMs : 0;
    m_store.submit<Claim>(
        [node = m_nodeId, room, perEndpoint = m_settings.maxPerEndpoint, busy = m_sendingTo,
         inFlight = m_inFlightIds, heldBefore,
         userMail = m_smtp.isConfigured()](SqlStore &store) -> Result<Claim> {
            Claim claim;
            const qint64 now = nowMs();
            auto endpoints = store.endpoints([](EndpointQueries &q) { return q.all(); });
            if (!endpoints)
                return tl::unexpected(endpoints.error());
            if (userMail) // users' own mails (their email agent): jobs only exist with [smtp]
                endpoints->append(UserMail::endpoint());
            int left = room;
            for (const EndpointRecord &endpoint : std::as_const(*endpoints)) {
                if (!endpoint.enabled)
                    continue;
                const int take = std::min(left, perEndpoint - busy.value(endpoint.name));
                if (take > 0) {
                    auto jobs = store.outbox([&](OutboxQueries &q) {
                        return q.due(node, endpoint.name, now, take, inFlight, heldBefore);
                    });
                    if (!jobs)
                        return tl::unexpected(jobs.error());
                    left -= int(jobs->size());
                    claim.jobs += *jobs;
                    if (!jobs->isEmpty())
                        claim.endpoints.insert(endpoint.name, endpoint);
                }
                auto next = store.outbox(
                    [&](OutboxQueries &q) { return q.nextDue(node, endpoint.name, now); });
                if (!next)
                    return tl::unexpected(next.error());
                if (*next)
                    claim.nextDueMs = std::min(claim.nextDueMs.value_or(**next), **next);
            }
            return claim;
        },
        this,
        [this](Result<Claim> claimed) {
            m_claiming = false;
            if (!claimed) {
                qCWarning(lcDelivery) << "cannot read the outbox:" << claimed.error().message;
                scheduleClaim(nowMs() + 1000);
                return;
            }
            onClaimed(std::move(*claimed));
        });
}

void OutboxDispatcher::onClaimed(Claim claim)
{
    if (!m_sender)
        return;
    const qint64 now = nowMs();
    for (const DeliveryJob &job : std::as_const(claim.jobs)) {
        const auto endpoint = claim.endpoints.constFind(job.endpoint);
        if (endpoint == claim.endpoints.cend())
            continue;
        SendRequest request = DeliveryRequest::build(job, *endpoint, job.attempts + 1, now / 1000,
                                                     m_settings.timeoutMs, m_smtp);
        request.tag = m_nextTag++;
        m_inFlight.insert(request.tag, Sending{job, now});
        m_inFlightIds.insert(job.id);
        ++m_sendingTo[job.endpoint];
        m_sender->send(std::move(request));
    }
    // Due jobs left behind for want of room are claimed when attempts finish; later ones when
    // they fall due.
    if (std::exchange(m_claimAgain, false)) {
        QMetaObject::invokeMethod(this, &OutboxDispatcher::claim, Qt::QueuedConnection);
        return;
    }
    qint64 next = claim.nextDueMs.value_or(now + IdlePollMs);
    if (now < m_holdUntilMs)
        next = std::min(next, m_holdUntilMs);
    scheduleClaim(next);
}

void OutboxDispatcher::scheduleClaim(qint64 dueMs)
{
    const qint64 wait = std::clamp<qint64>(dueMs - nowMs(), 0, IdlePollMs);
    if (!m_dueTimer.isActive() || m_dueTimer.remainingTime() > wait)
        m_dueTimer.start(int(wait));
}

DeliveryOutcome OutboxDispatcher::outcomeOf(const Sending &sending, const SendResult &result,
                                            qint64 now)
{
    DeliveryOutcome outcome;
    outcome.id = sending.job.id;
    outcome.endpoint = sending.job.endpoint;
    outcome.attemptMs = now;
    outcome.httpStatus = result.status(); // a mail's SMTP reply code
    const int attempt = sending.job.attempts + 1;
    switch (RetryPolicy::classify(result)) {
    case RetryPolicy::Verdict::Done:
        outcome.status = DeliveryStatus::Done;
        m_metrics.recordAttempt(outcome.endpoint, DeliveryMetrics::Result::Sent, result.elapsedMs);
        return outcome;
    case RetryPolicy::Verdict::Retry:
        outcome.error = describe(result);
        // A 429 is a receiver that is up and asks for less: no step towards disabling it.
        outcome.endpointFailed = result.httpStatus != 429;
        if (m_policy.givesUp(sending.job.createdMs, now)) {
            outcome.status = DeliveryStatus::Failed;
            outcome.error = u"gave up after %1 attempts: "_s.arg(attempt) + outcome.error;
            m_metrics.recordAttempt(outcome.endpoint, DeliveryMetrics::Result::Failed,
                                    result.elapsedMs);
            return outcome;
        }
        outcome.status = DeliveryStatus::Pending;
        outcome.nextAttemptMs =
            now + m_policy.nextDelayMs(attempt,
                                       RetryPolicy::parseRetryAfter(
                                           result.retryAfter, QDateTime::currentDateTimeUtc()),
                                       QRandomGenerator::global()->generate());
        m_metrics.recordAttempt(outcome.endpoint, DeliveryMetrics::Result::Retrying,
                                result.elapsedMs);
        return outcome;
    case RetryPolicy::Verdict::Fail:
        break;
    }
    outcome.status = DeliveryStatus::Failed;
    outcome.error = describe(result);
    outcome.endpointFailed = true;
    m_metrics.recordAttempt(outcome.endpoint, DeliveryMetrics::Result::Failed, result.elapsedMs);
    return outcome;
}

void OutboxDispatcher::onFinished(const SendResult &result)
{
    const auto found = m_inFlight.constFind(result.tag);
    if (found == m_inFlight.cend())
        return;
    const DeliveryOutcome outcome = outcomeOf(*found, result, nowMs());
    if (outcome.status != DeliveryStatus::Done)
        qCInfo(lcDelivery).noquote() << u"delivery %1 to %2, attempt %3: %4%5"_s.arg(
            outcome.id, outcome.endpoint, QString::number(found->job.attempts + 1), outcome.error,
            outcome.status == DeliveryStatus::Pending ? u" (will retry)"_s : u""_s);
    m_outcomes.append(outcome);
    if (--m_sendingTo[outcome.endpoint] <= 0)
        m_sendingTo.remove(outcome.endpoint);
    m_inFlight.erase(found);
    claim(); // its slot is free (the job itself stays out until its attempt is recorded)
    if (!m_flushing && !m_flushTimer.isActive())
        m_flushTimer.start();
}

void OutboxDispatcher::flushOutcomes()
{
    if (m_flushing || m_outcomes.isEmpty())
        return;
    m_flushing = true;
    const QList<DeliveryOutcome> outcomes = std::exchange(m_outcomes, {});
    struct Disabled
    {
        QString endpoint;
        QString reason;
    };
    m_store.submit<QList<Disabled>>(
        [outcomes,
         disableAfter = m_settings.disableAfter](SqlStore &store) -> Result<QList<Disabled>> {
            QList<Disabled> disabled;
            QStringList finishedIds;
            for (const DeliveryOutcome &outcome : outcomes) {
                if (outcome.status != DeliveryStatus::Pending)
                    finishedIds.append(outcome.id);
                if (auto recorded =
                        store.outbox([&](OutboxQueries &q) { return q.record(outcome); });
                    !recorded)
                    return tl::unexpected(recorded.error());
                if (outcome.status != DeliveryStatus::Done && !outcome.endpointFailed)
                    continue;
                const QString reason =
                    u"disabled after %1 failed deliveries in a row; the last: %2"_s
                        .arg(disableAfter)
                        .arg(outcome.error);
                auto off = store.endpoints([&](EndpointQueries &q) {
                    return q.recordAttempt(outcome.endpoint, outcome.endpointFailed, disableAfter,
                                           reason, outcome.attemptMs);
                });
                if (!off)
                    return tl::unexpected(off.error());
                if (*off)
                    disabled.append({outcome.endpoint, reason});
            }
            if (auto relayed = store.relayFinishedDeliveries(finishedIds, nowMs()); !relayed)
                return tl::unexpected(relayed.error());
            return disabled;
        },
        this,
        [this, outcomes](Result<QList<Disabled>> disabled) {
            m_flushing = false;
            for (const DeliveryOutcome &outcome : outcomes)
                m_inFlightIds.remove(outcome.id);
            if (!disabled) {
                // Not recorded: the jobs stay pending and due, and go out again.
                qCWarning(lcDelivery) << "cannot record" << outcomes.size()
                                      << "delivery attempts:" << disabled.error().message;
            } else {
                for (const Disabled &d : std::as_const(*disabled)) {
                    qCWarning(lcDelivery).noquote()
                        << u"endpoint %1 %2"_s.arg(d.endpoint, d.reason);
                    Q_EMIT endpointDisabled(d.endpoint, d.reason);
                }
            }
            if (!m_outcomes.isEmpty())
                m_flushTimer.start();
            claim();
        });
}

void OutboxDispatcher::refreshPending()
{
    m_store.submit<QHash<QString, qint64>>(
        [](SqlStore &store) {
            return store.outbox([](OutboxQueries &q) { return q.pendingCounts(); });
        },
        this,
        [this](Result<QHash<QString, qint64>> pending) {
            if (pending)
                m_metrics.setPending(*pending);
        });
}

void OutboxDispatcher::purgeFinished()
{
    const qint64 before = nowMs() - qint64(m_settings.keepFinishedDays) * 86400 * 1000;
    m_store.submit<int>(
        [before](SqlStore &store) {
            return store.outbox(
                [&](OutboxQueries &q) { return q.purgeFinished(before, PurgeStep); });
        },
        this,
        [this](Result<int> purged) {
            if (!purged) {
                qCWarning(lcDelivery) << "cannot purge the delivery log:" << purged.error().message;
                return;
            }
            if (*purged > 0)
                qCDebug(lcDelivery) << "forgot" << *purged << "finished deliveries";
            if (*purged == PurgeStep && m_sender) // more to go: the next step after this one
                QMetaObject::invokeMethod(this, &OutboxDispatcher::purgeFinished,
                                          Qt::QueuedConnection);
        });
}

} // namespace herald::syncd
