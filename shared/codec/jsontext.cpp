// SPDX-License-Identifier: Apache-2.0
#include "jsontext.h"

#include "jsonwriter.h"

#include <QJsonDocument>

namespace herald::json {

void appendQuoted(QByteArray &out, QStringView text)
{
    const qsizetype at = out.size();
    out.resize(at + quotedSize(text));
    writeQuoted(out.data() + at, text);
}

void appendInteger(QByteArray &out, qint64 number)
{
    out += Decimal(number).view();
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
