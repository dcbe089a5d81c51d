// SPDX-License-Identifier: Apache-2.0
#include "jsontext.h"

#include <QJsonDocument>

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

// Any text: converted to UTF-8 first, then escaped byte by byte (multi-byte UTF-8 passes
// through unchanged).
void appendQuotedUtf8(QByteArray &out, QStringView text)
{
    out += '"';
    for (const char c : text.toUtf8()) {
        const auto byte = static_cast<unsigned char>(c);
        if (const char *escape = byte < 0x80 ? shortEscape(byte) : nullptr) {
            out += escape;
        } else if (byte < 0x20) {
            out += "\\u00";
            out += HexDigits[(byte >> 4) & 0xf];
            out += HexDigits[byte & 0xf];
        } else {
            out += c;
        }
    }
    out += '"';
}
} // namespace

void appendQuoted(QByteArray &out, QStringView text)
{
    // Most text is ASCII: measured and written in place, without a UTF-8 copy.
    qsizetype length = 2;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u >= 0x80) {
            appendQuotedUtf8(out, text);
            return;
        }
        if (const char *escape = shortEscape(u))
            length += qsizetype(qstrlen(escape));
        else
            length += u < 0x20 ? 6 : 1;
    }
    const qsizetype at = out.size();
    out.resize(at + length);
    char *to = out.data() + at;
    *to++ = '"';
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (const char *escape = shortEscape(u)) {
            while (*escape)
                *to++ = *escape++;
        } else if (u < 0x20) {
            *to++ = '\\';
            *to++ = 'u';
            *to++ = '0';
            *to++ = '0';
            *to++ = HexDigits[(u >> 4) & 0xf];
            *to++ = HexDigits[u & 0xf];
        } else {
            *to++ = char(u);
        }
    }
    *to = '"';
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
        out += QByteArray::number(ids.at(i));
    }
    out += ']';
    return out;
}

OrderedObject &OrderedObject::addString(QStringView key, QStringView value)
{
    if (m_text.size() > 1)
        m_text += ',';
    appendQuoted(m_text, key);
    m_text += ':';
    appendQuoted(m_text, value);
    return *this;
}

OrderedObject &OrderedObject::addInteger(QStringView key, qint64 value)
{
    return addRaw(key, QByteArray::number(value));
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
    if (m_text.size() > 1)
        m_text += ',';
    appendQuoted(m_text, key);
    m_text += ':';
    m_text += json;
    return *this;
}

} // namespace herald::json
