// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QString>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

// What the fuzz targets share: a broken invariant aborts, so that libFuzzer keeps the input
// as a crash (assert() is compiled out of RelWithDebInfo builds).
namespace herald::fuzz {

[[noreturn]] inline void broken(const char *invariant, const QByteArray &detail = {})
{
    std::fprintf(stderr, "invariant broken: %s\n%s\n", invariant, detail.constData());
    std::abort();
}

inline void check(bool holds, const char *invariant, const QByteArray &detail = {})
{
    if (!holds)
        broken(invariant, detail);
}

// Code points, as PROTOCOL.md counts characters (an emoji once).
inline qsizetype characters(const QString &text)
{
    qsizetype count = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const bool pairEnd =
            i > 0 && text.at(i).isLowSurrogate() && text.at(i - 1).isHighSurrogate();
        count += pairEnd ? 0 : 1;
    }
    return count;
}

// The first input byte, read as a digit ('0' is 0) so that seed files stay readable, picks one
// of `count` kinds of input; the rest is the input itself.
inline unsigned kindOf(const unsigned char *data, unsigned count)
{
    return static_cast<unsigned char>(data[0] - '0') % count;
}

// The sizes of the pieces a stream is fed in (incremental parsers): a small xorshift
// generator, so the same seed splits the same way every run. `largest` 0: all at once.
class PieceSizes
{
public:
    PieceSizes(std::uint8_t largest, std::uint8_t seed) : m_largest(largest), m_state(seed + 1u) {}

    qsizetype next(qsizetype remaining)
    {
        if (m_largest == 0)
            return remaining;
        m_state ^= m_state << 13;
        m_state ^= m_state >> 17;
        m_state ^= m_state << 5;
        return std::min<qsizetype>(remaining, 1 + m_state % m_largest);
    }

private:
    std::uint8_t m_largest;
    std::uint32_t m_state;
};

} // namespace herald::fuzz
