// SPDX-License-Identifier: Apache-2.0
#include "options.h"

#include <cstdio>
#include <cstdlib>

namespace loadgen {

Options opt;

namespace {

void usage()
{
    std::fprintf(
        stderr,
        "usage: herald-loadgen --mode fanout|channels|idle|ingest --proto herald|nats|mqtt --port "
        "P\n"
        "  [--host 127.0.0.1] [--subscribers N] [--messages M] [--rate PER_S] [--publishers K]\n"
        "  [--pipeline D] [--threads T] [--server-pid PID ...] [--hold S] [--drain-ms MS]\n"
        "  [--connect-concurrency C] [--payload BYTES] [--fetch-last N] [--persistent]\n"
        "  [--app NAME] [--label TEXT] [--timeout S] [--duration S] [--channels C]\n"
        "  [--source-addresses K] [--expect-backlog N] [--subscribe-url ws://ADDR:PORT ...]\n"
        "  [--publish-over http|ws] [--window N]\n"
        "--publish-over ws (herald only): publish frames over WebSocket publishing sessions,\n"
        "  --window (1-256, default 64) of them unanswered per connection\n");
    std::exit(2);
}

} // namespace

const char *modeName(Mode m)
{
    switch (m) {
    case Mode::Fanout:
        return "fanout";
    case Mode::Channels:
        return "channels";
    case Mode::Idle:
        return "idle";
    case Mode::Ingest:
        return "ingest";
    }
    return "?";
}
const char *protoName(Proto p)
{
    return p == Proto::Herald ? "herald" : p == Proto::Nats ? "nats" : "mqtt";
}

const char *publishOverName(PublishOver p)
{
    return p == PublishOver::Ws ? "ws" : "http";
}

void parseArgs(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto val = [&]() -> std::string {
            if (i + 1 >= argc)
                usage();
            return argv[++i];
        };
        if (a == "--mode") {
            std::string v = val();
            opt.mode = v == "fanout"     ? Mode::Fanout
                       : v == "channels" ? Mode::Channels
                       : v == "idle"     ? Mode::Idle
                       : v == "ingest"   ? Mode::Ingest
                                         : (usage(), Mode::Idle);
        } else if (a == "--proto") {
            std::string v = val();
            opt.proto = v == "herald" ? Proto::Herald
                        : v == "nats" ? Proto::Nats
                        : v == "mqtt" ? Proto::Mqtt
                                      : (usage(), Proto::Herald);
        } else if (a == "--host")
            opt.host = val();
        else if (a == "--port")
            opt.port = std::stoi(val());
        else if (a == "--subscribers")
            opt.subscribers = std::stoi(val());
        else if (a == "--messages")
            opt.messages = std::stol(val());
        else if (a == "--rate")
            opt.rate = std::stod(val());
        else if (a == "--publishers")
            opt.publishers = std::stoi(val());
        else if (a == "--pipeline")
            opt.pipeline = std::stoi(val());
        else if (a == "--threads")
            opt.threads = std::stoi(val());
        else if (a == "--server-pid") {
            const int pid = std::stoi(val());
            if (opt.serverPid)
                opt.extraPids.push_back(pid);
            else
                opt.serverPid = pid;
        } else if (a == "--hold")
            opt.hold = std::stod(val());
        else if (a == "--drain-ms")
            opt.drainMs = std::stoi(val());
        else if (a == "--connect-concurrency")
            opt.connectConcurrency = std::stoi(val());
        else if (a == "--payload")
            opt.payload = std::stoi(val());
        else if (a == "--fetch-last")
            opt.fetchLast = std::stoi(val());
        else if (a == "--persistent")
            opt.persistent = true;
        else if (a == "--app")
            opt.app = val();
        else if (a == "--label")
            opt.label = val();
        else if (a == "--timeout")
            opt.timeout = std::stod(val());
        else if (a == "--duration")
            opt.duration = std::stod(val());
        else if (a == "--channels")
            opt.channels = std::stoi(val());
        else if (a == "--source-addresses")
            opt.sourceAddresses = std::stoi(val());
        else if (a == "--expect-backlog")
            opt.expectBacklog = std::stoi(val());
        else if (a == "--subscribe-url")
            opt.subscribeUrls.push_back(val());
        else if (a == "--publish-over") {
            std::string v = val();
            opt.publishOver = v == "http" ? PublishOver::Http
                              : v == "ws" ? PublishOver::Ws
                                          : (usage(), PublishOver::Http);
        } else if (a == "--window")
            opt.window = std::stoi(val());
        else
            usage();
    }
    // Ingest measures the producers alone: nobody subscribes.
    if (opt.mode == Mode::Ingest)
        opt.subscribers = 0;
    if (opt.port <= 0 || (opt.subscribers < 1 && opt.mode != Mode::Ingest) || opt.threads < 1 ||
        opt.publishers < 1 || opt.pipeline < 1 || opt.channels < 1 || opt.sourceAddresses < 0 ||
        opt.sourceAddresses > 250)
        usage();
    // The server takes 256 unanswered publish frames per session, then stops reading.
    if (opt.window < 1 || opt.window > 256 ||
        (opt.publishOver == PublishOver::Ws && opt.proto != Proto::Herald))
        usage();
}

} // namespace loadgen
