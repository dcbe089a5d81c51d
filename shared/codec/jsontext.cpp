// SPDX-License-Identifier: Apache-2.0
#include "jsontext.h"

#include <QJsonDocument>

#include <algorithm>
#include <charconv>
#include <iterator>

namespace herald::json {

namespace {
constexpr char HexDigits[] = "0123456789abcdef";

// The escape of an ASCII character in a JSON string, or nullptr when it stands for itself.
// Control characters without a short escape are written \u00XX.
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

unsigned codeOf(QChar c)
{
    return c.unicode();
}
unsigned codeOf(char c)
{
    return static_cast<unsigned char>(c);
}

// True when `text` needs neither an escape nor UTF-8 encoding.
bool isPlainAscii(QStringView text)
{
    bool special = false;
    for (const QChar c : text) {
        const char16_t unit = c.unicode();
        special |= (unit < 0x20) | (unit >= 0x80) | (unit == u'"') | (unit == u'\\');
    }
    return !special;
}

// `units` (UTF-16 units that are all ASCII, or UTF-8 bytes) as a JSON string literal, measured
// first and written in place; bytes of multi-byte UTF-8 pass through unchanged.
template <typename Units> void appendEscaped(QByteArray &out, const Units &units)
{
    qsizetype length = 2;
    for (const auto unit : units) {
        const unsigned code = codeOf(unit);
        if (const char *escape = shortEscape(char16_t(code)))
            length += qsizetype(qstrlen(escape));
        else
            length += code < 0x20 ? 6 : 1;
    }
    const qsizetype at = out.size();
    out.resize(at + length);
    char *to = out.data() + at;
    *to++ = '"';
    for (const auto unit : units) {
        const unsigned code = codeOf(unit);
        if (const char *escape = shortEscape(char16_t(code))) {
            while (*escape)
                *to++ = *escape++;
        } else if (code < 0x20) {
            for (const char c :
                 {'\\', 'u', '0', '0', HexDigits[(code >> 4) & 0xf], HexDigits[code & 0xf]})
                *to++ = c;
        } else {
            *to++ = char(code);
        }
    }
    *to = '"';
}
} // namespace

void appendQuoted(QByteArray &out, QStringView text)
{
    // Most text is printable ASCII without quotes or backslashes: one pass to see that (with
    // no branch per character, so the compiler vectorises it) and one to narrow it.
    if (isPlainAscii(text)) {
        const qsizetype at = out.size();
        out.resize(at + text.size() + 2);
        char *to = out.data() + at;
        *to++ = '"';
        for (const QChar c : text)
            *to++ = char(c.unicode());
        *to = '"';
        return;
    }
    // Other ASCII text is escaped straight from UTF-16, without a UTF-8 copy.
    const bool ascii =
        std::all_of(text.begin(), text.end(), [](QChar c) { return c.unicode() < 0x80; });
    if (ascii)
        appendEscaped(out, text);
    else
        appendEscaped(out, text.toUtf8());
}

void appendInteger(QByteArray &out, qint64 number)
{
    char digits[24];
    const auto written = std::to_chars(std::begin(digits), std::end(digits), number);
    out.append(digits, written.ptr - digits);
}

QByteArray quote(QStringView text)
{
    QByteArray out;
    appendQuoted(out, text);
    return out;
}

QByteArray text(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Object:
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    case QJsonValue::Array:
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    case QJsonValue::String:
        return quote(value.toString());
    default: {
        // Numbers, booleans and null: let Qt format them inside an array, then unwrap.
        const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
        return wrapped.mid(1, wrapped.size() - 2);
    }
    }
}

QByteArray idArray(const QList<NotificationId> &ids)
{
    QByteArray out = "[";
    for (qsizetype i = 0; i < ids.size(); ++i) {
        if (i > 0)
            out += ',';
        appendInteger(out, ids.at(i));
    }
    out += ']';
    return out;
}

QByteArray &OrderedObject::keyed(QStringView key)
{
    if (m_text.size() > 1)
        m_text += ',';
    appendQuoted(m_text, key);
    m_text += ':';
    return m_text;
}

OrderedObject &OrderedObject::addString(QStringView key, QStringView value)
{
    appendQuoted(keyed(key), value);
    return *this;
}

OrderedObject &OrderedObject::addInteger(QStringView key, qint64 value)
{
    appendInteger(keyed(key), value);
    return *this;
}

OrderedObject &OrderedObject::addBool(QStringView key, bool value)
{
    return addRaw(key, value ? QByteArrayLiteral("true") : QByteArrayLiteral("false"));
}

OrderedObject &OrderedObject::addValue(QStringView key, const QJsonValue &value)
{
    return addRaw(key, text(value));
}

OrderedObject &OrderedObject::addRaw(QStringView key, const QByteArray &json)
{
    keyed(key) += json;
    return *this;
}

} // namespace herald::json
