// SPDX-License-Identifier: Apache-2.0
// Command line of herald-loadgen: what to measure, against which server, how hard.
#pragma once

#include <string>
#include <vector>

namespace loadgen {

enum class Mode
{
    Fanout,
    Channels,
    Idle,
    Ingest
};
enum class Proto
{
    Herald,
    Nats,
    Mqtt
};
// How herald publishes: one POST /api/v1/notifications per publish over keep-alive HTTP, or
// publish frames pipelined over a WebSocket publishing session (PROTOCOL.md, Publishing over
// the WebSocket).
enum class PublishOver
{
    Http,
    Ws
};

struct Options
{
    Mode mode = Mode::Fanout;
    Proto proto = Proto::Herald;
    std::string host = "127.0.0.1";
    int port = 0;
    int subscribers = 100;
    long messages = 1000;
    double rate = 0;            // publishes per second; 0 = as fast as the producer can
    int publishers = 1;         // publishing connections
    int pipeline = 1;           // herald over HTTP: requests in flight per publishing connection
    int threads = 1;            // subscriber threads
    int serverPid = 0;          // the first --server-pid: RSS and CPU time
    std::vector<int> extraPids; // further --server-pid (the other nodes of a cluster): CPU time
    double hold = 5;            // idle: seconds to hold the connections
    int drainMs = 5000;         // give up waiting for deliveries after this long without progress
    int connectConcurrency = 128;
    int payload = 64; // bytes of message text
    int fetchLast = 0;
    bool persistent = false;
    std::string app = "bench";
    std::string label;
    double timeout = 600;
    double duration = 0;     // stop publishing after this many seconds (0: after --messages)
    int channels = 1;        // ingest: channels the publishes are spread over
    int sourceAddresses = 0; // bind to 127.0.0.2, .3, ... round robin (0: the kernel picks)
    int expectBacklog = -1;  // idle: backlog notifications each register must bring (-1: any)
    // Servers the subscribers connect to ("ws://ADDR:PORT" or "ADDR:PORT"), round robin;
    // empty: the publisher's server (--host, --port). Latency is also reported per URL.
    std::vector<std::string> subscribeUrls;
    PublishOver publishOver = PublishOver::Http;
    int window = 64; // herald over WebSocket: publish frames unanswered per connection
};

// The parsed command line; set once by parseArgs() before any thread starts.
extern Options opt;

// Fills `opt` from argv; prints the usage and exits with status 2 on anything invalid.
void parseArgs(int argc, char **argv);

const char *modeName(Mode m);
const char *protoName(Proto p);
const char *publishOverName(PublishOver p);

} // namespace loadgen
