#include "shared.h"

#include <algorithm>
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
