// SPDX-License-Identifier: Apache-2.0
#include "metrics/deliverymetrics.h"

#include <QMutexLocker>

namespace herald::syncd {

namespace {

void header(QByteArray &out, const char *name, const char *type, const char *help)
{
    out.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ");
    out.append(name).append(' ').append(type).append('\n');
}

void line(QByteArray &out, const QByteArray &name, const QByteArray &labels, double value)
{
    out.append(name).append('{').append(labels).append("} ");
    out.append(QByteArray::number(value, 'g', 17)).append('\n');
}

} // namespace

void DeliveryMetrics::recordAttempt(const QString &endpoint, Result result, qint64 latencyMs)
{
    QMutexLocker lock(&m_mutex);
    PerEndpoint &e = m_endpoints[endpoint];
    (result == Result::Sent ? e.sent : result == Result::Failed ? e.failed : e.retrying) += 1;
    const double seconds = double(latencyMs) / 1000.0;
    for (std::size_t i = 0; i < Buckets.size(); ++i) {
        if (seconds <= Buckets[i]) {
            ++e.buckets[i];
            break;
        }
    }
    ++e.count;
    e.sumSeconds += seconds;
}

void DeliveryMetrics::setPending(const QHash<QString, qint64> &pendingByEndpoint)
{
    QMutexLocker lock(&m_mutex);
    for (auto it = m_endpoints.begin(); it != m_endpoints.end(); ++it)
        it->pending = pendingByEndpoint.value(it.key());
    for (auto it = pendingByEndpoint.cbegin(); it != pendingByEndpoint.cend(); ++it)
        m_endpoints[it.key()].pending = it.value();
}

QByteArray DeliveryMetrics::render(int node) const
{
    QMutexLocker lock(&m_mutex);
    const QByteArray nodeLabel = "node=\"" + QByteArray::number(node) + "\",endpoint=\"";
    QByteArray out;
    header(out, "herald_webhook_deliveries_total", "counter",
           "Delivery attempts by result: sent (2xx), failed (for good), retrying");
    for (auto it = m_endpoints.cbegin(); it != m_endpoints.cend(); ++it) {
        const QByteArray labels = nodeLabel + it.key().toUtf8() + "\",result=\"";
        line(out, "herald_webhook_deliveries_total", labels + "sent\"", double(it->sent));
        line(out, "herald_webhook_deliveries_total", labels + "failed\"", double(it->failed));
        line(out, "herald_webhook_deliveries_total", labels + "retrying\"", double(it->retrying));
    }
    header(out, "herald_webhook_pending", "gauge", "Jobs in the outbox waiting to be delivered");
    for (auto it = m_endpoints.cbegin(); it != m_endpoints.cend(); ++it)
        line(out, "herald_webhook_pending", nodeLabel + it.key().toUtf8() + '"',
             double(it->pending));
    header(out, "herald_webhook_latency_seconds", "histogram",
           "Time from the start of an attempt to its answer or failure");
    for (auto it = m_endpoints.cbegin(); it != m_endpoints.cend(); ++it) {
        const QByteArray labels = nodeLabel + it.key().toUtf8() + '"';
        quint64 cumulative = 0;
        for (std::size_t i = 0; i < Buckets.size(); ++i) {
            cumulative += it->buckets[i];
            line(out, "herald_webhook_latency_seconds_bucket",
                 labels + ",le=\"" + QByteArray::number(Buckets[i], 'g', 6) + '"',
                 double(cumulative));
        }
        line(out, "herald_webhook_latency_seconds_bucket", labels + ",le=\"+Inf\"",
             double(it->count));
        line(out, "herald_webhook_latency_seconds_sum", labels, it->sumSeconds);
        line(out, "herald_webhook_latency_seconds_count", labels, double(it->count));
    }
    return out;
}

} // namespace herald::syncd
