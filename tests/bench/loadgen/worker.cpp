// SPDX-License-Identifier: Apache-2.0
#include "worker.h"

#include "net.h"
#include "options.h"
#include "protocol.h"
#include "shared.h"
#include "wsframe.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <string>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace std::string_view_literals;

namespace loadgen {

void Worker::add(Conn *c)
{
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    ev.data.ptr = c;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) < 0)
        die("epoll_ctl");
}

bool Worker::start(Conn *c)
{
    c->fd = openSocket(targetAddr(c->target));
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

void Worker::fail(Conn *c, bool retry)
{
    bool wasReady = c->state == State::Ready;
    if (c->fd >= 0) {
        epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, nullptr);
        close(c->fd);
        c->fd = -1;
    }
    c->state = State::Closed;
    if (wasReady) {
        // gReady counts subscribers only (becomeReady).
        if (!c->publisher)
            gReady.fetch_sub(1);
        gClosedByServer.fetch_add(1);
        return;
    }
    if (retry && ++c->attempts < 5 && !gStop.load()) {
        gConnectFailures.fetch_add(1);
        if (start(c))
            return;
    }
    if (!c->publisher) {
        --pending;
        gGaveUp.fetch_add(1);
    }
}

void Worker::flush(Conn *c)
{
    while (c->outPos < c->out.size()) {
        ssize_t n = send(c->fd, c->out.data() + c->outPos, c->out.size() - c->outPos, MSG_NOSIGNAL);
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

void Worker::sendFrame(Conn *c, uint8_t opcode, std::string_view data)
{
    bench::appendFrame(c->out, opcode, data.data(), data.size(), fastRand());
}

void Worker::onUpgraded(Conn *c)
{
    c->state = State::Registering;
    c->registerSentUs = nowUs();
    switch (opt.proto) {
    case Proto::Herald:
        if (c->publisher) {
            // A publishing session: register without subscriptions (an admin with --no-auth).
            if (opt.publishOver == PublishOver::Ws)
                sendFrame(c, bench::Text,
                          "{\"type\":\"register\",\"clientId\":\"lgp-" + std::to_string(c->index) +
                              "\",\"subscriptions\":[]}");
            break;
        }
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

void Worker::becomeReady(Conn *c)
{
    if (c->state == State::Ready)
        return;
    c->state = State::Ready;
    if (c->publisher)
        return;
    c->everReady = true;
    --pending;
    gReady.fetch_add(1);
    const int64_t now = nowUs();
    registerLatencies.push_back(uint32_t(now - c->registerSentUs));
    connectLatencies.push_back(uint32_t(now - c->connectStartUs));
}

void Worker::record(Conn *c, std::string_view text)
{
    int64_t us;
    long seq;
    if (!parseMarker(text, us, seq))
        return;
    const int64_t now = nowUs();
    const size_t t = size_t(std::max(0, c->target));
    if (latencies.size() <= t)
        latencies.resize(t + 1);
    latencies[t].push_back(uint32_t(std::max<int64_t>(0, now - us)));
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
    if (t < firstArrival.size() && size_t(idx) < firstArrival[t].size()) {
        int64_t &first = firstArrival[t][size_t(idx)];
        if (!first || now < first)
            first = now;
    }
    gReceived.fetch_add(1, std::memory_order_relaxed);
    gLastDeliveryUs.store(now, std::memory_order_relaxed);
}

void Worker::natsBytes(Conn *c, std::string_view data)
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

void Worker::mqttBytes(Conn *c, std::string_view data)
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

void Worker::onMessage(Conn *c, std::string_view m)
{
    switch (opt.proto) {
    case Proto::Herald:
        if (c->publisher && c->state == State::Ready) {
            if (onAnswer)
                onAnswer(c, m);
            return;
        }
        if (c->state == State::Registering) {
            if (m.find("\"backlogDone\""sv) != std::string_view::npos)
                becomeReady(c);
            else if (m.find("\"type\":\"notification\""sv) != std::string_view::npos)
                ++c->backlog;
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

size_t Worker::parseFrames(Conn *c, char *buf, size_t n)
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

size_t Worker::parseUpgrade(Conn *c, char *buf, size_t n)
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

size_t Worker::consume(Conn *c, char *buf, size_t n)
{
    size_t used = 0;
    if (c->state == State::Upgrading) {
        used = parseUpgrade(c, buf, n);
        if (c->state == State::Upgrading || c->fd < 0)
            return used;
    }
    return used + parseFrames(c, buf + used, n - used);
}

void Worker::onReadable(Conn *c, char *tl, size_t tlSize)
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

void Worker::onEvent(Conn *c, uint32_t events, char *tl, size_t tlSize)
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
        c->out = wsHandshake(c->target);
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

void Worker::run()
{
    std::vector<char> tl(256 * 1024);
    epoll_event evs[512];
    while (!gStop.load(std::memory_order_relaxed)) {
        while (pending < concurrency && nextToConnect < conns.size()) {
            Conn *c = conns[nextToConnect++].get();
            if (start(c))
                ++pending;
            else
                gGaveUp.fetch_add(1);
        }
        int n = epoll_wait(ep, evs, 512, 20);
        for (int i = 0; i < n; ++i)
            onEvent(static_cast<Conn *>(evs[i].data.ptr), evs[i].events, tl.data(), tl.size());
    }
}

} // namespace loadgen
