// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QtGlobal>

namespace herald {

// Checks UTF-8 as it arrives, in pieces split anywhere, by RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF. Three bytes of state, so that a WebSocket text message
// can be refused at its first bad byte (RFC 6455 §8.1) instead of after it arrived whole.
class Utf8Validator
{
public:
    // False from the first byte that cannot belong to valid UTF-8 on, and then for good.
    bool feed(const char *data, qsizetype size);
    // Everything fed so far is valid and ends on a character boundary.
    bool isComplete() const { return m_valid && m_pending == 0; }
    void reset() { *this = Utf8Validator(); }

private:
    quint8 m_pending = 0; // continuation bytes still owed by the current character
    // The range the next continuation byte must lie in: narrower than 80-BF right after the
    // lead bytes E0, ED, F0 and F4, which is what rules out overlong forms, surrogates and
    // code points above U+10FFFF.
    quint8 m_low = 0x80;
    quint8 m_high = 0xBF;
    bool m_valid = true;
};

} // namespace herald
