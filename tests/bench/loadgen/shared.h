// SPDX-License-Identifier: Apache-2.0
// State shared by the subscriber threads, the publisher and main: the clock, the server
// address and the counters the final report is built from.
#pragma once

#include <atomic>
#include <cstdint>
#include <netinet/in.h>
#include <string>
#include <string_view>
#include <vector>

namespace loadgen {

// CLOCK_MONOTONIC in µs: the same clock stamps the publish time into every message.
int64_t nowUs();

// xorshift, per thread: WebSocket masking keys need no better randomness.
uint32_t fastRand();

// Prints `what` with errno and exits with status 2 (setup failed).
[[noreturn]] void die(const char *what);

// The publisher's server (--host, --port); setup requests go there too.
extern sockaddr_in serverAddr;

// A server subscribers connect to: subscriber i uses subscribeTargets[i % size]. Without
// --subscribe-url there is one, the publisher's server.
struct Endpoint
{
    std::string url; // as given on the command line
    std::string host;
    int port = 0;
    sockaddr_in addr{};
};
extern std::vector<Endpoint> subscribeTargets;

// Parses "ws://ADDR:PORT[/...]" or "ADDR:PORT" (IPv4); false when it is neither.
bool parseEndpoint(const std::string &url, Endpoint &out);

// Where a connection goes: target -1 is the publisher's server, else subscribeTargets[target].
const sockaddr_in &targetAddr(int target);

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
