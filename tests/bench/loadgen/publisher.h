// SPDX-License-Identifier: Apache-2.0
// The producer: --publishers connections publishing --messages (at --rate, or as fast as
// the server takes them), each stamped with its publish time and sequence number.
// Herald over WebSocket (--publish-over ws): each connection is a publishing session that
// keeps up to --window publish frames unanswered; a frame's ref is its sequence number, and
// every answer is matched to the frame it answers.
#pragma once

#include "connection.h"
#include "worker.h"

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
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
    // herald over WebSocket: per connection (by index) the refs of the frames not answered yet
    std::vector<std::set<long>> inFlightRefs;
    long unexpectedAnswers = 0;             // answers naming no ref in flight, or not answers
    std::map<std::string, long> errorCodes; // refused publishes by error code
    int64_t lastProgressUs = 0;             // a frame written or answered
    bool stalled = false;                   // gave up: nothing answered for a long time
    long abandoned = 0; // unanswered on a connection the server closed: never will be

    int channelFor(long seq) const;

    // The notification object of a publish (the body of a POST, the "notification" of a frame).
    std::string notificationJson(long seq);
    std::string heraldRequest(long seq);
    std::string publishFrame(long seq);
    std::string wireMessage(long seq);
    bool due() const;
    // Nothing more to send: --messages reached or --duration over.
    bool doneSending() const;

    void notePublished();
    // herald: parse HTTP responses
    void heraldResponses(Conn *c);
    void fillHerald(Conn *c);
    // herald over WebSocket: one answer (published or error) of the server
    void wsAnswer(Conn *c, std::string_view m);
    void fillWs(Conn *c);
    // Gives up on the frames in flight on a connection that closed.
    void abandonClosed();
    // Publishes written and not answered (yet, or ever, once run() returned).
    long unanswered() const { return next - answered; }
    void fillStream(Conn *c);
    // Connect the publishing connections (blocking loop until all ready).
    bool connectAll();
    void run();
};

} // namespace loadgen
