// SPDX-License-Identifier: Apache-2.0
#include "jsonfields.h"

#include "model/timestamps.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace herald::json {

namespace {

constexpr double TwoToThe53 = 9007199254740992.0;

Result<void> checkString(const QString &text, const QString &path);

bool isStorable(QStringView text)
{
    return text.isValidUtf16() && !text.contains(QChar(u'\0'));
}

// Whether JSON `text` can hold a string checkText refuses. Qt's parser refuses surrogates
// encoded as UTF-8, so a lone surrogate can only come from a \uD800–\uDFFF escape, and U+0000
// from \u0000 or a raw NUL byte (which it accepts). Text without either is clean however it
// parses; a false alarm ("\\u0000", an escaped surrogate pair) only costs the full check.
bool mayHoldUnstorableText(const QByteArray &text)
{
    if (text.contains('\0'))
        return true;
    for (qsizetype at = text.indexOf("\\u"); at >= 0 && at + 6 <= text.size();
         at = text.indexOf("\\u", at + 2)) {
        const QByteArray hex = text.mid(at + 2, 4).toLower();
        if (hex == "0000" || (hex.startsWith('d') && hex.at(1) >= '8'))
            return true;
    }
    return false;
}

// checkText's common case, without building a path for every field: true when every key and
// string in `value` can be stored.
bool allStorable(const QJsonValue &value)
{
    if (value.isString())
        return isStorable(value.toString());
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        return std::all_of(array.begin(), array.end(),
                           [](const QJsonValue &item) { return allStorable(item); });
    }
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!isStorable(it.key()) || !allStorable(it.value()))
                return false;
        }
    }
    return true;
}

// Every key and string in `value`, at any depth. Errors name the field's path; a bad key, or a
// bad string at the top, is named by `what` ("body").
Result<void> checkText(const QJsonValue &value, const QString &path, const QString &what)
{
    const QString here = path.isEmpty() ? what : path;
    if (value.isString())
        return checkString(value.toString(), here);
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (auto r = checkText(array.at(i), indexPath(path, i), what); !r)
                return r;
        }
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (auto r = checkString(it.key(), here); !r)
                return fail(r.error().code,
                            r.error().message.replace(u": contains"_s, u": a key contains"_s));
            if (auto r = checkText(it.value(), fieldPath(path, it.key()), what); !r)
                return r;
        }
    }
    return {};
}

// `shape` says what the caller needs, for the error about a scalar or empty body.
Result<QJsonDocument> parseDocument(const QByteArray &text, const QString &what,
                                    const QString &shape)
{
    const QByteArray trimmed = text.trimmed();
    // Qt reports a top-level scalar as "illegal value"; say what is expected instead.
    if (trimmed.isEmpty() || (!trimmed.startsWith('{') && !trimmed.startsWith('[')))
        return failField(what, u"must be "_s + shape);
    QJsonParseError error;
    QJsonDocument document = QJsonDocument::fromJson(text, &error); // offsets of the original
    if (error.error != QJsonParseError::NoError) {
        return failField(
            what, u"invalid JSON (%1 at offset %2)"_s.arg(error.errorString()).arg(error.offset));
    }
    const QJsonValue root =
        document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
    if (!mayHoldUnstorableText(text) || allStorable(root))
        return document;
    if (auto clean = checkText(root, QString(), what); !clean)
        return tl::unexpected(clean.error());
    return document;
}

// Strings that cannot be stored as they are: Qt keeps a lone "\ud800" as an unpaired UTF-16
// unit (stored, it would come back as something else), and U+0000 ends C strings and is
// refused by PostgreSQL's text type.
Result<void> checkString(const QString &text, const QString &path)
{
    if (!QStringView(text).isValidUtf16())
        return failField(path, u"contains an unpaired UTF-16 surrogate"_s);
    if (text.contains(QChar(u'\0')))
        return failField(path, u"contains U+0000 (NUL)"_s);
    return {};
}

} // namespace

Result<QJsonObject> parseObject(const QByteArray &text, const QString &what)
{
    const QString shape = u"a JSON object"_s;
    auto document = parseDocument(text, what, shape);
    if (!document)
        return tl::unexpected(document.error());
    if (!document->isObject())
        return failField(what, u"must be "_s + shape);
    return document->object();
}

Result<QJsonValue> parseObjectOrArray(const QByteArray &text, const QString &what)
{
    auto document = parseDocument(text, what, u"a JSON object or array"_s);
    if (!document)
        return tl::unexpected(document.error());
    if (document->isArray())
        return QJsonValue(document->array());
    return QJsonValue(document->object());
}

std::optional<qint64> integerOf(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (!std::isfinite(d) || std::trunc(d) != d)
        return std::nullopt;
    // toInteger() is exact where Qt kept an integer; for values outside qint64 it returns -1.
    const qint64 i = value.toInteger(-1);
    if (i == -1 && d != -1.0)
        return std::nullopt;
    return i;
}

Result<NotificationId> readId(const QJsonValue &value, const QString &path)
{
    const auto id = integerOf(value);
    if (!id || *id <= 0 || double(*id) >= TwoToThe53)
        return failField(path, u"must be a positive integer below 2^53"_s);
    return *id;
}

Result<QList<NotificationId>> readIds(const QJsonValue &value, const QString &path)
{
    if (!value.isArray())
        return failField(path, u"must be an array of ids"_s);
    const QJsonArray array = value.toArray();
    QList<NotificationId> ids;
    ids.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto id = readId(array.at(i), indexPath(path, i));
        if (!id)
            return tl::unexpected(id.error());
        ids.append(*id);
    }
    return ids;
}

FieldReader::FieldReader(const QJsonObject &object, const QString &path, Keys keys)
    : m_object(object), m_path(path), m_keys(keys)
{
}

QJsonValue FieldReader::value(const QString &key) const
{
    auto it = m_object.constFind(key);
    if (it != m_object.constEnd())
        return it.value();
    if (m_keys == Keys::CaseInsensitive) {
        for (it = m_object.constBegin(); it != m_object.constEnd(); ++it) {
            if (it.key().compare(key, Qt::CaseInsensitive) == 0)
                return it.value();
        }
    }
    return QJsonValue(QJsonValue::Undefined);
}

bool FieldReader::has(const QString &key) const
{
    const QJsonValue v = value(key);
    return !v.isUndefined() && !v.isNull();
}

QString FieldReader::string(const QString &key)
{
    const QJsonValue v = value(key);
    if (v.isUndefined() || v.isNull())
        return {};
    if (!v.isString()) {
        fail(path(key), u"must be a string"_s);
        return {};
    }
    return v.toString();
}

QString FieldReader::requiredString(const QString &key)
{
    require(key);
    return string(key);
}

bool FieldReader::boolean(const QString &key, bool defaultValue)
{
    const QJsonValue v = value(key);
    if (v.isUndefined() || v.isNull())
        return defaultValue;
    if (!v.isBool()) {
        fail(path(key), u"must be true or false"_s);
        return defaultValue;
    }
    return v.toBool();
}

std::optional<qint64> FieldReader::integer(const QString &key)
{
    if (!has(key))
        return std::nullopt;
    const auto i = integerOf(value(key));
    if (!i)
        fail(path(key), u"must be an integer"_s);
    return i;
}

std::optional<NotificationId> FieldReader::id(const QString &key)
{
    if (!has(key))
        return std::nullopt;
    auto id = readId(value(key), path(key));
    if (!id) {
        fail(id.error());
        return std::nullopt;
    }
    return *id;
}

QJsonArray FieldReader::array(const QString &key)
{
    if (!has(key))
        return {};
    const QJsonValue v = value(key);
    if (!v.isArray()) {
        fail(path(key), u"must be an array"_s);
        return {};
    }
    return v.toArray();
}

QJsonObject FieldReader::object(const QString &key)
{
    if (!has(key))
        return {};
    const QJsonValue v = value(key);
    if (!v.isObject()) {
        fail(path(key), u"must be an object"_s);
        return {};
    }
    return v.toObject();
}

QStringList FieldReader::stringList(const QString &key)
{
    const QJsonArray a = array(key);
    QStringList list;
    list.reserve(a.size());
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (!a.at(i).isString()) {
            fail(indexPath(path(key), i), u"must be a string"_s);
            return {};
        }
        list.append(a.at(i).toString());
    }
    return list;
}

QMap<QString, QString> FieldReader::stringMap(const QString &key)
{
    const QJsonObject o = object(key);
    QMap<QString, QString> map;
    for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
        if (!it.value().isString()) {
            fail(fieldPath(path(key), it.key()), u"must be a string"_s);
            return {};
        }
        map.insert(it.key(), it.value().toString());
    }
    return map;
}

std::optional<QDateTime> FieldReader::time(const QString &key)
{
    if (!has(key))
        return std::nullopt;
    const QJsonValue v = value(key);
    auto parsed = v.isString() ? fromRfc3339(v.toString()) : std::nullopt;
    if (!parsed)
        fail(path(key), u"must be an RFC 3339 time such as 2026-11-22T12:00:00.123Z"_s);
    return parsed;
}

void FieldReader::fail(const QString &path, const QString &what)
{
    fail(fieldError(path, what));
}

void FieldReader::fail(const Error &error)
{
    if (!m_error)
        m_error = error;
}

void FieldReader::require(const QString &key)
{
    if (!has(key))
        fail(path(key), u"is required"_s);
}

} // namespace herald::json
