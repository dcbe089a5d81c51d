// SPDX-License-Identifier: Apache-2.0
// The producer: --publishers connections publishing --messages (at --rate, or as fast as
// the server takes them), each stamped with its publish time and sequence number.
#pragma once

#include "connection.h"
#include "worker.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace loadgen {

struct Publisher
{
    int ep = -1;
    std::vector<std::unique_ptr<Conn>> conns;
    Worker ws;         // reuses the WebSocket machinery for nats / mqtt publishers
    long next = 0;     // next sequence to publish
    long answered = 0; // herald: responses received (or nats/mqtt: written)
    int64_t t0 = 0;
    std::string firstError;

    int channelFor(long seq) const;

    std::string heraldRequest(long seq);
    std::string wireMessage(long seq);
    bool due() const;
    // Nothing more to send: --messages reached or --duration over.
    bool doneSending() const;

    void notePublished();
    // herald: parse HTTP responses
    void heraldResponses(Conn *c);
    void fillHerald(Conn *c);
    void fillStream(Conn *c);
    // Connect the publishing connections (blocking loop until all ready).
    bool connectAll();
    void run();
};

} // namespace loadgen
