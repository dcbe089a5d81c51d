// SPDX-License-Identifier: Apache-2.0
#include "jsontext.h"

#include <QJsonDocument>

namespace herald::json {

QByteArray quote(QStringView text)
{
    const QByteArray utf8 = text.toUtf8();
    QByteArray out;
    out.reserve(utf8.size() + 2);
    out += '"';
    for (char c : utf8) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                static const char hex[] = "0123456789abcdef";
                out += "\\u00";
                out += hex[(c >> 4) & 0xf];
                out += hex[c & 0xf];
            } else {
                out += c; // multi-byte UTF-8 passes through unchanged
            }
        }
    }
    out += '"';
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
    return addRaw(key, quote(value));
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
    m_text += quote(key);
    m_text += ':';
    m_text += json;
    return *this;
}

} // namespace herald::json
