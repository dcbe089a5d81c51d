// SPDX-License-Identifier: Apache-2.0
#include "protocol.h"

#include "options.h"
#include "shared.h"

#include <cinttypes>
#include <cstdio>

using namespace std::string_view_literals;

namespace loadgen {

std::string channelName(int c)
{
    return "c" + std::to_string(c);
}

std::string natsSubject(int c)
{
    return opt.app + "." + channelName(c);
}
std::string mqttTopic(int c)
{
    return opt.app + "/" + channelName(c);
}

namespace {

void mqttVarint(std::string &out, size_t v)
{
    do {
        uint8_t b = v & 0x7f;
        v >>= 7;
        if (v)
            b |= 0x80;
        out.push_back(char(b));
    } while (v);
}

void mqttString(std::string &out, std::string_view s)
{
    out.push_back(char(s.size() >> 8));
    out.push_back(char(s.size() & 0xff));
    out.append(s);
}

} // namespace

std::string mqttConnect(const std::string &clientId)
{
    std::string var;
    mqttString(var, "MQTT");
    var.push_back(4);    // protocol level 3.1.1
    var.push_back(0x02); // clean session
    var.push_back(0);    // keep alive 0: off (idle connections must not need pings)
    var.push_back(0);
    mqttString(var, clientId);
    std::string out(1, char(0x10));
    mqttVarint(out, var.size());
    return out + var;
}

std::string mqttSubscribe(const std::string &topic)
{
    std::string var;
    var.push_back(0);
    var.push_back(1); // packet id 1
    mqttString(var, topic);
    var.push_back(0); // QoS 0
    std::string out(1, char(0x82));
    mqttVarint(out, var.size());
    return out + var;
}

std::string mqttPublish(const std::string &topic, std::string_view payload)
{
    std::string out(1, char(0x30));
    mqttVarint(out, 2 + topic.size() + payload.size());
    mqttString(out, topic);
    out.append(payload);
    return out;
}

// The message text: marker, then padding up to opt.payload bytes.
std::string messageText(int64_t us, long seq)
{
    char head[64];
    int n = std::snprintf(head, sizeof head, "bench @@%" PRId64 ".%ld@@", us, seq);
    std::string s(head, size_t(n));
    if (int(s.size()) < opt.payload)
        s.append(size_t(opt.payload - int(s.size())), 'x');
    return s;
}

// Finds the marker in a delivered message: returns false when there is none.
bool parseMarker(std::string_view s, int64_t &us, long &seq)
{
    size_t p = s.find("@@"sv);
    if (p == std::string_view::npos)
        return false;
    p += 2;
    int64_t u = 0;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9')
        u = u * 10 + (s[p++] - '0');
    if (p >= s.size() || s[p] != '.')
        return false;
    ++p;
    long q = 0;
    size_t start = p;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9')
        q = q * 10 + (s[p++] - '0');
    if (p == start)
        return false;
    us = u;
    seq = q;
    return true;
}

std::string wsHandshake(int target)
{
    const std::string &host = target < 0 ? opt.host : subscribeTargets[size_t(target)].host;
    const int port = target < 0 ? opt.port : subscribeTargets[size_t(target)].port;
    std::string s = "GET ";
    s += opt.proto == Proto::Herald ? "/api/v1/ws" : "/";
    s += " HTTP/1.1\r\nHost: " + host + ":" + std::to_string(port) +
         "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
         "dGhlIHNhbXBsZSBub25jZQ==\r\n"
         "Sec-WebSocket-Version: 13\r\n";
    if (opt.proto == Proto::Mqtt)
        s += "Sec-WebSocket-Protocol: mqtt\r\n";
    s += "\r\n";
    return s;
}

} // namespace loadgen
