#include "net.h"

#include "options.h"
#include "shared.h"

#include <cerrno>
#include <cstdlib>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace loadgen {

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

bool httpRequest(const std::string &method, const std::string &path, const std::string &body,
                 int &status, std::string *response)
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

} // namespace loadgen
