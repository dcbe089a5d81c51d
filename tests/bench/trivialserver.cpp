// SPDX-License-Identifier: Apache-2.0
// herald-trivial-server: the smallest server that speaks enough of Herald's protocol for
// herald-loadgen (PUT application/channel, POST /api/v1/notifications, WebSocket register on
// /api/v1/ws, notification frames, publish frames of a publishing session answered with
// published). One thread, epoll, a notification encoded once, one
// send() per connection per wakeup. It exists to show that the load generator is not the
// bottleneck: whatever the generator measures against it is the generator's own ceiling.
//
//   herald-trivial-server [--listen-port P]   prints "listening on 127.0.0.1:P" on stderr

#include "wsframe.h"

#include <arpa/inet.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <string_view>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <unordered_map>
#include <vector>

using namespace std::string_view_literals;

namespace {

struct Conn
{
    int fd = -1;
    bool ws = false;
    bool dirty = false; // has queued output, in the flush list
    std::string in, out;
    size_t outPos = 0;
    std::string channel; // subscribed channel ("" = none)
    size_t slot = 0;     // position in its channel's subscriber vector
};

int ep;
long nextId = 1;
std::unordered_map<std::string, std::vector<Conn *>> subscribers;
std::vector<Conn *> dirtyList;
std::vector<Conn *> dead; // closed this wakeup, deleted at its end

void queue(Conn *c, std::string_view data)
{
    c->out.append(data);
    if (!c->dirty) {
        c->dirty = true;
        dirtyList.push_back(c);
    }
}

void closeConn(Conn *c)
{
    if (c->fd < 0)
        return;
    if (!c->channel.empty()) {
        auto &v = subscribers[c->channel];
        v[c->slot] = v.back();
        v[c->slot]->slot = c->slot;
        v.pop_back();
        c->channel.clear();
    }
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, nullptr);
    close(c->fd);
    c->fd = -1;
    dead.push_back(c);
}

std::string jsonField(std::string_view body, std::string_view key)
{
    std::string k = "\"" + std::string(key) + "\"";
    size_t p = body.find(k);
    if (p == std::string_view::npos)
        return {};
    p = body.find('"', body.find(':', p + k.size()) + 1);
    if (p == std::string_view::npos)
        return {};
    size_t e = p + 1;
    while (e < body.size() && body[e] != '"') {
        if (body[e] == '\\')
            ++e;
        ++e;
    }
    return std::string(body.substr(p + 1, e - p - 1));
}

void respond(Conn *c, int status, const std::string &body)
{
    std::string s =
        "HTTP/1.1 " + std::to_string(status) +
        (status == 201   ? " Created"
         : status == 200 ? " OK"
                         : " Error") +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\n\r\n" + body;
    queue(c, s);
}

// Delivers a notification to its channel's subscribers; returns its JSON.
std::string deliver(std::string_view body)
{
    const std::string app = jsonField(body, "application"), channel = jsonField(body, "channel");
    const std::string message = jsonField(body, "message");
    const long id = nextId++;
    std::string json = "{\"id\":" + std::to_string(id) + ",\"application\":\"" + app +
                       "\",\"channel\":\"" + channel + "\",\"title\":\"t\",\"message\":\"" +
                       message + "\",\"persistent\":false}";
    std::string frameText = "{\"type\":\"notification\",\"data\":" + json + "}";
    std::string frame;
    bench::appendFrame(frame, bench::Text, frameText.data(), frameText.size(), 0); // encoded once
    auto it = subscribers.find(app + "/" + channel);
    if (it != subscribers.end())
        for (Conn *s : it->second)
            queue(s, frame);
    return json;
}

void publish(Conn *c, std::string_view body)
{
    respond(c, 201, deliver(body));
}

// {"type":"publish","ref":"R","notification":{...}} -> {"type":"published","ref":"R","id":N}
void publishFrame(Conn *c, std::string_view m)
{
    const std::string ref = jsonField(m, "ref");
    const size_t p = m.find("\"notification\""sv);
    const std::string json = deliver(p == std::string_view::npos ? m : m.substr(p));
    const std::string id = json.substr(6, json.find(',') - 6); // {"id":N,...
    const std::string answer = "{\"type\":\"published\",\"ref\":\"" + ref + "\",\"id\":" + id + "}";
    std::string frame;
    bench::appendFrame(frame, bench::Text, answer.data(), answer.size(), 0);
    queue(c, frame);
}

void onWsMessage(Conn *c, std::string_view m)
{
    if (m.find("\"type\":\"publish\""sv) != std::string_view::npos) {
        publishFrame(c, m);
        return;
    }
    if (m.find("\"register\""sv) == std::string_view::npos)
        return;
    // {"application":"bench","channels":["c1"]}: one subscription, one channel is all we need
    const std::string app = jsonField(m, "application");
    size_t p = m.find("\"channels\"");
    std::string channel;
    if (p != std::string_view::npos) {
        size_t q = m.find('"', m.find('[', p) + 1);
        channel = std::string(m.substr(q + 1, m.find('"', q + 1) - q - 1));
    }
    // "subscriptions":[] is a publishing session: nothing to deliver to it.
    if (p != std::string_view::npos) {
        c->channel = app + "/" + channel;
        auto &v = subscribers[c->channel];
        c->slot = v.size();
        v.push_back(c);
    }
    std::string reg;
    const std::string a = "{\"type\":\"registered\",\"sessionId\":\"x\",\"node\":0}",
                      b = "{\"type\":\"backlogDone\"}";
    bench::appendFrame(reg, bench::Text, a.data(), a.size(), 0);
    bench::appendFrame(reg, bench::Text, b.data(), b.size(), 0);
    queue(c, reg);
}

// Returns bytes consumed from c->in.
size_t onBytes(Conn *c)
{
    size_t pos = 0;
    for (;;) {
        if (c->ws) {
            bench::Frame f;
            if (!bench::parseFrame(c->in.data() + pos, c->in.size() - pos, f))
                return pos;
            pos += f.consumed;
            if (f.opcode == bench::Close) {
                closeConn(c);
                return pos;
            }
            if (f.opcode == bench::Ping) {
                std::string pong;
                bench::appendFrame(pong, bench::Pong, f.payload, f.len, 0);
                queue(c, pong);
            } else if (f.opcode == bench::Text) {
                onWsMessage(c, std::string_view(f.payload, f.len));
            }
            continue;
        }
        std::string_view s(c->in.data() + pos, c->in.size() - pos);
        size_t end = s.find("\r\n\r\n"sv);
        if (end == std::string_view::npos)
            return pos;
        std::string_view head = s.substr(0, end);
        size_t clen = 0;
        size_t cl = head.find("Content-Length:"sv);
        if (cl == std::string_view::npos)
            cl = head.find("content-length:"sv);
        if (cl != std::string_view::npos)
            clen = size_t(std::atol(std::string(head.substr(cl + 15, 12)).c_str()));
        if (s.size() < end + 4 + clen)
            return pos;
        std::string_view body = s.substr(end + 4, clen);
        pos += end + 4 + clen;
        if (head.starts_with("GET /api/v1/ws"sv)) {
            queue(
                c,
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
            c->ws = true;
        } else if (head.starts_with("POST /api/v1/notifications"sv)) {
            publish(c, body);
        } else if (head.starts_with("PUT "sv)) {
            respond(c, 200, "{}");
        } else {
            respond(c, 404, "{\"error\":{\"code\":\"not_found\",\"message\":\"path\"}}");
        }
        if (head.find("Connection: close"sv) != std::string_view::npos) {
            // flush and close after this wakeup: simplest is to write now
            send(c->fd, c->out.data(), c->out.size(), MSG_NOSIGNAL);
            c->out.clear();
            closeConn(c);
            return pos;
        }
    }
}

void flush(Conn *c)
{
    while (c->fd >= 0 && c->outPos < c->out.size()) {
        ssize_t n = send(c->fd, c->out.data() + c->outPos, c->out.size() - c->outPos, MSG_NOSIGNAL);
        if (n > 0)
            c->outPos += size_t(n);
        else if (n < 0 && errno == EAGAIN)
            return; // EPOLLOUT (edge) will call us again
        else if (!(n < 0 && errno == EINTR)) {
            closeConn(c);
            return;
        }
    }
    c->out.clear();
    c->outPos = 0;
}

} // namespace

int main(int argc, char **argv)
{
    int port = 0;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], "--listen-port") == 0)
            port = std::atoi(argv[++i]);
    rlimit rl{};
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);

    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(uint16_t(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(lfd, reinterpret_cast<sockaddr *>(&a), sizeof a) < 0 || listen(lfd, 4096) < 0) {
        std::perror("herald-trivial-server: bind/listen");
        return 1;
    }
    socklen_t al = sizeof a;
    getsockname(lfd, reinterpret_cast<sockaddr *>(&a), &al);
    std::fprintf(stderr, "listening on 127.0.0.1:%d\n", ntohs(a.sin_port));
    std::fflush(stderr);

    ep = epoll_create1(EPOLL_CLOEXEC);
    epoll_event lev{};
    lev.events = EPOLLIN;
    lev.data.ptr = nullptr;
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &lev);
    std::vector<char> buf(256 * 1024);
    epoll_event evs[1024];
    for (;;) {
        int n = epoll_wait(ep, evs, 1024, -1);
        for (int i = 0; i < n; ++i) {
            if (!evs[i].data.ptr) {
                for (;;) {
                    int fd = accept4(lfd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
                    if (fd < 0)
                        break;
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    auto *c = new Conn;
                    c->fd = fd;
                    epoll_event ev{};
                    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
                    ev.data.ptr = c;
                    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
                }
                continue;
            }
            auto *c = static_cast<Conn *>(evs[i].data.ptr);
            if (c->fd < 0)
                continue;
            if (evs[i].events & EPOLLIN) {
                for (;;) {
                    ssize_t r = recv(c->fd, buf.data(), buf.size(), 0);
                    if (r > 0) {
                        c->in.append(buf.data(), size_t(r));
                        if (size_t(r) < buf.size())
                            break;
                    } else {
                        if (r == 0 || errno != EAGAIN)
                            closeConn(c);
                        break;
                    }
                }
                if (c->fd >= 0)
                    c->in.erase(0, onBytes(c));
            }
            if (c->fd >= 0 && (evs[i].events & EPOLLOUT))
                flush(c);
        }
        // One send() per connection per wakeup.
        for (Conn *c : dirtyList) {
            c->dirty = false;
            flush(c);
        }
        dirtyList.clear();
        for (Conn *c : dead)
            delete c;
        dead.clear();
    }
}
