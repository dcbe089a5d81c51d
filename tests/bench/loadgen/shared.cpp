// SPDX-License-Identifier: Apache-2.0
#include "shared.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

namespace loadgen {

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

sockaddr_in serverAddr;
std::vector<Endpoint> subscribeTargets;

bool parseEndpoint(const std::string &url, Endpoint &out)
{
    std::string rest = url;
    if (rest.starts_with("ws://"))
        rest.erase(0, 5);
    rest = rest.substr(0, rest.find('/'));
    const size_t colon = rest.rfind(':');
    if (colon == std::string::npos)
        return false;
    out.url = url;
    out.host = rest.substr(0, colon);
    out.port = std::atoi(rest.c_str() + colon + 1);
    out.addr = sockaddr_in{};
    out.addr.sin_family = AF_INET;
    out.addr.sin_port = htons(uint16_t(out.port));
    return out.port > 0 && out.port < 65536 &&
           inet_pton(AF_INET, out.host.c_str(), &out.addr.sin_addr) == 1;
}

const sockaddr_in &targetAddr(int target)
{
    return target < 0 ? serverAddr : subscribeTargets[size_t(target)].addr;
}

std::atomic<long> gReady{0}, gConnectFailures{0}, gClosedByServer{0}, gReceived{0}, gErrors{0};
std::atomic<long> gGaveUp{0};
std::atomic<int64_t> gLastDeliveryUs{0};
std::atomic<bool> gStop{false};
std::atomic<long> gPublished{0}, gPublishErrors{0};
std::atomic<int64_t> gFirstPublishUs{0}, gLastPublishUs{0};

namespace {
std::atomic<bool> gErrorPrinted{false};
} // namespace

void noteError(std::string_view what)
{
    gErrors.fetch_add(1, std::memory_order_relaxed);
    if (!gErrorPrinted.exchange(true))
        std::fprintf(stderr, "herald-loadgen: first error: %.*s\n",
                     int(std::min<size_t>(what.size(), 300)), what.data());
}

} // namespace loadgen
