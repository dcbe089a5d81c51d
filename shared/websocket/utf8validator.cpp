// SPDX-License-Identifier: Apache-2.0
#include "utf8validator.h"

#include <cstring>

namespace herald {

namespace {
// The first index from `i` on that does not start eight ASCII bytes: text is mostly ASCII,
// and a word at a time is far cheaper than a byte at a time.
qsizetype skipAsciiWords(const char *data, qsizetype i, qsizetype size)
{
    constexpr quint64 HighBits = 0x8080808080808080ULL;
    while (i + 8 <= size) {
        quint64 word;
        std::memcpy(&word, data + i, sizeof word);
        if (word & HighBits)
            break;
        i += 8;
    }
    return i;
}
} // namespace

bool Utf8Validator::feed(const char *data, qsizetype size)
{
    for (qsizetype i = 0; i < size && m_valid; ++i) {
        if (m_pending == 0) {
            i = skipAsciiWords(data, i, size);
            if (i == size)
                break;
        }
        const quint8 byte = quint8(data[i]);
        if (m_pending > 0) {
            if (byte < m_low || byte > m_high) {
                m_valid = false;
                break;
            }
            --m_pending;
            m_low = 0x80;
            m_high = 0xBF;
            continue;
        }
        if (byte < 0x80)
            continue;
        if (byte >= 0xC2 && byte <= 0xDF) {
            m_pending = 1;
        } else if (byte >= 0xE0 && byte <= 0xEF) {
            m_pending = 2;
            if (byte == 0xE0)
                m_low = 0xA0; // below: overlong
            else if (byte == 0xED)
                m_high = 0x9F; // above: UTF-16 surrogates
        } else if (byte >= 0xF0 && byte <= 0xF4) {
            m_pending = 3;
            if (byte == 0xF0)
                m_low = 0x90; // below: overlong
            else if (byte == 0xF4)
                m_high = 0x8F; // above: past U+10FFFF
        } else {
            m_valid = false; // 80-C1 (continuation or overlong lead) or F5-FF
        }
    }
    return m_valid;
}

} // namespace herald
