// SPDX-License-Identifier: Apache-2.0
#include "net.h"

#include "options.h"
#include "shared.h"

#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

namespace loadgen {

namespace {

// Binds fd to the next of the --source-addresses loopback addresses. IP_BIND_ADDRESS_NO_PORT
// leaves the port to connect(), which may then reuse one port for different destinations.
bool bindSource(int fd)
{
    static std::atomic<unsigned> next{0};
    sockaddr_in src{};
    src.sin_family = AF_INET;
    src.sin_addr.s_addr = htonl(0x7f000002u + next.fetch_add(1) % unsigned(opt.sourceAddresses));
    int one = 1;
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    return bind(fd, reinterpret_cast<sockaddr *>(&src), sizeof src) == 0;
}

int setupFd = -1;
sockaddr_in setupAddr{}; // where setupFd is connected

bool sameAddr(const sockaddr_in &a, const sockaddr_in &b)
{
    return a.sin_port == b.sin_port && a.sin_addr.s_addr == b.sin_addr.s_addr;
}

bool connectSetup(const sockaddr_in &to)
{
    setupAddr = to;
    setupFd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (setupFd < 0)
        return false;
    int one = 1;
    setsockopt(setupFd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(setupFd, reinterpret_cast<const sockaddr *>(&to), sizeof to) < 0) {
        closeSetupConnection();
        return false;
    }
    return true;
}

// Sends one request on the setup connection and reads one whole response. False when the
// connection failed before a complete response arrived.
bool exchange(const std::string &req, std::string &in, bool &serverCloses)
{
    if (send(setupFd, req.data(), req.size(), MSG_NOSIGNAL) != ssize_t(req.size()))
        return false;
    in.clear();
    char buf[16384];
    size_t headEnd = std::string::npos, need = 0;
    serverCloses = false;
    for (;;) {
        ssize_t n = recv(setupFd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        in.append(buf, size_t(n));
        if (headEnd == std::string::npos) {
            headEnd = in.find("\r\n\r\n");
            if (headEnd == std::string::npos)
                continue;
            size_t clen = 0;
            for (size_t p = 0; p < headEnd;) {
                size_t e = in.find("\r\n", p);
                std::string line = in.substr(p, e - p);
                if (line.size() > 15 && strncasecmp(line.c_str(), "content-length:", 15) == 0)
                    clen = size_t(std::strtoul(line.c_str() + 15, nullptr, 10));
                else if (strncasecmp(line.c_str(), "connection: close", 17) == 0)
                    serverCloses = true;
                p = e + 2;
            }
            need = headEnd + 4 + clen;
        }
        if (in.size() >= need)
            return true;
    }
}

} // namespace

int openSocket(const sockaddr_in &to)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (opt.sourceAddresses > 0 && !bindSource(fd)) {
        close(fd);
        return -1;
    }
    if (connect(fd, reinterpret_cast<const sockaddr *>(&to), sizeof to) < 0 &&
        errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    return fd;
}

bool httpRequest(const std::string &method, const std::string &path, const std::string &body,
                 int &status, std::string *response, const sockaddr_in *to)
{
    const sockaddr_in &dest = to ? *to : serverAddr;
    if (setupFd >= 0 && !sameAddr(setupAddr, dest))
        closeSetupConnection();
    const std::string req =
        method + " " + path + " HTTP/1.1\r\nHost: " + opt.host +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\n\r\n" + body;
    std::string in;
    bool serverCloses = false;
    // A kept-alive connection the server has timed out fails once; then try a fresh one.
    bool ok = false;
    for (int attempt = 0; attempt < 2 && !ok; ++attempt) {
        if (setupFd < 0 && !connectSetup(dest))
            return false;
        ok = exchange(req, in, serverCloses);
        if (!ok)
            closeSetupConnection();
    }
    if (!ok || in.size() < 12)
        return false;
    if (serverCloses)
        closeSetupConnection();
    status = std::atoi(in.c_str() + 9);
    if (response)
        *response = in;
    return true;
}

void closeSetupConnection()
{
    if (setupFd >= 0)
        close(setupFd);
    setupFd = -1;
}

} // namespace loadgen
