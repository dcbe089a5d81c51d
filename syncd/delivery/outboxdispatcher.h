// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/config.h"
#include "delivery/retrypolicy.h"
#include "delivery/sendrequest.h"
#include "store/endpointtypes.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <memory>
#include <optional>

namespace herald::syncd {

class DeliveryMetrics;
class HttpSender;
class StoreThread;

// Delivers the outbox (PROTOCOL.md, Routing to endpoints): takes this node's due jobs from the
// store, sends them through HttpSender, and records every attempt: done, failed for good, or
// pending again after a backoff (RetryPolicy). Endpoints that fail `disableAfter` times in a
// row are disabled by the store in the same transaction as the attempt that made it so.
//
// Jobs of a node that falls silent are taken over by core/OutboxTakeover; the jobs a node
// finishes are relayed to the other nodes' copies (SqlStore::relayFinishedDeliveries).
//
// Lives on a thread of its own ("outbox"), so neither the front nor the store thread waits for
// a receiver. The store is the only state that matters: attempts not yet recorded when the
// process dies are made again after the restart (at least once; receivers dedupe by
// Herald-Delivery).
class OutboxDispatcher : public QObject
{
    Q_OBJECT
public:
    // `smtp` carries the email endpoints' mail (unconfigured: those deliveries fail).
    OutboxDispatcher(const EndpointSettings &settings, const SmtpSettings &smtp, int nodeId,
                     StoreThread &store, DeliveryMetrics &metrics, QByteArray userAgent,
                     QObject *parent = nullptr);
    ~OutboxDispatcher() override;

    // On the dispatcher's thread: makes the sender and takes the first due jobs. Jobs made
    // before the start wait `holdOldJobsMs` (a node of a cluster back from a stop: the peers'
    // records of the jobs they took over or finished meanwhile arrive first).
    void start(qint64 holdOldJobsMs = 0);
    // New jobs were committed, or an endpoint was enabled: look for due jobs now. Thread-safe
    // (posted).
    void wake();

    // Ends every transfer (their attempts are made again at the next start). On the
    // dispatcher's thread, before it ends.
    void stopSending();

    // Jobs handed to the sender and not finished yet.
    int inFlight() const { return int(m_inFlight.size()); }

Q_SIGNALS:
    // An endpoint just reached its run of failures and was disabled.
    void endpointDisabled(const QString &endpoint, const QString &reason);

private:
    struct Claim
    {
        QList<DeliveryJob> jobs;
        QHash<QString, EndpointRecord> endpoints; // of those jobs
        std::optional<qint64> nextDueMs;          // the earliest job due later, if any
    };
    struct Sending
    {
        DeliveryJob job;
        qint64 startedMs = 0;
    };

    void claim();
    void onClaimed(Claim claim);
    void onFinished(const SendResult &result);
    DeliveryOutcome outcomeOf(const Sending &sending, const SendResult &result, qint64 nowMs);
    void flushOutcomes();
    void refreshPending();
    void purgeFinished();
    void scheduleClaim(qint64 dueMs);

    const EndpointSettings m_settings;
    const SmtpSettings m_smtp;
    const int m_nodeId;
    StoreThread &m_store;
    DeliveryMetrics &m_metrics;
    const QByteArray m_userAgent;
    RetryPolicy m_policy;
    std::unique_ptr<HttpSender> m_sender;
    quint64 m_nextTag = 1;
    QHash<quint64, Sending> m_inFlight; // by tag
    QSet<QString> m_inFlightIds;        // sent, until their attempt is recorded
    QHash<QString, int> m_sendingTo;    // in m_inFlight, by endpoint
    QList<DeliveryOutcome> m_outcomes;  // recorded by the next flush
    bool m_claiming = false;
    bool m_claimAgain = false;
    bool m_flushing = false;
    QTimer m_dueTimer;
    QTimer m_flushTimer;
    QTimer m_pendingTimer;
    QTimer m_purgeTimer;
    qint64 m_heldBeforeMs = 0; // jobs made before then wait until m_holdUntilMs
    qint64 m_holdUntilMs = 0;
};

} // namespace herald::syncd
