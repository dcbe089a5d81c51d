// SPDX-License-Identifier: Apache-2.0
#include "publisher.h"

#include "net.h"
#include "options.h"
#include "protocol.h"
#include "shared.h"
#include "wsframe.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <string_view>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace loadgen {

int Publisher::channelFor(long seq) const
{
    switch (opt.mode) {
    case Mode::Channels:
        return int(seq % opt.subscribers);
    case Mode::Ingest:
        return int(seq % opt.channels);
    default:
        return 0;
    }
}

namespace {

bool overWs()
{
    return opt.proto == Proto::Herald && opt.publishOver == PublishOver::Ws;
}

// The value of a string field of a compact JSON object; empty when there is none.
std::string_view stringField(std::string_view m, std::string_view key)
{
    const std::string pattern = "\"" + std::string(key) + "\":\"";
    const size_t p = m.find(pattern);
    if (p == std::string_view::npos)
        return {};
    const size_t start = p + pattern.size();
    const size_t end = m.find('"', start);
    return end == std::string_view::npos ? std::string_view{} : m.substr(start, end - start);
}

// A ref this generator wrote: a sequence number.
bool parseRef(std::string_view s, long &seq)
{
    if (s.empty() || s.size() > 18)
        return false;
    long v = 0;
    for (char ch : s) {
        if (ch < '0' || ch > '9')
            return false;
        v = v * 10 + (ch - '0');
    }
    seq = v;
    return true;
}

} // namespace

std::string Publisher::notificationJson(long seq)
{
    const int64_t us = nowUs();
    return "{\"application\":\"" + opt.app + "\",\"channel\":\"" + channelName(channelFor(seq)) +
           "\",\"title\":\"t\",\"message\":\"" + messageText(us, seq) +
           "\",\"persistent\":" + (opt.persistent ? "true" : "false") + "}";
}

std::string Publisher::publishFrame(long seq)
{
    return "{\"type\":\"publish\",\"ref\":\"" + std::to_string(seq) +
           "\",\"notification\":" + notificationJson(seq) + "}";
}

std::string Publisher::heraldRequest(long seq)
{
    const std::string body = notificationJson(seq);
    return "POST /api/v1/notifications HTTP/1.1\r\nHost: " + opt.host +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body;
}

std::string Publisher::wireMessage(long seq)
{
    const int64_t us = nowUs();
    std::string text = messageText(us, seq);
    const int ch = channelFor(seq);
    if (opt.proto == Proto::Nats) {
        std::string s =
            "PUB " + natsSubject(ch) + " " + std::to_string(text.size()) + "\r\n" + text + "\r\n";
        return s;
    }
    return mqttPublish(mqttTopic(ch), text);
}

bool Publisher::doneSending() const
{
    return next >= opt.messages ||
           (opt.duration > 0 && nowUs() >= t0 + int64_t(opt.duration * 1e6));
}

bool Publisher::due() const
{
    if (doneSending())
        return false;
    if (opt.rate <= 0)
        return true;
    return nowUs() >= t0 + int64_t(double(next) * 1e6 / opt.rate);
}

void Publisher::notePublished()
{
    if (next == 0)
        gFirstPublishUs.store(nowUs());
    ++next;
}

void Publisher::heraldResponses(Conn *c)
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
                    clen = size_t(std::strtoul(std::string(line.substr(15)).c_str(), nullptr, 10));
                p = e + 2;
            }
        }
        if (c->in.size() < end + 4 + clen)
            return;
        const bool ok =
            c->in.compare(0, 12, "HTTP/1.1 201") == 0 || c->in.compare(0, 12, "HTTP/1.1 200") == 0;
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

void Publisher::fillHerald(Conn *c)
{
    while (c->fd >= 0 && c->inFlight < opt.pipeline && due()) {
        c->out += heraldRequest(next);
        notePublished();
        ++c->inFlight;
    }
    if (!c->out.empty())
        ws.flush(c);
}

void Publisher::wsAnswer(Conn *c, std::string_view m)
{
    const bool published = m.find("\"type\":\"published\"") != std::string_view::npos;
    const bool refused = !published && m.find("\"type\":\"error\"") != std::string_view::npos;
    if (!published && !refused) {
        // A publishing session gets nothing but answers (PROTOCOL.md).
        ++unexpectedAnswers;
        noteError(m);
        return;
    }
    std::set<long> &refs = inFlightRefs[size_t(c->index)];
    long seq = -1;
    if (parseRef(stringField(m, "ref"), seq)) {
        if (refs.erase(seq) == 0) {
            // Answered twice, or a ref never written.
            ++unexpectedAnswers;
            noteError(m);
            return;
        }
    } else if (refused && !refs.empty()) {
        // An error without a ref answers a frame whose ref could not be read; every ref written
        // here can be, so take the oldest frame in flight (the server answers in order).
        refs.erase(refs.begin());
    } else {
        ++unexpectedAnswers;
        noteError(m);
        return;
    }
    if (published) {
        gPublished.fetch_add(1, std::memory_order_relaxed);
    } else {
        gPublishErrors.fetch_add(1);
        ++errorCodes[std::string(stringField(m, "code"))];
        noteError(m);
    }
    --c->inFlight;
    ++answered;
    lastProgressUs = nowUs();
    gLastPublishUs.store(lastProgressUs);
}

void Publisher::fillWs(Conn *c)
{
    std::set<long> &refs = inFlightRefs[size_t(c->index)];
    bool wrote = false;
    while (c->fd >= 0 && c->state == State::Ready && c->inFlight < opt.window && due()) {
        ws.sendFrame(c, bench::Text, publishFrame(next));
        refs.insert(next);
        notePublished();
        ++c->inFlight;
        wrote = true;
    }
    if (wrote)
        lastProgressUs = nowUs();
    if (c->fd >= 0 && !c->out.empty())
        ws.flush(c);
}

void Publisher::abandonClosed()
{
    for (auto &c : conns) {
        std::set<long> &refs = inFlightRefs[size_t(c->index)];
        if (c->fd >= 0 || refs.empty())
            continue;
        noteError("publisher connection closed by the server with " + std::to_string(refs.size()) +
                  " publish frames unanswered");
        abandoned += long(refs.size());
        refs.clear();
        c->inFlight = 0;
    }
}

void Publisher::fillStream(Conn *c)
{
    // Fire and forget, but never more than 64 KiB queued in the generator.
    while (c->fd >= 0 && c->state == State::Ready && c->out.size() - c->outPos < 65536 && due()) {
        ws.sendFrame(c, opt.proto == Proto::Nats ? bench::Text : bench::Binary, wireMessage(next));
        notePublished();
        ++answered;
        gPublished.fetch_add(1, std::memory_order_relaxed);
        gLastPublishUs.store(nowUs());
        ws.flush(c);
    }
}

bool Publisher::connectAll()
{
    ws.ep = ep;
    if (overWs()) {
        inFlightRefs.resize(size_t(opt.publishers));
        ws.onAnswer = [this](Conn *c, std::string_view m) { wsAnswer(c, m); };
    }
    for (int i = 0; i < opt.publishers; ++i) {
        auto c = std::make_unique<Conn>();
        c->publisher = true;
        c->index = i;
        if (opt.proto == Proto::Herald && !overWs()) {
            c->fd = openSocket(serverAddr);
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
            if (opt.proto == Proto::Herald && !overWs()) {
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

void Publisher::run()
{
    std::vector<char> tl(256 * 1024);
    epoll_event evs[64];
    // herald over WebSocket: give up when nothing was written or answered for this long with
    // publishes in flight (answers the server lost must not hang the run).
    const int64_t stallUs = std::max<int64_t>(10'000'000, int64_t(opt.drainMs) * 1000);
    t0 = nowUs();
    lastProgressUs = t0;
    while (!gStop.load(std::memory_order_relaxed)) {
        for (auto &c : conns) {
            if (overWs())
                fillWs(c.get());
            else if (opt.proto == Proto::Herald)
                fillHerald(c.get());
            else
                fillStream(c.get());
        }
        if (overWs())
            abandonClosed();
        const bool sentAll = doneSending();
        if (sentAll && answered + abandoned >= next)
            break;
        if (overWs() && answered + abandoned < next && nowUs() - lastProgressUs > stallUs) {
            noteError("publisher: no answer for " + std::to_string(stallUs / 1'000'000) +
                      " s with " + std::to_string(next - answered - abandoned) +
                      " publish frames unanswered");
            stalled = true;
            break;
        }
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
            if (opt.proto == Proto::Herald && !overWs()) {
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

} // namespace loadgen
