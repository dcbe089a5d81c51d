// SPDX-License-Identifier: Apache-2.0
// Wire text of the three protocols (herald, nats, mqtt) and of the message marker that
// carries the publish time and sequence number end to end.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace loadgen {

std::string channelName(int c);
std::string natsSubject(int c);
std::string mqttTopic(int c);

std::string mqttConnect(const std::string &clientId);
std::string mqttSubscribe(const std::string &topic);
std::string mqttPublish(const std::string &topic, std::string_view payload);

// The message text: marker, then padding up to opt.payload bytes.
std::string messageText(int64_t us, long seq);

// Finds the marker in a delivered message: returns false when there is none.
bool parseMarker(std::string_view s, int64_t &us, long &seq);

// The HTTP upgrade request for the WebSocket endpoint of opt.proto on the server of `target`
// (-1: the publisher's, else a subscribeTargets index).
std::string wsHandshake(int target);

} // namespace loadgen
