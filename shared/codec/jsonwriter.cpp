// SPDX-License-Identifier: Apache-2.0
#include "jsonwriter.h"

#include "model/timestamps.h"

#include <QChar>
#include <QString>
#include <QSysInfo>

#include <charconv>
#include <iterator>

namespace herald::json {

namespace {
constexpr char HexDigits[] = "0123456789abcdef";

// The two-character escape of an ASCII character in a JSON string, or nullptr when it has none.
// Control characters without one are written \u00XX.
const char *shortEscape(char16_t c)
{
    switch (c) {
    case u'"':
        return "\\\"";
    case u'\\':
        return "\\\\";
    case u'\b':
        return "\\b";
    case u'\f':
        return "\\f";
    case u'\n':
        return "\\n";
    case u'\r':
        return "\\r";
    case u'\t':
        return "\\t";
    default:
        return nullptr;
    }
}

// Four UTF-16 units in a word, for tests on all four at once (bit-twiddling "has zero" and
// "has less", exact in whether any unit matches). The compiler does not vectorise the loop by
// itself at -O2.
constexpr quint64 EveryUnit = 0x0001'0001'0001'0001;

constexpr quint64 hasUnitBelow(quint64 units, quint64 bound)
{
    return (units - bound * EveryUnit) & ~units & (0x8000 * EveryUnit);
}

// Non-zero when one of the four units needs an escape or more than one byte of UTF-8.
constexpr quint64 special(quint64 units)
{
    return (units & (0xFF80 * EveryUnit)) | hasUnitBelow(units, 0x20) |
           hasUnitBelow(units ^ (u'"' * EveryUnit), 1) |
           hasUnitBelow(units ^ (u'\\' * EveryUnit), 1);
}

constexpr bool isSpecial(char16_t unit)
{
    return unit < 0x20 || unit >= 0x80 || unit == u'"' || unit == u'\\';
}

// Whether `text` is all plain ASCII (no escape, no UTF-8), as most text is; with Copy, it is
// also copied at `to` one byte per unit, which is then its JSON when the answer is true.
template <bool Copy> bool plainAscii(QStringView text, [[maybe_unused]] char *to)
{
    const char16_t *units = text.utf16();
    const qsizetype n = text.size();
    quint64 found = 0;
    qsizetype i = 0;
    for (; i + 4 <= n; i += 4) {
        quint64 four;
        std::memcpy(&four, units + i, sizeof four);
        found |= special(four);
        if constexpr (!Copy) {
        } else if constexpr (QSysInfo::ByteOrder == QSysInfo::LittleEndian) {
            // Unit 0 is the word's low half: each unit's low byte, in order.
            const quint32 bytes =
                quint32((four & 0xFF) | ((four >> 8) & 0xFF00) | ((four >> 16) & 0xFF'0000) |
                        ((four >> 24) & 0xFF00'0000));
            std::memcpy(to + i, &bytes, sizeof bytes);
        } else {
            for (qsizetype k = i; k < i + 4; ++k)
                to[k] = char(units[k]);
        }
    }
    for (; i < n; ++i) {
        found |= isSpecial(units[i]);
        if constexpr (Copy)
            to[i] = char(units[i]);
    }
    return found == 0;
}

bool isPlainAscii(QStringView text)
{
    return plainAscii<false>(text, nullptr);
}

// Walks `text` as the content of a JSON string: every ASCII unit for itself, every other code
// point with the length of its UTF-8, and a surrogate without its pair as '?', which is what
// QString::toUtf8 writes for one.
template <typename Sink> void walk(QStringView text, Sink &sink)
{
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t unit = text[i].unicode();
        if (unit < 0x80) {
            sink.ascii(unit);
        } else if (unit < 0x800) {
            sink.codePoint(unit, 2);
        } else if (!QChar::isSurrogate(unit)) {
            sink.codePoint(unit, 3);
        } else if (QChar::isHighSurrogate(unit) && i + 1 < n &&
                   QChar::isLowSurrogate(text[i + 1].unicode())) {
            sink.codePoint(QChar::surrogateToUcs4(unit, text[i + 1].unicode()), 4);
            ++i;
        } else {
            sink.ascii(u'?');
        }
    }
}

struct Measure
{
    qsizetype size = 0;
    void ascii(char16_t unit) { size += shortEscape(unit) ? 2 : unit < 0x20 ? 6 : 1; }
    void codePoint(char32_t, int bytes) { size += bytes; }
};

struct Write
{
    char *to;
    void ascii(char16_t unit)
    {
        if (const char *escape = shortEscape(unit)) {
            *to++ = escape[0];
            *to++ = escape[1];
        } else if (unit < 0x20) {
            for (const char c :
                 {'\\', 'u', '0', '0', HexDigits[(unit >> 4) & 0xf], HexDigits[unit & 0xf]})
                *to++ = c;
        } else {
            *to++ = char(unit);
        }
    }
    void codePoint(char32_t code, int bytes)
    {
        static constexpr unsigned char Lead[] = {0, 0, 0xC0, 0xE0, 0xF0};
        for (int i = bytes - 1; i > 0; --i, code >>= 6)
            to[i] = char(0x80 | (code & 0x3F));
        to[0] = char(Lead[bytes] | code);
        to += bytes;
    }
};

} // namespace

Decimal::Decimal(qint64 number)
    : size(std::to_chars(std::begin(text), std::end(text), number).ptr - text)
{
}

qsizetype quotedSize(QStringView text)
{
    if (isPlainAscii(text))
        return text.size() + 2;
    Measure measure;
    walk(text, measure);
    return measure.size + 2;
}

char *writeQuoted(char *to, QStringView text)
{
    *to++ = '"';
    // Plain text is written in one pass. Other text takes at least one byte per unit
    // (quotedSize), so the first try fits before it is written over.
    if (plainAscii<true>(text, to)) {
        to += text.size();
    } else {
        Write write{to};
        walk(text, write);
        to = write.to;
    }
    *to++ = '"';
    return to;
}

SizeCounter &SizeCounter::time(const QDateTime &time)
{
    if (!hasRfc3339Text(time))
        return quoted(toRfc3339(time));
    m_size += qsizetype(sizeof(Rfc3339Text) - 1) + 2; // and its quotes
    return *this;
}

TextWriter &TextWriter::time(const QDateTime &time)
{
    Rfc3339Text text;
    if (!writeRfc3339(time, text))
        return quoted(toRfc3339(time));
    return raw("\"").raw(QByteArrayView(text, sizeof text - 1)).raw("\"");
}

} // namespace herald::json
