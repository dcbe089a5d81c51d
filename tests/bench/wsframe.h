// SPDX-License-Identifier: Apache-2.0
// Minimal RFC 6455 framing shared by herald-loadgen and herald-trivial-server.
// No Qt, no allocation beyond the caller's buffers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

namespace bench {

enum Opcode : uint8_t
{
    Continuation = 0,
    Text = 1,
    Binary = 2,
    Close = 8,
    Ping = 9,
    Pong = 10
};

// Appends one frame (FIN set). A client masks with `mask` (non-zero), a server does not.
inline void appendFrame(std::string &out, uint8_t opcode, const char *data, size_t len,
                        uint32_t mask)
{
    char head[14];
    size_t h = 0;
    head[h++] = char(0x80 | opcode);
    const uint8_t maskBit = mask ? 0x80 : 0;
    if (len < 126) {
        head[h++] = char(maskBit | len);
    } else if (len < 65536) {
        head[h++] = char(maskBit | 126);
        head[h++] = char(len >> 8);
        head[h++] = char(len);
    } else {
        head[h++] = char(maskBit | 127);
        for (int i = 7; i >= 0; --i)
            head[h++] = char(uint64_t(len) >> (8 * i));
    }
    if (mask) {
        std::memcpy(head + h, &mask, 4);
        h += 4;
    }
    out.append(head, h);
    const size_t start = out.size();
    out.append(data, len);
    if (mask) {
        unsigned char m[4];
        std::memcpy(m, &mask, 4);
        auto *p = reinterpret_cast<unsigned char *>(out.data() + start);
        for (size_t i = 0; i < len; ++i)
            p[i] ^= m[i & 3];
    }
}

struct Frame
{
    bool fin = false;
    uint8_t opcode = 0;
    const char *payload = nullptr; // unmasked in place
    size_t len = 0;
    size_t consumed = 0; // bytes of the buffer this frame used
};

// Parses one frame at buf[0..n). Returns false when incomplete. Unmasks in place.
inline bool parseFrame(char *buf, size_t n, Frame &f)
{
    if (n < 2)
        return false;
    const auto *u = reinterpret_cast<unsigned char *>(buf);
    f.fin = u[0] & 0x80;
    f.opcode = u[0] & 0x0f;
    const bool masked = u[1] & 0x80;
    uint64_t len = u[1] & 0x7f;
    size_t h = 2;
    if (len == 126) {
        if (n < 4)
            return false;
        len = (uint64_t(u[2]) << 8) | u[3];
        h = 4;
    } else if (len == 127) {
        if (n < 10)
            return false;
        len = 0;
        for (int i = 0; i < 8; ++i)
            len = (len << 8) | u[2 + i];
        h = 10;
    }
    unsigned char m[4] = {0, 0, 0, 0};
    if (masked) {
        if (n < h + 4)
            return false;
        std::memcpy(m, u + h, 4);
        h += 4;
    }
    if (n < h + len)
        return false;
    if (masked) {
        auto *p = reinterpret_cast<unsigned char *>(buf + h);
        for (size_t i = 0; i < len; ++i)
            p[i] ^= m[i & 3];
    }
    f.payload = buf + h;
    f.len = size_t(len);
    f.consumed = h + size_t(len);
    return true;
}

} // namespace bench
