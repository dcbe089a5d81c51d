// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"
#include "protocol/error.h"
#include "protocol/fieldpath.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QMap>
#include <QStringList>

#include <optional>

// Typed readers for JSON input that report "path: what is wrong". Internal to the codecs.
namespace herald::json {

// Parses a body or frame that must be a JSON object; `what` names it in errors ("body").
Result<QJsonObject> parseObject(const QByteArray &text, const QString &what);
// Parses a body that must be a JSON object or array; the result is one of the two.
Result<QJsonValue> parseObjectOrArray(const QByteArray &text, const QString &what);

// An integral JSON number (1, 1.0 and 1e3 are; 1.5 and "1" are not) that fits in qint64.
std::optional<qint64> integerOf(const QJsonValue &value);
// A notification id: an integer in (0, 2^53).
Result<NotificationId> readId(const QJsonValue &value, const QString &path);
// An array of ids; any count (callers check the count where there is a limit).
Result<QList<NotificationId>> readIds(const QJsonValue &value, const QString &path);

// Reads typed fields of one JSON object. Absent and null fields read as their default. The
// first error is kept and later ones are dropped, so a parser reads every field and then
// checks error() once; the message of the first wrong field is what the caller sees.
class FieldReader
{
public:
    // CaseInsensitive serves the Hermes wire, whose .NET origin matched keys ignoring case.
    enum class Keys
    {
        Exact,
        CaseInsensitive
    };

    explicit FieldReader(const QJsonObject &object, const QString &path = {},
                         Keys keys = Keys::Exact);

    QString path(const QString &key) const { return fieldPath(m_path, key); }
    // Undefined when absent (null stays null).
    QJsonValue value(const QString &key) const;
    // Present and not null.
    bool has(const QString &key) const;

    QString string(const QString &key);
    QString requiredString(const QString &key);
    bool boolean(const QString &key, bool defaultValue);
    std::optional<qint64> integer(const QString &key);
    std::optional<NotificationId> id(const QString &key);
    QJsonArray array(const QString &key);
    // Reads every element of the array `key` as an object, each with a reader of its own
    // (path "key[i]"); stops at the first error, which becomes this reader's.
    template <typename ReadItem> void forEachObject(const QString &key, ReadItem &&readItem);
    QJsonObject object(const QString &key);
    QStringList stringList(const QString &key);
    QMap<QString, QString> stringMap(const QString &key);
    std::optional<QDateTime> time(const QString &key); // RFC 3339

    // Records `path: what` unless an earlier error is kept.
    void fail(const QString &path, const QString &what);
    void fail(const Error &error);
    void require(const QString &key);

    bool ok() const { return !m_error.has_value(); }
    const std::optional<Error> &error() const { return m_error; }
    tl::unexpected<Error> unexpected() const { return tl::unexpected<Error>(*m_error); }

private:
    QJsonObject m_object;
    QString m_path;
    Keys m_keys;
    std::optional<Error> m_error;
};

template <typename ReadItem>
void FieldReader::forEachObject(const QString &key, ReadItem &&readItem)
{
    const QJsonArray items = array(key);
    for (qsizetype i = 0; i < items.size() && ok(); ++i) {
        const QString itemPath = indexPath(path(key), i);
        if (!items.at(i).isObject()) {
            fail(itemPath, QStringLiteral("must be an object"));
            return;
        }
        FieldReader item(items.at(i).toObject(), itemPath);
        readItem(item);
        if (!item.ok())
            fail(*item.error());
    }
}

} // namespace herald::json
