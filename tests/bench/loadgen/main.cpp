// SPDX-License-Identifier: Apache-2.0
// herald-loadgen: a load generator for herald-syncd and, with the same code paths, for the
// reference brokers (nats-server and mosquitto over their WebSocket listeners).
//
// Plain epoll, non-blocking sockets, edge-triggered, many connections per thread, no Qt:
// the generator must never be what limits a measurement (see docs/PERFORMANCE.md for the
// check against herald-trivial-server).
//
// Every published message carries "@@<publish time in µs, CLOCK_MONOTONIC>.<sequence>@@";
// every subscriber parses it, so latency is end to end (producer write -> subscriber read)
// and each subscriber counts what it lost and what it received twice.
//
// Modes
//   fanout    N subscribers on one channel; M publishes (max speed, or --rate per second)
//   channels  N subscribers, each on its own channel; M publishes spread round robin over
//             the channels through --publishers keep-alive connections
//   idle      N registered connections held for --hold seconds; server RSS from
//             /proc/<--server-pid>/status. With --fetch-last each register asks for a
//             backlog: registrations/s and register -> backlogDone latency (S5)
//   ingest    no subscribers; --publishers producers publish (persistent with
//             --persistent) to --channels channels for --duration seconds (S4)
// Protocols: herald (REST publish + native WebSocket), nats (WebSocket listener, text
// protocol), mqtt (mosquitto's WebSocket listener, MQTT 3.1.1, QoS 0).
// Herald publishes over keep-alive HTTP (--pipeline requests in flight per connection) or,
// with --publish-over ws, over WebSocket publishing sessions: register without
// subscriptions, then up to --window publish frames unanswered per connection; a publish
// counts when its "published" answer arrives, an "error" answer is a refused publish.
// --subscribe-url (repeatable) puts the subscribers on other servers than the publisher's,
// round robin: the nodes of a Herald cluster (S6). Each of those servers gets the
// application and channels, and the JSON line has "by_url": latency, lost and duplicates
// per URL, in the order given; in fan-out also "relay_p50_ms"/"relay_p99_ms" from the
// second URL on: per message, when that server delivered it first minus when the first
// URL's server did.
//
// Output: one JSON line on stdout; on stderr one human line (the last), preceded by one
// per --subscribe-url. Exit code 0 unless setup failed or a subscriber did not register
// (3); lost messages are reported, not an error: the caller decides.

#include "net.h"
#include "options.h"
#include "procstats.h"
#include "protocol.h"
#include "publisher.h"
#include "shared.h"
#include "worker.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace loadgen;

namespace {

double signedPercentileMs(std::vector<int64_t> &v, double q)
{
    size_t k = std::min(v.size() - 1, size_t(q * double(v.size())));
    std::nth_element(v.begin(), v.begin() + long(k), v.end());
    return double(v[k]) / 1000.0;
}

// CPU time of every --server-pid together; -1 when one is unavailable.
double serversCpuSeconds()
{
    double sum = procCpuSeconds(opt.serverPid);
    for (int pid : opt.extraPids) {
        const double s = procCpuSeconds(pid);
        if (s < 0 || sum < 0)
            return -1;
        sum += s;
    }
    return sum;
}

// What the subscribers of one --subscribe-url received.
struct PerUrl
{
    std::vector<uint32_t> lat; // µs
    long subscribers = 0, registered = 0, received = 0, lost = 0, dups = 0;
};

double percentileMs(std::vector<uint32_t> &v, double q)
{
    if (v.empty())
        return -1;
    size_t k = std::min(v.size() - 1, size_t(q * double(v.size())));
    std::nth_element(v.begin(), v.begin() + long(k), v.end());
    return v[k] / 1000.0;
}

// A counter of herald-syncd's Prometheus text at /metrics (labels ignored, the first
// sample wins); -1 when there is none.
double metric(const char *name)
{
    int status = 0;
    std::string resp;
    if (!httpRequest("GET", "/metrics", "", status, &resp) || status != 200)
        return -1;
    const std::string key = std::string("\n") + name;
    for (size_t p = resp.find(key); p != std::string::npos; p = resp.find(key, p + 1)) {
        const char after = resp[p + key.size()];
        if (after != ' ' && after != '{')
            continue;
        const size_t eol = resp.find('\n', p + 1);
        const size_t sp = resp.rfind(' ', eol);
        if (sp == std::string::npos || sp < p)
            return -1;
        return std::strtod(resp.c_str() + sp + 1, nullptr);
    }
    return -1;
}

// Creates the application and the channels of this run on one server; false (after saying
// why) when the server refused.
bool setUpServer(const sockaddr_in *server)
{
    int status = 0;
    std::string resp;
    if (!httpRequest("PUT", "/api/v1/applications/" + opt.app, "{\"title\":\"Bench\"}", status,
                     &resp, server) ||
        (status != 200 && status != 201)) {
        std::fprintf(stderr, "herald-loadgen: cannot create application %s (status %d)\n%s\n",
                     opt.app.c_str(), status, resp.c_str());
        return false;
    }
    // Channels auto-create on publish; create them up front so that registering never
    // races the first publish.
    const int channels = opt.mode == Mode::Channels || opt.mode == Mode::Idle ? opt.subscribers
                         : opt.mode == Mode::Ingest                           ? opt.channels
                                                                              : 1;
    for (int c = 0; c < channels; ++c) {
        if (!httpRequest("PUT", "/api/v1/applications/" + opt.app + "/channels/" + channelName(c),
                         "{\"title\":\"" + channelName(c) + "\"}", status, nullptr, server) ||
            (status != 200 && status != 201)) {
            std::fprintf(stderr, "herald-loadgen: cannot create channel %s (status %d)\n",
                         channelName(c).c_str(), status);
            return false;
        }
    }
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    parseArgs(argc, argv);
    rlimit rl{};
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);

    serverAddr.sin_family = AF_INET;
    serverAddr.sin_port = htons(uint16_t(opt.port));
    if (inet_pton(AF_INET, opt.host.c_str(), &serverAddr.sin_addr) != 1) {
        std::fprintf(stderr, "herald-loadgen: --host must be an IPv4 address\n");
        return 2;
    }

    for (const std::string &url : opt.subscribeUrls) {
        Endpoint e;
        if (!parseEndpoint(url, e)) {
            std::fprintf(stderr, "herald-loadgen: --subscribe-url %s: not ws://IPV4:PORT\n",
                         url.c_str());
            return 2;
        }
        subscribeTargets.push_back(std::move(e));
    }
    const bool perUrl = !subscribeTargets.empty();
    if (!perUrl) {
        Endpoint e;
        e.url = "ws://" + opt.host + ":" + std::to_string(opt.port);
        e.host = opt.host;
        e.port = opt.port;
        e.addr = serverAddr;
        subscribeTargets.push_back(std::move(e));
    }

    if (opt.proto == Proto::Herald) {
        // Applications and channels are per database: with subscribers on other nodes of a
        // cluster, every node gets them.
        std::vector<const sockaddr_in *> servers{&serverAddr};
        for (const Endpoint &e : subscribeTargets) {
            if (std::none_of(servers.begin(), servers.end(), [&e](const sockaddr_in *a) {
                    return a->sin_port == e.addr.sin_port &&
                           a->sin_addr.s_addr == e.addr.sin_addr.s_addr;
                }))
                servers.push_back(&e.addr);
        }
        for (const sockaddr_in *server : servers) {
            if (!setUpServer(server))
                return 2;
        }
    }

    // Ingest: how many store transactions carried the publishes (group commit at work).
    const bool scrape = opt.mode == Mode::Ingest && opt.proto == Proto::Herald;
    const double batches0 = scrape ? metric("herald_store_batches_total") : -1;
    closeSetupConnection();

    const long baseRss = opt.serverPid ? procStatusKb(opt.serverPid, "VmRSS") : -1;

    // Subscribers, spread over the worker threads.
    std::vector<std::unique_ptr<Worker>> workers;
    for (int t = 0; t < opt.threads; ++t) {
        auto w = std::make_unique<Worker>();
        w->latencies.resize(subscribeTargets.size());
        if (perUrl && opt.mode == Mode::Fanout)
            w->firstArrival.assign(subscribeTargets.size(),
                                   std::vector<int64_t>(size_t(opt.messages), 0));
        w->ep = epoll_create1(EPOLL_CLOEXEC);
        if (w->ep < 0)
            die("epoll_create1");
        w->concurrency = std::max(1, opt.connectConcurrency / opt.threads);
        workers.push_back(std::move(w));
    }
    const long perSub = opt.mode == Mode::Fanout ? opt.messages
                        : opt.mode == Mode::Channels
                            ? (opt.messages + opt.subscribers - 1) / opt.subscribers
                            : 0;
    const bool subscribing = opt.mode == Mode::Fanout || opt.mode == Mode::Channels;
    for (int i = 0; i < opt.subscribers; ++i) {
        auto c = std::make_unique<Conn>();
        c->index = i;
        c->channel = opt.mode == Mode::Fanout ? 0 : i;
        c->target = i % int(subscribeTargets.size());
        if (subscribing)
            c->seen.assign(size_t(perSub), 0);
        workers[size_t(i % opt.threads)]->conns.push_back(std::move(c));
    }

    const double srvCpuConnect0 = opt.serverPid ? serversCpuSeconds() : -1;
    const int64_t tConnect = nowUs();
    std::vector<std::thread> threads;
    for (auto &w : workers)
        threads.emplace_back([&w] { w->run(); });

    // Wait until every subscriber is registered or given up on (or nothing moves for 10 s).
    long lastReady = -1;
    int64_t lastMove = nowUs();
    for (;;) {
        long r = gReady.load();
        long done = r + gGaveUp.load();
        if (done != lastReady) {
            lastReady = done;
            lastMove = nowUs();
        }
        if (done >= opt.subscribers)
            break;
        if (nowUs() - lastMove > 10'000'000 || nowUs() - tConnect > int64_t(opt.timeout * 1e6))
            break;
        usleep(2000);
    }
    const int64_t tReady = nowUs();
    const long registered = gReady.load();
    if (registered < opt.subscribers)
        std::fprintf(stderr, "herald-loadgen: only %ld of %d subscribers registered\n", registered,
                     opt.subscribers);

    double genCpu0 = selfCpuSeconds();
    double srvCpu0 = opt.serverPid ? serversCpuSeconds() : -1;
    // Connecting and registering (S5's storm) are not in the measured phase: their own figure.
    const double srvCpuConnect = opt.serverPid ? srvCpu0 - srvCpuConnect0 : -1;

    long idleRss = -1;
    int64_t tEnd = tReady;
    long published = 0;
    // What the publisher could not account for: written and never answered, answers that
    // matched nothing written (herald over WebSocket), and the refusals by error code.
    long unanswered = 0, unexpectedAnswers = 0;
    bool stalled = false;
    std::string errorCodes;
    if (opt.mode == Mode::Idle) {
        usleep(useconds_t(opt.hold * 1e6));
        idleRss = opt.serverPid ? procStatusKb(opt.serverPid, "VmRSS") : -1;
        tEnd = nowUs();
    } else {
        Publisher pub;
        pub.ep = epoll_create1(EPOLL_CLOEXEC);
        if (!pub.connectAll()) {
            std::fprintf(stderr, "herald-loadgen: publisher connections failed\n");
            gStop = true;
            for (auto &t : threads)
                t.join();
            return 2;
        }
        std::thread pt([&pub] { pub.run(); });
        // Wait for the publisher to finish, then for deliveries to stop arriving.
        pt.join();
        published = gPublished.load();
        unanswered = pub.unanswered();
        unexpectedAnswers = pub.unexpectedAnswers;
        stalled = pub.stalled;
        for (const auto &[code, n] : pub.errorCodes)
            errorCodes += (errorCodes.empty() ? "" : ",") + std::string("\"") + code +
                          "\":" + std::to_string(n);
        // With --duration the publisher stops early: what it sent is what is expected.
        const long sent = opt.duration > 0 ? published : opt.messages;
        const long expected = opt.mode == Mode::Fanout     ? long(registered) * sent
                              : opt.mode == Mode::Channels ? sent
                                                           : 0;
        int64_t lastProgress = nowUs();
        long lastCount = -1;
        while (gReceived.load() < expected) {
            long r = gReceived.load();
            if (r != lastCount) {
                lastCount = r;
                lastProgress = nowUs();
            }
            if (nowUs() - lastProgress > opt.drainMs * 1000)
                break;
            usleep(1000);
        }
        tEnd = nowUs();
        for (auto &c : pub.conns)
            if (c->fd >= 0)
                close(c->fd);
    }
    const double genCpu = selfCpuSeconds() - genCpu0;
    const double srvCpu = opt.serverPid ? serversCpuSeconds() - srvCpu0 : -1;
    const long endRss = opt.serverPid ? procStatusKb(opt.serverPid, "VmRSS") : -1;
    const long held = gReady.load();
    const double batches =
        scrape && batches0 >= 0 ? metric("herald_store_batches_total") - batches0 : -1;

    gStop = true;
    for (auto &t : threads)
        t.join();

    // Aggregate, in total and per subscribe URL.
    const long sentAll = opt.duration > 0 ? published : opt.messages;
    std::vector<uint32_t> lat, reg, conn;
    long lost = 0, dups = 0, foreign = 0, received = 0, backlog = 0;
    std::vector<PerUrl> byUrl(subscribeTargets.size());
    for (auto &w : workers) {
        for (size_t t = 0; t < w->latencies.size() && t < byUrl.size(); ++t) {
            lat.insert(lat.end(), w->latencies[t].begin(), w->latencies[t].end());
            byUrl[t].lat.insert(byUrl[t].lat.end(), w->latencies[t].begin(), w->latencies[t].end());
        }
        reg.insert(reg.end(), w->registerLatencies.begin(), w->registerLatencies.end());
        conn.insert(conn.end(), w->connectLatencies.begin(), w->connectLatencies.end());
        for (auto &c : w->conns) {
            backlog += c->backlog;
            // Idle: a register that brought less backlog than the store holds lost some.
            if (opt.mode == Mode::Idle && opt.expectBacklog > 0)
                lost += std::max(0L, long(opt.expectBacklog) - c->backlog);
            if (!subscribing)
                continue;
            long expectedHere = perSub;
            if (opt.mode == Mode::Channels)
                expectedHere =
                    sentAll / opt.subscribers + (c->channel < sentAll % opt.subscribers ? 1 : 0);
            // A subscriber that never registered lost everything (it counts as lost, too).
            const long lostHere = std::max(0L, expectedHere - c->distinct);
            lost += lostHere;
            dups += c->dups;
            foreign += c->foreign;
            received += c->distinct + c->dups;
            PerUrl &u = byUrl[size_t(c->target)];
            ++u.subscribers;
            u.registered += c->everReady ? 1 : 0;
            u.lost += lostHere;
            u.dups += c->dups;
            u.received += c->distinct + c->dups;
        }
    }
    // Fan-out: when each server delivered each message first (over all threads), and per
    // server the delay behind the first URL's server for the same message ("relay").
    std::vector<std::vector<int64_t>> first;
    for (auto &w : workers) {
        if (first.empty()) {
            first = w->firstArrival;
            continue;
        }
        for (size_t t = 0; t < first.size() && t < w->firstArrival.size(); ++t)
            for (size_t i = 0; i < first[t].size() && i < w->firstArrival[t].size(); ++i) {
                const int64_t v = w->firstArrival[t][i];
                if (v && (!first[t][i] || v < first[t][i]))
                    first[t][i] = v;
            }
    }
    // "by_url": only when --subscribe-url named the servers.
    std::string byUrlJson;
    if (perUrl) {
        byUrlJson = ",\"by_url\":[";
        for (size_t t = 0; t < byUrl.size(); ++t) {
            PerUrl &u = byUrl[t];
            const double u50 = percentileMs(u.lat, 0.50), u99 = percentileMs(u.lat, 0.99);
            const double umax =
                u.lat.empty() ? -1 : *std::max_element(u.lat.begin(), u.lat.end()) / 1000.0;
            std::vector<int64_t> relay; // µs, this server's first delivery - the first URL's
            for (size_t i = 0; t > 0 && t < first.size() && i < first[t].size(); ++i)
                if (first[t][i] && first[0][i])
                    relay.push_back(first[t][i] - first[0][i]);
            std::string relayJson;
            if (!relay.empty()) {
                char r[128];
                std::snprintf(r, sizeof r, ",\"relay_p50_ms\":%.3f,\"relay_p99_ms\":%.3f",
                              signedPercentileMs(relay, 0.50), signedPercentileMs(relay, 0.99));
                relayJson = r;
            }
            char buf[384];
            std::snprintf(buf, sizeof buf,
                          "\"subscribers\":%ld,\"registered\":%ld,\"received\":%ld,\"lost\":%ld,"
                          "\"duplicates\":%ld,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f",
                          u.subscribers, u.registered, u.received, u.lost, u.dups, u50, u99, umax);
            byUrlJson += std::string(t ? "," : "") + "{\"url\":\"" + subscribeTargets[t].url +
                         "\"," + buf + relayJson + "}";
            std::fprintf(stderr,
                         "%s   %s: %ld/%ld registered, %ld received, lost %ld, dup %ld, "
                         "p50 %.2f ms, p99 %.2f ms\n",
                         opt.label.c_str(), subscribeTargets[t].url.c_str(), u.registered,
                         u.subscribers, u.received, u.lost, u.dups, u50, u99);
        }
        byUrlJson += "]";
    }
    const int64_t firstPub = gFirstPublishUs.load();
    const int64_t lastDel = gLastDeliveryUs.load();
    const int64_t lastPub = gLastPublishUs.load();
    const double deliverySpan = firstPub && lastDel > firstPub ? (lastDel - firstPub) / 1e6 : 0;
    const double publishSpan = firstPub && lastPub > firstPub ? (lastPub - firstPub) / 1e6 : 0;
    const double deliveriesPerS = deliverySpan > 0 ? received / deliverySpan : 0;
    const double publishesPerS = publishSpan > 0 ? published / publishSpan : 0;
    const double regSpan = (tReady - tConnect) / 1e6;
    const double p50 = percentileMs(lat, 0.50), p99 = percentileMs(lat, 0.99);
    const double pmax = lat.empty() ? -1 : *std::max_element(lat.begin(), lat.end()) / 1000.0;
    const double r50 = percentileMs(reg, 0.50), r99 = percentileMs(reg, 0.99);
    const double c50 = percentileMs(conn, 0.50), c99 = percentileMs(conn, 0.99);
    const long rssPerConnB =
        (idleRss > 0 && baseRss > 0 && held > 0) ? (idleRss - baseRss) * 1024 / held : -1;

    std::printf(
        "{\"label\":\"%s\",\"mode\":\"%s\",\"proto\":\"%s\",\"subscribers\":%d,\"registered\":%ld,"
        "\"messages\":%ld,\"rate\":%g,\"publishers\":%d,\"payload\":%d,\"published\":%ld,"
        "\"publish_errors\":%ld,\"received\":%ld,\"lost\":%ld,\"duplicates\":%ld,\"foreign\":%ld,"
        "\"deliveries_per_s\":%.0f,\"publishes_per_s\":%.0f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,"
        "\"max_ms\":%.3f,\"register_s\":%.3f,\"registrations_per_s\":%.0f,\"register_p50_ms\":%.3f,"
        "\"register_p99_ms\":%.3f,\"connect_failures\":%ld,\"closed_by_server\":%ld,\"errors\":%ld,"
        "\"held\":%ld,\"server_rss_base_kb\":%ld,\"server_rss_kb\":%ld,\"server_rss_idle_kb\":%ld,"
        "\"rss_per_conn_bytes\":%ld,\"gen_cpu_s\":%.3f,\"server_cpu_s\":%.3f,\"duration_s\":%.3f,"
        "\"connect_p50_ms\":%.3f,\"connect_p99_ms\":%.3f,\"backlog_received\":%ld,"
        "\"store_batches\":%.0f,\"publish_span_s\":%.3f,\"server_cpu_connect_s\":%.3f,"
        "\"persistent\":%s,\"publish_over\":\"%s\",\"window\":%d,\"publish_unanswered\":%ld,"
        "\"publish_unexpected\":%ld,\"publish_stalled\":%s,\"publish_error_codes\":{%s}%s}\n",
        opt.label.c_str(), modeName(opt.mode), protoName(opt.proto), opt.subscribers, registered,
        opt.messages, opt.rate, opt.publishers, opt.payload, published, gPublishErrors.load(),
        received, lost, dups, foreign, deliveriesPerS, publishesPerS, p50, p99, pmax, regSpan,
        regSpan > 0 ? registered / regSpan : 0, r50, r99, gConnectFailures.load(),
        gClosedByServer.load(), gErrors.load(), held, baseRss, endRss, idleRss, rssPerConnB, genCpu,
        srvCpu, (tEnd - tConnect) / 1e6, c50, c99, backlog, batches, publishSpan, srvCpuConnect,
        opt.persistent ? "true" : "false", publishOverName(opt.publishOver),
        opt.publishOver == PublishOver::Ws ? opt.window : opt.pipeline, unanswered,
        unexpectedAnswers, stalled ? "true" : "false", errorCodes.c_str(), byUrlJson.c_str());
    std::fflush(stdout);
    if (gPublishErrors.load() || unanswered || unexpectedAnswers)
        std::fprintf(stderr,
                     "%s publishes over %s: %ld refused {%s}, %ld unanswered%s, %ld answers "
                     "matching nothing written\n",
                     opt.label.c_str(), publishOverName(opt.publishOver), gPublishErrors.load(),
                     errorCodes.c_str(), unanswered, stalled ? " (stalled)" : "",
                     unexpectedAnswers);
    if (opt.mode == Mode::Idle)
        std::fprintf(stderr,
                     "%s idle %s: %ld/%d held, server RSS %ld -> %ld kB, %ld B per connection; "
                     "%.0f registrations/s, register p50 %.2f ms, p99 %.2f ms, backlog %ld, "
                     "lost %ld\n",
                     opt.label.c_str(), protoName(opt.proto), held, opt.subscribers, baseRss,
                     idleRss, rssPerConnB, regSpan > 0 ? registered / regSpan : 0, r50, r99,
                     backlog, lost);
    else if (opt.mode == Mode::Ingest)
        std::fprintf(stderr,
                     "%s ingest %s%s: %ld published in %.2f s (%.0f/s), %ld errors, %.0f store "
                     "batches; cpu gen %.2f s, server %.2f s\n",
                     opt.label.c_str(), protoName(opt.proto),
                     opt.publishOver == PublishOver::Ws ? " over ws" : "", published, publishSpan,
                     publishesPerS, gPublishErrors.load(), batches, genCpu, srvCpu);
    else
        std::fprintf(stderr,
                     "%s %s %s%s: %d subs, %ld/%ld published (%.0f/s), %ld received (%.0f/s), lost "
                     "%ld, dup %ld, "
                     "p50 %.2f ms, p99 %.2f ms; cpu gen %.2f s, server %.2f s\n",
                     opt.label.c_str(), modeName(opt.mode), protoName(opt.proto),
                     opt.publishOver == PublishOver::Ws ? " over ws" : "", opt.subscribers,
                     published, opt.messages, publishesPerS, received, deliveriesPerS, lost, dups,
                     p50, p99, genCpu, srvCpu);
    return registered < opt.subscribers ? 3 : 0;
}
