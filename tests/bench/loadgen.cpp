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
//             /proc/<--server-pid>/status
// Protocols: herald (REST publish + native WebSocket), nats (WebSocket listener, text
// protocol), mqtt (mosquitto's WebSocket listener, MQTT 3.1.1, QoS 0).
//
// Output: one JSON line on stdout, one human line on stderr. Exit code 0 unless setup
// failed (lost messages are reported, not an error: the caller decides).

#include "wsframe.h"

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <string_view>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace std::string_view_literals;

namespace {

enum class Mode
{
    Fanout,
    Channels,
    Idle
};
enum class Proto
{
    Herald,
    Nats,
    Mqtt
};

struct Options
{
    Mode mode = Mode::Fanout;
    Proto proto = Proto::Herald;
    std::string host = "127.0.0.1";
    int port = 0;
    int subscribers = 100;
    long messages = 1000;
    double rate = 0;    // publishes per second; 0 = as fast as the producer can
    int publishers = 1; // publishing connections
    int pipeline = 1;   // herald: requests in flight per publishing connection
    int threads = 1;    // subscriber threads
    int serverPid = 0;
    double hold = 5;    // idle: seconds to hold the connections
    int drainMs = 5000; // give up waiting for deliveries after this long without progress
    int connectConcurrency = 128;
    int payload = 64; // bytes of message text
    int fetchLast = 0;
    bool persistent = false;
    std::string app = "bench";
    std::string label;
    double timeout = 600;
};

int64_t nowUs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

uint32_t fastRand()
{
    thread_local uint32_t s = uint32_t(nowUs()) | 1u;
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    return s ? s : 0x9e3779b9u;
}

[[noreturn]] void die(const char *what)
{
    std::fprintf(stderr, "herald-loadgen: %s: %s\n", what, std::strerror(errno));
    std::exit(2);
}

Options opt;
sockaddr_in serverAddr;

// ---------------------------------------------------------------- shared counters
std::atomic<long> gReady{0}, gConnectFailures{0}, gClosedByServer{0}, gReceived{0}, gErrors{0};
std::atomic<int64_t> gLastDeliveryUs{0};
std::atomic<bool> gStop{false};
std::atomic<long> gPublished{0}, gPublishErrors{0};
std::atomic<int64_t> gFirstPublishUs{0}, gLastPublishUs{0};
std::atomic<bool> gErrorPrinted{false};

void noteError(std::string_view what)
{
    gErrors.fetch_add(1, std::memory_order_relaxed);
    if (!gErrorPrinted.exchange(true))
        std::fprintf(stderr, "herald-loadgen: first error: %.*s\n",
                     int(std::min<size_t>(what.size(), 300)), what.data());
}

// ---------------------------------------------------------------- protocol text
std::string channelName(int c)
{
    return "c" + std::to_string(c);
}

std::string natsSubject(int c)
{
    return opt.app + "." + channelName(c);
}
std::string mqttTopic(int c)
{
    return opt.app + "/" + channelName(c);
}

void mqttVarint(std::string &out, size_t v)
{
    do {
        uint8_t b = v & 0x7f;
        v >>= 7;
        if (v)
            b |= 0x80;
        out.push_back(char(b));
    } while (v);
}

void mqttString(std::string &out, std::string_view s)
{
    out.push_back(char(s.size() >> 8));
    out.push_back(char(s.size() & 0xff));
    out.append(s);
}

std::string mqttConnect(const std::string &clientId)
{
    std::string var;
    mqttString(var, "MQTT");
    var.push_back(4);    // protocol level 3.1.1
    var.push_back(0x02); // clean session
    var.push_back(0);    // keep alive 0: off (idle connections must not need pings)
    var.push_back(0);
    mqttString(var, clientId);
    std::string out(1, char(0x10));
    mqttVarint(out, var.size());
    return out + var;
}

std::string mqttSubscribe(const std::string &topic)
{
    std::string var;
    var.push_back(0);
    var.push_back(1); // packet id 1
    mqttString(var, topic);
    var.push_back(0); // QoS 0
    std::string out(1, char(0x82));
    mqttVarint(out, var.size());
    return out + var;
}

std::string mqttPublish(const std::string &topic, std::string_view payload)
{
    std::string out(1, char(0x30));
    mqttVarint(out, 2 + topic.size() + payload.size());
    mqttString(out, topic);
    out.append(payload);
    return out;
}

// The message text: marker, then padding up to opt.payload bytes.
std::string messageText(int64_t us, long seq)
{
    char head[64];
    int n = std::snprintf(head, sizeof head, "bench @@%" PRId64 ".%ld@@", us, seq);
    std::string s(head, size_t(n));
    if (int(s.size()) < opt.payload)
        s.append(size_t(opt.payload - int(s.size())), 'x');
    return s;
}

// Finds the marker in a delivered message: returns false when there is none.
bool parseMarker(std::string_view s, int64_t &us, long &seq)
{
    size_t p = s.find("@@"sv);
    if (p == std::string_view::npos)
        return false;
    p += 2;
    int64_t u = 0;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9')
        u = u * 10 + (s[p++] - '0');
    if (p >= s.size() || s[p] != '.')
        return false;
    ++p;
    long q = 0;
    size_t start = p;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9')
        q = q * 10 + (s[p++] - '0');
    if (p == start)
        return false;
    us = u;
    seq = q;
    return true;
}

// ---------------------------------------------------------------- sockets
int openSocket()
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, reinterpret_cast<sockaddr *>(&serverAddr), sizeof serverAddr) < 0 &&
        errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    return fd;
}

std::string wsHandshake()
{
    std::string s = "GET ";
    s += opt.proto == Proto::Herald ? "/api/v1/ws" : "/";
    s += " HTTP/1.1\r\nHost: " + opt.host + ":" + std::to_string(opt.port) +
         "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
         "dGhlIHNhbXBsZSBub25jZQ==\r\n"
         "Sec-WebSocket-Version: 13\r\n";
    if (opt.proto == Proto::Mqtt)
        s += "Sec-WebSocket-Protocol: mqtt\r\n";
    s += "\r\n";
    return s;
}

// ---------------------------------------------------------------- connections
enum class State
{
    Connecting,
    Upgrading,
    Registering,
    Ready,
    Closed
};

struct Conn
{
    int fd = -1;
    int index = 0; // subscriber index (or publisher index)
    int channel = 0;
    int attempts = 0;
    State state = State::Connecting;
    bool publisher = false;
    std::string in;  // unparsed bytes
    std::string out; // unsent bytes
    size_t outPos = 0;
    std::string message; // fragments of the current WebSocket message
    std::string stream;  // nats / mqtt: protocol bytes not yet parsed
    int64_t connectStartUs = 0;
    // subscriber bookkeeping
    std::vector<uint8_t> seen;
    long distinct = 0, dups = 0, foreign = 0;
    // herald publisher: send times of the requests in flight are in the messages
    int inFlight = 0;
};

struct Worker;

struct Worker
{
    int ep = -1;
    std::vector<std::unique_ptr<Conn>> conns;
    std::vector<uint32_t> latencies;         // µs
    std::vector<uint32_t> registerLatencies; // µs, connect start -> ready
    size_t nextToConnect = 0;
    int pending = 0; // connecting or registering
    int concurrency = 64;
    long expectedPerSub = 0;

    void add(Conn *c)
    {
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
        ev.data.ptr = c;
        if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) < 0)
            die("epoll_ctl");
    }

    bool start(Conn *c)
    {
        c->fd = openSocket();
        if (c->fd < 0) {
            gConnectFailures.fetch_add(1);
            return false;
        }
        c->state = State::Connecting;
        c->in.clear();
        c->out.clear();
        c->outPos = 0;
        c->stream.clear();
        c->message.clear();
        if (!c->connectStartUs)
            c->connectStartUs = nowUs();
        add(c);
        return true;
    }

    void fail(Conn *c, bool retry)
    {
        bool wasReady = c->state == State::Ready;
        if (c->fd >= 0) {
            epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, nullptr);
            close(c->fd);
            c->fd = -1;
        }
        c->state = State::Closed;
        if (wasReady) {
            gReady.fetch_sub(1);
            gClosedByServer.fetch_add(1);
            return;
        }
        if (retry && ++c->attempts < 5 && !gStop.load()) {
            gConnectFailures.fetch_add(1);
            if (start(c))
                return;
        }
        if (!c->publisher)
            --pending;
    }

    void flush(Conn *c)
    {
        while (c->outPos < c->out.size()) {
            ssize_t n =
                send(c->fd, c->out.data() + c->outPos, c->out.size() - c->outPos, MSG_NOSIGNAL);
            if (n > 0) {
                c->outPos += size_t(n);
            } else if (n < 0 && errno == EINTR) {
                continue;
            } else {
                if (n < 0 && errno != EAGAIN)
                    fail(c, false);
                return;
            }
        }
        c->out.clear();
        c->outPos = 0;
    }

    void sendFrame(Conn *c, uint8_t opcode, std::string_view data)
    {
        bench::appendFrame(c->out, opcode, data.data(), data.size(), fastRand());
    }

    void onUpgraded(Conn *c)
    {
        c->state = State::Registering;
        switch (opt.proto) {
        case Proto::Herald:
            if (c->publisher)
                break;
            {
                std::string reg = "{\"type\":\"register\",\"clientId\":\"lg-" +
                                  std::to_string(c->index) +
                                  "\",\"user\":\"bench\",\"subscriptions\":[{\"application\":\"" +
                                  opt.app + "\",\"channels\":[\"" + channelName(c->channel) +
                                  "\"]}],\"fetchLast\":" + std::to_string(opt.fetchLast) + "}";
                sendFrame(c, bench::Text, reg);
            }
            break;
        case Proto::Nats: {
            std::string s = "CONNECT {\"verbose\":false,\"pedantic\":false,\"name\":\"lg\"}\r\n";
            if (!c->publisher)
                s += "SUB " + natsSubject(c->channel) + " 1\r\n";
            s += "PING\r\n";
            sendFrame(c, bench::Text, s);
            break;
        }
        case Proto::Mqtt: {
            std::string s = mqttConnect((c->publisher ? "lgp-" : "lg-") + std::to_string(c->index));
            if (!c->publisher)
                s += mqttSubscribe(mqttTopic(c->channel));
            sendFrame(c, bench::Binary, s);
            if (c->publisher)
                c->state = State::Ready; // CONNACK arrives before anything we publish is read
            break;
        }
        }
        flush(c);
    }

    void becomeReady(Conn *c)
    {
        if (c->state == State::Ready)
            return;
        c->state = State::Ready;
        if (c->publisher)
            return;
        --pending;
        gReady.fetch_add(1);
        registerLatencies.push_back(uint32_t(nowUs() - c->connectStartUs));
    }

    void record(Conn *c, std::string_view text)
    {
        int64_t us;
        long seq;
        if (!parseMarker(text, us, seq))
            return;
        const int64_t now = nowUs();
        latencies.push_back(uint32_t(std::max<int64_t>(0, now - us)));
        long idx = seq;
        if (opt.mode == Mode::Channels) {
            if (seq % opt.subscribers != c->channel) {
                ++c->foreign;
                return;
            }
            idx = seq / opt.subscribers;
        }
        if (idx < 0 || idx >= long(c->seen.size())) {
            ++c->foreign;
            return;
        }
        if (c->seen[size_t(idx)]++)
            ++c->dups;
        else
            ++c->distinct;
        gReceived.fetch_add(1, std::memory_order_relaxed);
        gLastDeliveryUs.store(now, std::memory_order_relaxed);
    }

    // nats: parse the protocol stream in c->stream (or `data` directly when nothing is stashed)
    void natsBytes(Conn *c, std::string_view data)
    {
        std::string_view s = data;
        if (!c->stream.empty()) {
            c->stream.append(data);
            s = c->stream;
        }
        size_t pos = 0;
        for (;;) {
            size_t eol = s.find("\r\n"sv, pos);
            if (eol == std::string_view::npos)
                break;
            std::string_view line = s.substr(pos, eol - pos);
            if (line.starts_with("MSG "sv)) {
                size_t sp = line.rfind(' ');
                size_t len =
                    size_t(std::strtoul(std::string(line.substr(sp + 1)).c_str(), nullptr, 10));
                if (s.size() < eol + 2 + len + 2)
                    break;
                record(c, s.substr(eol + 2, len));
                pos = eol + 2 + len + 2;
                continue;
            }
            if (line == "PING"sv) {
                sendFrame(c, bench::Text, "PONG\r\n");
            } else if (line == "PONG"sv) {
                becomeReady(c);
            } else if (line.starts_with("-ERR"sv)) {
                noteError(line);
            }
            pos = eol + 2;
        }
        std::string rest(s.substr(pos));
        c->stream = std::move(rest);
    }

    void mqttBytes(Conn *c, std::string_view data)
    {
        std::string_view s = data;
        if (!c->stream.empty()) {
            c->stream.append(data);
            s = c->stream;
        }
        size_t pos = 0;
        for (;;) {
            if (s.size() - pos < 2)
                break;
            const auto type = uint8_t(s[pos]) >> 4;
            size_t len = 0, mul = 1, p = pos + 1;
            bool complete = false;
            while (p < s.size()) {
                uint8_t b = uint8_t(s[p++]);
                len += (b & 0x7f) * mul;
                mul <<= 7;
                if (!(b & 0x80)) {
                    complete = true;
                    break;
                }
            }
            if (!complete || s.size() - p < len)
                break;
            std::string_view body = s.substr(p, len);
            if (type == 3 && body.size() >= 2) { // PUBLISH
                size_t tl = (size_t(uint8_t(body[0])) << 8) | uint8_t(body[1]);
                size_t off = 2 + tl + (((uint8_t(s[pos]) >> 1) & 3) ? 2 : 0);
                if (off <= body.size())
                    record(c, body.substr(off));
            } else if (type == 9) { // SUBACK
                becomeReady(c);
            } else if (type == 2) { // CONNACK
                if (body.size() >= 2 && body[1] != 0)
                    noteError("mqtt CONNACK refused");
            }
            pos = p + len;
        }
        std::string rest(s.substr(pos));
        c->stream = std::move(rest);
    }

    void onMessage(Conn *c, std::string_view m)
    {
        switch (opt.proto) {
        case Proto::Herald:
            if (c->state == State::Registering) {
                if (m.find("\"backlogDone\""sv) != std::string_view::npos)
                    becomeReady(c);
                else if (m.find("\"error\""sv) != std::string_view::npos)
                    noteError(m);
                return;
            }
            if (m.find("\"type\":\"notification\""sv) != std::string_view::npos)
                record(c, m);
            else if (m.find("\"type\":\"error\""sv) != std::string_view::npos)
                noteError(m);
            return;
        case Proto::Nats:
            natsBytes(c, m);
            return;
        case Proto::Mqtt:
            mqttBytes(c, m);
            return;
        }
    }

    // Parses WebSocket frames from buf[0..n); returns bytes consumed.
    size_t parseFrames(Conn *c, char *buf, size_t n)
    {
        size_t pos = 0;
        bench::Frame f;
        while (c->fd >= 0 && bench::parseFrame(buf + pos, n - pos, f)) {
            pos += f.consumed;
            switch (f.opcode) {
            case bench::Ping:
                sendFrame(c, bench::Pong, std::string_view(f.payload, f.len));
                break;
            case bench::Pong:
                break;
            case bench::Close:
                sendFrame(c, bench::Close, std::string_view(f.payload, std::min<size_t>(f.len, 2)));
                flush(c);
                if (c->fd >= 0)
                    fail(c, false);
                return pos;
            default:
                if (f.fin && c->message.empty()) {
                    onMessage(c, std::string_view(f.payload, f.len));
                } else {
                    c->message.append(f.payload, f.len);
                    if (f.fin) {
                        std::string m = std::move(c->message);
                        c->message.clear();
                        onMessage(c, m);
                    }
                }
            }
        }
        return pos;
    }

    // Handles bytes before the upgrade completes; returns bytes consumed.
    size_t parseUpgrade(Conn *c, char *buf, size_t n)
    {
        std::string_view s(buf, n);
        size_t end = s.find("\r\n\r\n"sv);
        if (end == std::string_view::npos)
            return 0;
        if (!s.starts_with("HTTP/1.1 101"sv)) {
            noteError(s.substr(0, end));
            fail(c, true);
            return n;
        }
        onUpgraded(c);
        return end + 4;
    }

    size_t consume(Conn *c, char *buf, size_t n)
    {
        size_t used = 0;
        if (c->state == State::Upgrading) {
            used = parseUpgrade(c, buf, n);
            if (c->state == State::Upgrading || c->fd < 0)
                return used;
        }
        return used + parseFrames(c, buf + used, n - used);
    }

    void onReadable(Conn *c, char *tl, size_t tlSize)
    {
        for (;;) {
            ssize_t n = recv(c->fd, tl, tlSize, 0);
            if (n > 0) {
                if (c->in.empty()) {
                    size_t used = consume(c, tl, size_t(n));
                    if (c->fd < 0)
                        return;
                    if (used < size_t(n))
                        c->in.assign(tl + used, size_t(n) - used);
                } else {
                    c->in.append(tl, size_t(n));
                    size_t used = consume(c, c->in.data(), c->in.size());
                    if (c->fd < 0)
                        return;
                    c->in.erase(0, used);
                }
                if (size_t(n) < tlSize)
                    break; // drained (edge-triggered: a short read means empty for now)
            } else if (n == 0) {
                fail(c, c->state != State::Ready);
                return;
            } else if (errno == EINTR) {
                continue;
            } else {
                if (errno != EAGAIN)
                    fail(c, c->state != State::Ready);
                return;
            }
        }
        if (c->fd >= 0 && !c->out.empty())
            flush(c);
    }

    void onEvent(Conn *c, uint32_t events, char *tl, size_t tlSize)
    {
        if (c->fd < 0)
            return;
        if (c->state == State::Connecting) {
            if (events & (EPOLLERR | EPOLLHUP)) {
                fail(c, true);
                return;
            }
            if (!(events & EPOLLOUT))
                return;
            int err = 0;
            socklen_t len = sizeof err;
            getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
            if (err) {
                fail(c, true);
                return;
            }
            c->state = State::Upgrading;
            c->out = wsHandshake();
            flush(c);
            if (c->fd < 0)
                return;
        }
        if (events & EPOLLIN)
            onReadable(c, tl, tlSize);
        if (c->fd >= 0 && (events & EPOLLOUT) && !c->out.empty())
            flush(c);
        if (c->fd >= 0 && (events & (EPOLLERR | EPOLLHUP)) && !(events & EPOLLIN))
            fail(c, c->state != State::Ready);
    }

    void run()
    {
        std::vector<char> tl(256 * 1024);
        epoll_event evs[512];
        while (!gStop.load(std::memory_order_relaxed)) {
            while (pending < concurrency && nextToConnect < conns.size()) {
                Conn *c = conns[nextToConnect++].get();
                if (start(c))
                    ++pending;
            }
            int n = epoll_wait(ep, evs, 512, 20);
            for (int i = 0; i < n; ++i)
                onEvent(static_cast<Conn *>(evs[i].data.ptr), evs[i].events, tl.data(), tl.size());
        }
    }
};

// ---------------------------------------------------------------- publisher
struct Publisher
{
    int ep = -1;
    std::vector<std::unique_ptr<Conn>> conns;
    Worker ws;         // reuses the WebSocket machinery for nats / mqtt publishers
    long next = 0;     // next sequence to publish
    long answered = 0; // herald: responses received (or nats/mqtt: written)
    int64_t t0 = 0;
    std::string firstError;

    int channelFor(long seq) const
    {
        return opt.mode == Mode::Channels ? int(seq % opt.subscribers) : 0;
    }

    std::string heraldRequest(long seq)
    {
        const int64_t us = nowUs();
        std::string body = "{\"application\":\"" + opt.app + "\",\"channel\":\"" +
                           channelName(channelFor(seq)) + "\",\"title\":\"t\",\"message\":\"" +
                           messageText(us, seq) +
                           "\",\"persistent\":" + (opt.persistent ? "true" : "false") + "}";
        return "POST /api/v1/notifications HTTP/1.1\r\nHost: " + opt.host +
               "\r\nContent-Type: application/json\r\nContent-Length: " +
               std::to_string(body.size()) + "\r\n\r\n" + body;
    }

    std::string wireMessage(long seq)
    {
        const int64_t us = nowUs();
        std::string text = messageText(us, seq);
        const int ch = channelFor(seq);
        if (opt.proto == Proto::Nats) {
            std::string s = "PUB " + natsSubject(ch) + " " + std::to_string(text.size()) + "\r\n" +
                            text + "\r\n";
            return s;
        }
        return mqttPublish(mqttTopic(ch), text);
    }

    bool due() const
    {
        if (next >= opt.messages)
            return false;
        if (opt.rate <= 0)
            return true;
        return nowUs() >= t0 + int64_t(double(next) * 1e6 / opt.rate);
    }

    void notePublished()
    {
        if (next == 0)
            gFirstPublishUs.store(nowUs());
        ++next;
    }

    // herald: parse HTTP responses
    void heraldResponses(Conn *c)
    {
        for (;;) {
            size_t end = c->in.find("\r\n\r\n");
            if (end == std::string::npos)
                return;
            size_t clen = 0;
            {
                std::string_view head(c->in.data(), end);
                for (size_t p = 0; p < head.size();) {
                    size_t e = head.find("\r\n", p);
                    if (e == std::string_view::npos)
                        e = head.size();
                    std::string_view line = head.substr(p, e - p);
                    if (line.size() > 15 && strncasecmp(line.data(), "content-length:", 15) == 0)
                        clen =
                            size_t(std::strtoul(std::string(line.substr(15)).c_str(), nullptr, 10));
                    p = e + 2;
                }
            }
            if (c->in.size() < end + 4 + clen)
                return;
            const bool ok = c->in.compare(0, 12, "HTTP/1.1 201") == 0 ||
                            c->in.compare(0, 12, "HTTP/1.1 200") == 0;
            if (!ok) {
                gPublishErrors.fetch_add(1);
                noteError(
                    std::string_view(c->in.data(), std::min<size_t>(c->in.size(), end + 4 + clen)));
            } else {
                gPublished.fetch_add(1, std::memory_order_relaxed);
            }
            c->in.erase(0, end + 4 + clen);
            --c->inFlight;
            ++answered;
            gLastPublishUs.store(nowUs());
        }
    }

    void fillHerald(Conn *c)
    {
        while (c->fd >= 0 && c->inFlight < opt.pipeline && due()) {
            c->out += heraldRequest(next);
            notePublished();
            ++c->inFlight;
        }
        if (!c->out.empty())
            ws.flush(c);
    }

    void fillStream(Conn *c)
    {
        // Fire and forget, but never more than 64 KiB queued in the generator.
        while (c->fd >= 0 && c->state == State::Ready && c->out.size() - c->outPos < 65536 &&
               due()) {
            ws.sendFrame(c, opt.proto == Proto::Nats ? bench::Text : bench::Binary,
                         wireMessage(next));
            notePublished();
            ++answered;
            gPublished.fetch_add(1, std::memory_order_relaxed);
            gLastPublishUs.store(nowUs());
            ws.flush(c);
        }
    }

    // Connect the publishing connections (blocking loop until all ready).
    bool connectAll()
    {
        ws.ep = ep;
        for (int i = 0; i < opt.publishers; ++i) {
            auto c = std::make_unique<Conn>();
            c->publisher = true;
            c->index = i;
            if (opt.proto == Proto::Herald) {
                c->fd = openSocket();
                if (c->fd < 0)
                    return false;
                c->state = State::Connecting;
                ws.add(c.get());
            } else if (!ws.start(c.get())) {
                return false;
            }
            conns.push_back(std::move(c));
        }
        std::vector<char> tl(65536);
        epoll_event evs[64];
        const int64_t deadline = nowUs() + 10'000'000;
        for (;;) {
            bool all = true;
            for (auto &c : conns) {
                if (c->fd < 0)
                    return false;
                if (c->state != State::Ready)
                    all = false;
            }
            if (all)
                return true;
            if (nowUs() > deadline)
                return false;
            int n = epoll_wait(ep, evs, 64, 50);
            for (int i = 0; i < n; ++i) {
                auto *c = static_cast<Conn *>(evs[i].data.ptr);
                if (opt.proto == Proto::Herald) {
                    if (c->state == State::Connecting && (evs[i].events & EPOLLOUT)) {
                        int err = 0;
                        socklen_t len = sizeof err;
                        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
                        if (err)
                            return false;
                        c->state = State::Ready;
                    }
                } else {
                    ws.onEvent(c, evs[i].events, tl.data(), tl.size());
                }
            }
        }
    }

    void run()
    {
        std::vector<char> tl(256 * 1024);
        epoll_event evs[64];
        t0 = nowUs();
        while (!gStop.load(std::memory_order_relaxed)) {
            for (auto &c : conns) {
                if (opt.proto == Proto::Herald)
                    fillHerald(c.get());
                else
                    fillStream(c.get());
            }
            const bool sentAll = next >= opt.messages;
            if (sentAll && answered >= opt.messages)
                break;
            int timeoutMs = 20;
            if (opt.rate > 0 && !sentAll) {
                const int64_t dueAt = t0 + int64_t(double(next) * 1e6 / opt.rate);
                timeoutMs = int(std::clamp<int64_t>((dueAt - nowUs()) / 1000, 0, 20));
            }
            // At full speed on nats/mqtt the socket being writable is what we wait for.
            int n = epoll_wait(ep, evs, 64, timeoutMs);
            for (int i = 0; i < n; ++i) {
                auto *c = static_cast<Conn *>(evs[i].data.ptr);
                if (c->fd < 0)
                    continue;
                if (opt.proto == Proto::Herald) {
                    if (evs[i].events & EPOLLIN) {
                        for (;;) {
                            ssize_t r = recv(c->fd, tl.data(), tl.size(), 0);
                            if (r > 0) {
                                c->in.append(tl.data(), size_t(r));
                                continue;
                            }
                            if (r == 0 || errno != EAGAIN) {
                                noteError("publisher connection closed by the server");
                                close(c->fd);
                                c->fd = -1;
                            }
                            break;
                        }
                        heraldResponses(c);
                    }
                    if (c->fd >= 0 && (evs[i].events & EPOLLOUT) && !c->out.empty())
                        ws.flush(c);
                } else {
                    ws.onEvent(c, evs[i].events, tl.data(), tl.size());
                }
            }
            bool alive = false;
            for (auto &c : conns)
                alive |= c->fd >= 0;
            if (!alive)
                break;
        }
        // Let queued nats/mqtt bytes leave.
        const int64_t until = nowUs() + 5'000'000;
        for (;;) {
            bool queued = false;
            for (auto &c : conns)
                if (c->fd >= 0 && c->outPos < c->out.size()) {
                    queued = true;
                    ws.flush(c.get());
                }
            if (!queued || nowUs() > until)
                break;
            epoll_wait(ep, evs, 64, 5);
        }
    }
};

// ---------------------------------------------------------------- setup over plain HTTP
bool httpRequest(const std::string &method, const std::string &path, const std::string &body,
                 int &status, std::string *response = nullptr)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, reinterpret_cast<sockaddr *>(&serverAddr), sizeof serverAddr) < 0) {
        if (fd >= 0)
            close(fd);
        return false;
    }
    std::string req =
        method + " " + path + " HTTP/1.1\r\nHost: " + opt.host +
        "\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body;
    send(fd, req.data(), req.size(), MSG_NOSIGNAL);
    std::string in;
    char buf[8192];
    for (;;) {
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0)
            break;
        in.append(buf, size_t(n));
    }
    close(fd);
    if (in.size() < 12)
        return false;
    status = std::atoi(in.c_str() + 9);
    if (response)
        *response = in;
    return true;
}

// ---------------------------------------------------------------- /proc
long procStatusKb(int pid, const char *key)
{
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = std::fopen(path, "r");
    if (!f)
        return -1;
    char line[256];
    long v = -1;
    const size_t kl = std::strlen(key);
    while (std::fgets(line, sizeof line, f))
        if (std::strncmp(line, key, kl) == 0 && line[kl] == ':')
            v = std::atol(line + kl + 1);
    std::fclose(f);
    return v;
}

double procCpuSeconds(int pid)
{
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = std::fopen(path, "r");
    if (!f)
        return -1;
    char buf[2048];
    size_t n = std::fread(buf, 1, sizeof buf - 1, f);
    std::fclose(f);
    buf[n] = 0;
    const char *p = std::strrchr(buf, ')');
    if (!p)
        return -1;
    // fields after ')': state(3) ... utime(14) stime(15)
    unsigned long utime = 0, stime = 0;
    int field = 2;
    for (const char *q = p + 1; *q && field < 15; ++q) {
        if (*q == ' ') {
            ++field;
            if (field == 14)
                utime = std::strtoul(q + 1, nullptr, 10);
            else if (field == 15)
                stime = std::strtoul(q + 1, nullptr, 10);
        }
    }
    return double(utime + stime) / double(sysconf(_SC_CLK_TCK));
}

double selfCpuSeconds()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

double percentileMs(std::vector<uint32_t> &v, double q)
{
    if (v.empty())
        return -1;
    size_t k = std::min(v.size() - 1, size_t(q * double(v.size())));
    std::nth_element(v.begin(), v.begin() + long(k), v.end());
    return v[k] / 1000.0;
}

const char *modeName(Mode m)
{
    return m == Mode::Fanout ? "fanout" : m == Mode::Channels ? "channels" : "idle";
}
const char *protoName(Proto p)
{
    return p == Proto::Herald ? "herald" : p == Proto::Nats ? "nats" : "mqtt";
}

void usage()
{
    std::fprintf(
        stderr,
        "usage: herald-loadgen --mode fanout|channels|idle --proto herald|nats|mqtt --port P\n"
        "  [--host 127.0.0.1] [--subscribers N] [--messages M] [--rate PER_S] [--publishers K]\n"
        "  [--pipeline D] [--threads T] [--server-pid PID] [--hold S] [--drain-ms MS]\n"
        "  [--connect-concurrency C] [--payload BYTES] [--fetch-last N] [--persistent]\n"
        "  [--app NAME] [--label TEXT] [--timeout S]\n");
    std::exit(2);
}

void parseArgs(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto val = [&]() -> std::string {
            if (i + 1 >= argc)
                usage();
            return argv[++i];
        };
        if (a == "--mode") {
            std::string v = val();
            opt.mode = v == "fanout"     ? Mode::Fanout
                       : v == "channels" ? Mode::Channels
                       : v == "idle"     ? Mode::Idle
                                         : (usage(), Mode::Idle);
        } else if (a == "--proto") {
            std::string v = val();
            opt.proto = v == "herald" ? Proto::Herald
                        : v == "nats" ? Proto::Nats
                        : v == "mqtt" ? Proto::Mqtt
                                      : (usage(), Proto::Herald);
        } else if (a == "--host")
            opt.host = val();
        else if (a == "--port")
            opt.port = std::stoi(val());
        else if (a == "--subscribers")
            opt.subscribers = std::stoi(val());
        else if (a == "--messages")
            opt.messages = std::stol(val());
        else if (a == "--rate")
            opt.rate = std::stod(val());
        else if (a == "--publishers")
            opt.publishers = std::stoi(val());
        else if (a == "--pipeline")
            opt.pipeline = std::stoi(val());
        else if (a == "--threads")
            opt.threads = std::stoi(val());
        else if (a == "--server-pid")
            opt.serverPid = std::stoi(val());
        else if (a == "--hold")
            opt.hold = std::stod(val());
        else if (a == "--drain-ms")
            opt.drainMs = std::stoi(val());
        else if (a == "--connect-concurrency")
            opt.connectConcurrency = std::stoi(val());
        else if (a == "--payload")
            opt.payload = std::stoi(val());
        else if (a == "--fetch-last")
            opt.fetchLast = std::stoi(val());
        else if (a == "--persistent")
            opt.persistent = true;
        else if (a == "--app")
            opt.app = val();
        else if (a == "--label")
            opt.label = val();
        else if (a == "--timeout")
            opt.timeout = std::stod(val());
        else
            usage();
    }
    if (opt.port <= 0 || opt.subscribers < 1 || opt.threads < 1 || opt.publishers < 1 ||
        opt.pipeline < 1)
        usage();
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

    if (opt.proto == Proto::Herald) {
        int status = 0;
        std::string resp;
        if (!httpRequest("PUT", "/api/v1/applications/" + opt.app, "{\"title\":\"Bench\"}", status,
                         &resp) ||
            (status != 200 && status != 201)) {
            std::fprintf(stderr, "herald-loadgen: cannot create application %s (status %d)\n%s\n",
                         opt.app.c_str(), status, resp.c_str());
            return 2;
        }
        // Channels auto-create on publish; create them up front so that registering never
        // races the first publish.
        const int channels =
            opt.mode == Mode::Channels || opt.mode == Mode::Idle ? opt.subscribers : 1;
        for (int c = 0; c < channels; ++c) {
            if (!httpRequest("PUT",
                             "/api/v1/applications/" + opt.app + "/channels/" + channelName(c),
                             "{\"title\":\"" + channelName(c) + "\"}", status) ||
                (status != 200 && status != 201)) {
                std::fprintf(stderr, "herald-loadgen: cannot create channel %s (status %d)\n",
                             channelName(c).c_str(), status);
                return 2;
            }
        }
    }

    const long baseRss = opt.serverPid ? procStatusKb(opt.serverPid, "VmRSS") : -1;

    // Subscribers, spread over the worker threads.
    std::vector<std::unique_ptr<Worker>> workers;
    for (int t = 0; t < opt.threads; ++t) {
        auto w = std::make_unique<Worker>();
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
    for (int i = 0; i < opt.subscribers; ++i) {
        auto c = std::make_unique<Conn>();
        c->index = i;
        c->channel = opt.mode == Mode::Fanout ? 0 : i;
        if (opt.mode != Mode::Idle)
            c->seen.assign(size_t(perSub), 0);
        workers[size_t(i % opt.threads)]->conns.push_back(std::move(c));
    }

    const int64_t tConnect = nowUs();
    std::vector<std::thread> threads;
    for (auto &w : workers)
        threads.emplace_back([&w] { w->run(); });

    // Wait until every subscriber is registered (or nothing moves for 10 s).
    long lastReady = -1;
    int64_t lastMove = nowUs();
    for (;;) {
        long r = gReady.load();
        long done = r;
        if (r != lastReady) {
            lastReady = r;
            lastMove = nowUs();
        }
        if (done >= opt.subscribers)
            break;
        if (nowUs() - lastMove > 10'000'000 || nowUs() - tConnect > int64_t(opt.timeout * 1e6)) {
            std::fprintf(stderr, "herald-loadgen: only %ld of %d subscribers registered\n", r,
                         opt.subscribers);
            break;
        }
        usleep(2000);
    }
    const int64_t tReady = nowUs();
    const long registered = gReady.load();

    double genCpu0 = selfCpuSeconds();
    double srvCpu0 = opt.serverPid ? procCpuSeconds(opt.serverPid) : -1;

    long idleRss = -1;
    int64_t tEnd = tReady;
    long published = 0;
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
        const long expected =
            opt.mode == Mode::Fanout ? long(registered) * opt.messages : opt.messages;
        // Wait for the publisher to finish, then for deliveries to stop arriving.
        pt.join();
        published = gPublished.load();
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
    const double srvCpu = opt.serverPid ? procCpuSeconds(opt.serverPid) - srvCpu0 : -1;
    const long endRss = opt.serverPid ? procStatusKb(opt.serverPid, "VmRSS") : -1;
    const long held = gReady.load();

    gStop = true;
    for (auto &t : threads)
        t.join();

    // Aggregate.
    std::vector<uint32_t> lat, reg;
    long lost = 0, dups = 0, foreign = 0, received = 0;
    for (auto &w : workers) {
        lat.insert(lat.end(), w->latencies.begin(), w->latencies.end());
        reg.insert(reg.end(), w->registerLatencies.begin(), w->registerLatencies.end());
        for (auto &c : w->conns) {
            if (opt.mode == Mode::Idle)
                continue;
            long expectedHere = perSub;
            if (opt.mode == Mode::Channels)
                expectedHere = opt.messages / opt.subscribers +
                               (c->channel < opt.messages % opt.subscribers ? 1 : 0);
            // A subscriber that never registered lost everything (it counts as lost, too).
            lost += std::max(0L, expectedHere - c->distinct);
            dups += c->dups;
            foreign += c->foreign;
            received += c->distinct + c->dups;
        }
    }
    if (opt.mode != Mode::Idle) {
        // Only what was accepted by the server counts as expected.
        // (publish errors are reported separately)
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
        "\"rss_per_conn_bytes\":%ld,\"gen_cpu_s\":%.3f,\"server_cpu_s\":%.3f,\"duration_s\":%.3f}"
        "\n",
        opt.label.c_str(), modeName(opt.mode), protoName(opt.proto), opt.subscribers, registered,
        opt.messages, opt.rate, opt.publishers, opt.payload, published, gPublishErrors.load(),
        received, lost, dups, foreign, deliveriesPerS, publishesPerS, p50, p99, pmax, regSpan,
        regSpan > 0 ? registered / regSpan : 0, r50, r99, gConnectFailures.load(),
        gClosedByServer.load(), gErrors.load(), held, baseRss, endRss, idleRss, rssPerConnB, genCpu,
        srvCpu, (tEnd - tConnect) / 1e6);
    std::fflush(stdout);
    if (opt.mode == Mode::Idle)
        std::fprintf(stderr,
                     "%s idle %s: %ld/%d held, server RSS %ld -> %ld kB, %ld B per connection\n",
                     opt.label.c_str(), protoName(opt.proto), held, opt.subscribers, baseRss,
                     idleRss, rssPerConnB);
    else
        std::fprintf(stderr,
                     "%s %s %s: %d subs, %ld/%ld published (%.0f/s), %ld received (%.0f/s), lost "
                     "%ld, dup %ld, "
                     "p50 %.2f ms, p99 %.2f ms; cpu gen %.2f s, server %.2f s\n",
                     opt.label.c_str(), modeName(opt.mode), protoName(opt.proto), opt.subscribers,
                     published, opt.messages, publishesPerS, received, deliveriesPerS, lost, dups,
                     p50, p99, genCpu, srvCpu);
    return registered < opt.subscribers ? 3 : 0;
}
