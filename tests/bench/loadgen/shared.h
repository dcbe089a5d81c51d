// State shared by the subscriber threads, the publisher and main: the clock, the server
// address and the counters the final report is built from.
#pragma once

#include <atomic>
#include <cstdint>
#include <netinet/in.h>
#include <string_view>

namespace loadgen {

// CLOCK_MONOTONIC in µs: the same clock stamps the publish time into every message.
int64_t nowUs();

// xorshift, per thread: WebSocket masking keys need no better randomness.
uint32_t fastRand();

// Prints `what` with errno and exits with status 2 (setup failed).
[[noreturn]] void die(const char *what);

extern sockaddr_in serverAddr;

extern std::atomic<long> gReady, gConnectFailures, gClosedByServer, gReceived, gErrors;
// Subscribers given up on before they were ready (refused, closed while registering, or no
// socket left): with gReady, tells main when every connection attempt has settled.
extern std::atomic<long> gGaveUp;
extern std::atomic<int64_t> gLastDeliveryUs;
extern std::atomic<bool> gStop;
extern std::atomic<long> gPublished, gPublishErrors;
extern std::atomic<int64_t> gFirstPublishUs, gLastPublishUs;

// Counts an error; only the first one is printed, so a failing run does not flood stderr.
void noteError(std::string_view what);

} // namespace loadgen
