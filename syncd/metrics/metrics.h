// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>

#include <atomic>

namespace herald::syncd {

// The daemon's counters and gauges, updated lock-free from every thread and rendered in the
// Prometheus text format for GET /metrics.
struct Metrics
{
    std::atomic<quint64> httpRequests{0};
    std::atomic<quint64> notificationsPublished{0};
    std::atomic<quint64> notificationsTransient{0};
    std::atomic<quint64> deliveries{0};
    std::atomic<quint64> acknowledgements{0};
    std::atomic<quint64> notificationsExpired{0}; // removed at expiry, sessions told
    std::atomic<quint64> sessionsOpened{0};
    std::atomic<quint64> resumesExact{0};      // from the arrival position of the last one
    std::atomic<quint64> resumesWithMargin{0}; // from 10 s of ids before it (a cluster node)
    std::atomic<quint64> resumesFromPeer{0};   // where another node says the device stopped
    std::atomic<quint64> sessionsRejectedOverCapacity{0};
    std::atomic<quint64> sessionsRejectedAddressFull{0}; // webSocketsPerAddress reached
    std::atomic<quint64> sessionsDroppedSlow{0};
    std::atomic<quint64> wsPublishesPublished{0}; // `publish` frames answered `published`
    std::atomic<quint64> wsPublishesRefused{0};   // `publish` frames answered with an error
    std::atomic<quint64> wsPublishPauses{0}; // sessions not read: too many publishes unanswered
    std::atomic<quint64> storeBatches{0};
    std::atomic<quint64> storeOperations{0};
    std::atomic<quint64> relayRecordsSent{0};
    std::atomic<quint64> relayRecordsReceived{0};
    std::atomic<quint64> relayRecordsApplied{0};
    std::atomic<quint64> relayTransientsReceived{0};
    std::atomic<quint64> relayGaps{0};
    std::atomic<quint64> relayLinksLost{0};

    // Limits (PROTOCOL.md, Limits); the front thread writes them.
    std::atomic<qint64> httpConnectionsOpen{0}; // gauge: sniffing and served
    std::atomic<qint64> httpConnectionCap{0};   // gauge: [limits] httpConnections
    std::atomic<qint64> sessionCap{0};          // gauge: [server] maxConnections
    std::atomic<quint64> httpRefusedServerFull{0};
    std::atomic<quint64> httpRefusedAddressFull{0};
    std::atomic<quint64> rateLimitedAddress{0};
    std::atomic<quint64> rateLimitedToken{0};
    std::atomic<quint64> rateLimitedAuthFailures{0};
    std::atomic<quint64> authFailures{0};     // tokens refused after a lookup
    std::atomic<quint64> authStoreLookups{0}; // tokens looked up in the store (cache misses)

    // `node` labels every sample; gauges owned elsewhere come in as arguments.
    QByteArray render(int node, qint64 sessionsOpen) const;
};

} // namespace herald::syncd
