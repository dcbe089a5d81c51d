// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QHash>
#include <QMap>
#include <QMutex>
#include <QString>

#include <array>

namespace herald::syncd {

// The outbox's metrics per endpoint (PROTOCOL.md, Routing to endpoints): attempts by result,
// their latency, and the jobs waiting. Written by the delivery thread, read by GET /metrics.
class DeliveryMetrics
{
public:
    enum class Result
    {
        Sent,
        Failed,
        Retrying
    };

    void recordAttempt(const QString &endpoint, Result result, qint64 latencyMs);
    // Replaces every endpoint's count of pending jobs (endpoints absent have none).
    void setPending(const QHash<QString, qint64> &pendingByEndpoint);
    QByteArray render(int node) const;

    // Upper bounds of the latency histogram's buckets, in seconds (+Inf is implied).
    static constexpr std::array<double, 11> Buckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                       0.5,   1,    2.5,   5,    10};

private:
    struct PerEndpoint
    {
        quint64 sent = 0;
        quint64 failed = 0;
        quint64 retrying = 0;
        std::array<quint64, Buckets.size()> buckets{}; // cumulative counts are made at render
        quint64 count = 0;
        double sumSeconds = 0;
        qint64 pending = 0;
    };

    mutable QMutex m_mutex;
    QMap<QString, PerEndpoint> m_endpoints; // by name, so the output is stable
};

} // namespace herald::syncd
