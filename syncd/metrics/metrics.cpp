// SPDX-License-Identifier: Apache-2.0
#include "metrics.h"

#include <initializer_list>
#include <utility>

namespace herald::syncd {

namespace {
void sample(QByteArray &out, const char *name, const char *type, const char *help, double value,
            const QByteArray &labels)
{
    out.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ");
    out.append(name).append(' ').append(type).append('\n');
    out.append(name).append('{').append(labels).append("} ");
    out.append(QByteArray::number(value, 'g', 17)).append('\n');
}
// One metric with a sample per value of one label.
void labelled(QByteArray &out, const char *name, const char *type, const char *help,
              const QByteArray &labels, const char *label,
              std::initializer_list<std::pair<const char *, double>> values)
{
    out.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ");
    out.append(name).append(' ').append(type).append('\n');
    for (const auto &[value, number] : values) {
        out.append(name).append('{').append(labels).append(',').append(label).append("=\"");
        out.append(value).append("\"} ").append(QByteArray::number(number, 'g', 17)).append('\n');
    }
}
} // namespace

QByteArray Metrics::render(int node, qint64 sessionsOpen) const
{
    const QByteArray labels = QByteArray("node=\"").append(QByteArray::number(node)).append('"');
    QByteArray out;
    sample(out, "herald_http_requests_total", "counter",
           "HTTP requests taken in (answered unless the client left)", double(httpRequests.load()),
           labels);
    sample(out, "herald_notifications_published_total", "counter",
           "Notifications accepted (persistent and transient)",
           double(notificationsPublished.load()), labels);
    sample(out, "herald_notifications_transient_total", "counter",
           "Transient notifications accepted", double(notificationsTransient.load()), labels);
    sample(out, "herald_deliveries_total", "counter", "Notification frames sent to sessions",
           double(deliveries.load()), labels);
    sample(out, "herald_acknowledgements_total", "counter", "Receipts stored",
           double(acknowledgements.load()), labels);
    sample(out, "herald_notifications_expired_total", "counter",
           "Notifications removed at their expiry (sessions told)",
           double(notificationsExpired.load()), labels);
    sample(out, "herald_sessions_opened_total", "counter", "WebSocket sessions opened",
           double(sessionsOpened.load()), labels);
    labelled(out, "herald_resumes_total", "counter",
             "Resumed backlogs on a cluster node, by where they started", labels, "start",
             {{"exact", double(resumesExact.load())},
              {"peer", double(resumesFromPeer.load())},
              {"margin", double(resumesWithMargin.load())}});
    sample(out, "herald_sessions_open", "gauge", "WebSocket sessions open now",
           double(sessionsOpen), labels);
    labelled(out, "herald_ws_publishes_total", "counter",
             "WebSocket publish frames answered, by answer", labels, "result",
             {{"published", double(wsPublishesPublished.load())},
              {"refused", double(wsPublishesRefused.load())}});
    sample(out, "herald_ws_publish_pauses_total", "counter",
           "Times a session was not read from because 256 of its publishes were unanswered",
           double(wsPublishPauses.load()), labels);
    sample(out, "herald_sessions_rejected_total", "counter",
           "WebSockets closed with 1013 because the connection cap was reached",
           double(sessionsRejectedOverCapacity.load()), labels);
    sample(out, "herald_sessions_rejected_address_full_total", "counter",
           "WebSockets closed with 1013 because their address held its share of sessions",
           double(sessionsRejectedAddressFull.load()), labels);
    sample(out, "herald_sessions_dropped_slow_total", "counter",
           "Sessions cut off because they did not read their frames",
           double(sessionsDroppedSlow.load()), labels);
    sample(out, "herald_store_batches_total", "counter", "Store transactions committed",
           double(storeBatches.load()), labels);
    sample(out, "herald_store_operations_total", "counter",
           "Store operations committed (several share one transaction)",
           double(storeOperations.load()), labels);
    sample(out, "herald_relay_records_sent_total", "counter", "Relay records sent to peers",
           double(relayRecordsSent.load()), labels);
    sample(out, "herald_relay_records_received_total", "counter",
           "Relay records received from peers (duplicates included)",
           double(relayRecordsReceived.load()), labels);
    sample(out, "herald_relay_records_applied_total", "counter",
           "Relay records from peers taken in", double(relayRecordsApplied.load()), labels);
    sample(out, "herald_relay_transients_received_total", "counter",
           "Transient notifications from peers shown here", double(relayTransientsReceived.load()),
           labels);
    sample(out, "herald_relay_gaps_total", "counter",
           "Records from a peer past a gap (the link was asked to resync)",
           double(relayGaps.load()), labels);
    sample(out, "herald_relay_links_lost_total", "counter", "Peer links that ended",
           double(relayLinksLost.load()), labels);
    sample(out, "herald_http_connections_open", "gauge",
           "HTTP connections held (a connection counts as HTTP until it is upgraded)",
           double(httpConnectionsOpen.load()), labels);
    sample(out, "herald_http_connections_max", "gauge", "HTTP connections held at most",
           double(httpConnectionCap.load()), labels);
    sample(out, "herald_sessions_max", "gauge", "WebSocket sessions held at most",
           double(sessionCap.load()), labels);
    labelled(out, "herald_http_connections_refused_total", "counter",
             "Connections answered at once and closed: the node's (503) or the address's (429) "
             "connection cap was reached",
             labels, "reason",
             {{"server_full", double(httpRefusedServerFull.load())},
              {"address_full", double(httpRefusedAddressFull.load())}});
    labelled(out, "herald_rate_limited_total", "counter",
             "Requests and upgrades answered 429, register frames closed 1013, by a rate limit",
             labels, "limit",
             {{"address", double(rateLimitedAddress.load())},
              {"token", double(rateLimitedToken.load())},
              {"auth_failures", double(rateLimitedAuthFailures.load())}});
    sample(out, "herald_auth_failures_total", "counter",
           "Requests, upgrades and register frames with a token looked up and not valid",
           double(authFailures.load()), labels);
    sample(out, "herald_auth_store_lookups_total", "counter",
           "Tokens looked up in the store (not in the cache)", double(authStoreLookups.load()),
           labels);
    return out;
}

} // namespace herald::syncd
