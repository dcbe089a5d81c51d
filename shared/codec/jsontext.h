// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

// Writing JSON text. QJsonObject sorts its keys; frames whose first key is the message type
// (PROTOCOL.md, Hermes' NewNotification) are written with OrderedObject instead.
namespace herald::json {

// `text` as a JSON string literal, quotes included, UTF-8.
QByteArray quote(QStringView text);
// The same, appended to `out` (no string of its own in between).
void appendQuoted(QByteArray &out, QStringView text);
// `number` in decimal, appended to `out` (no QByteArray of its own).
void appendInteger(QByteArray &out, qint64 number);
// Compact JSON text of any value, scalars included.
QByteArray text(const QJsonValue &value);
// `[1,2,3]`: ids as JSON integers.
QByteArray idArray(const QList<NotificationId> &ids);

// Builds `{"k":v,...}` with the keys in the order they are added.
class OrderedObject
{
public:
    OrderedObject &addString(QStringView key, QStringView value);
    OrderedObject &addInteger(QStringView key, qint64 value);
    OrderedObject &addBool(QStringView key, bool value);
    OrderedObject &addValue(QStringView key, const QJsonValue &value);
    // `json` must already be valid JSON text.
    OrderedObject &addRaw(QStringView key, const QByteArray &json);

    QByteArray toJson() const { return m_text + '}'; }

private:
    // Writes the comma before all but the first key, and `"key":`.
    QByteArray &keyed(QStringView key);

    QByteArray m_text = QByteArrayLiteral("{");
};

} // namespace herald::json
