// SPDX-License-Identifier: Apache-2.0
// One connection to the server, subscriber or publisher, and where it is in its life.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace loadgen {

enum class State
{
    Connecting,
    Upgrading,
    Registering,
    Ready,
    Closed
};

struct Conn
{
    int fd = -1;
    int index = 0; // subscriber index (or publisher index)
    int channel = 0;
    int target = -1; // subscribeTargets index; -1: the publisher's server
    int attempts = 0;
    State state = State::Connecting;
    bool publisher = false;
    std::string in;  // unparsed bytes
    std::string out; // unsent bytes
    size_t outPos = 0;
    std::string message; // fragments of the current WebSocket message
    std::string stream;  // nats / mqtt: protocol bytes not yet parsed
    int64_t connectStartUs = 0;
    int64_t registerSentUs = 0; // register (nats: SUB + PING, mqtt: SUBSCRIBE) written
    int backlog = 0;            // herald: notifications that came before backlogDone
    // subscriber bookkeeping
    std::vector<uint8_t> seen;
    long distinct = 0, dups = 0, foreign = 0;
    bool everReady = false;
    // herald publisher: send times of the requests in flight are in the messages
    int inFlight = 0;
};

} // namespace loadgen
