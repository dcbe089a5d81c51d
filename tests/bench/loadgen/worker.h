// SPDX-License-Identifier: Apache-2.0
// A subscriber thread: its own epoll set driving many WebSocket connections (connect,
// upgrade, register, then record every delivered message). The publisher reuses it for
// the nats / mqtt WebSocket plumbing.
#pragma once

#include "connection.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

namespace loadgen {

struct Worker
{
    int ep = -1;
    std::vector<std::unique_ptr<Conn>> conns;
    std::vector<std::vector<uint32_t>> latencies; // µs, per subscribeTargets index
    // Fan-out with --subscribe-url: per subscribeTargets index and sequence, when the first
    // of this thread's subscribers on that server received it (µs; 0: not yet).
    std::vector<std::vector<int64_t>> firstArrival;
    std::vector<uint32_t> registerLatencies; // µs, register sent -> ready (backlogDone)
    std::vector<uint32_t> connectLatencies;  // µs, connect start -> ready
    size_t nextToConnect = 0;
    int pending = 0; // connecting or registering
    int concurrency = 64;
    long expectedPerSub = 0;
    // Publishing connections of herald over WebSocket: every message of the server once the
    // session is ready (the answers to publish frames). Called on this worker's thread.
    std::function<void(Conn *, std::string_view)> onAnswer;

    void add(Conn *c);
    bool start(Conn *c);
    void fail(Conn *c, bool retry);
    void flush(Conn *c);
    void sendFrame(Conn *c, uint8_t opcode, std::string_view data);
    void onUpgraded(Conn *c);
    void becomeReady(Conn *c);
    void record(Conn *c, std::string_view text);
    // nats: parse the protocol stream in c->stream (or `data` directly when nothing is stashed)
    void natsBytes(Conn *c, std::string_view data);
    void mqttBytes(Conn *c, std::string_view data);
    void onMessage(Conn *c, std::string_view m);
    // Parses WebSocket frames from buf[0..n); returns bytes consumed.
    size_t parseFrames(Conn *c, char *buf, size_t n);
    // Handles bytes before the upgrade completes; returns bytes consumed.
    size_t parseUpgrade(Conn *c, char *buf, size_t n);
    size_t consume(Conn *c, char *buf, size_t n);
    void onReadable(Conn *c, char *tl, size_t tlSize);
    void onEvent(Conn *c, uint32_t events, char *tl, size_t tlSize);
    void run();
};

} // namespace loadgen
