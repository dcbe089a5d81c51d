// SPDX-License-Identifier: Apache-2.0
#include "core/behavior.h"

#include "core/eventtyperules.h"
#include "protocol/validator.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

Result<QStringList> namesAt(const QJsonObject &object, const QString &key, const QString &path)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined() || value.isNull())
        return QStringList();
    if (!value.isArray())
        return fail(ErrorCode::BadRequest, path + u": must be an array of names"_s);
    QStringList names;
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString item = u"%1[%2]"_s.arg(path).arg(i);
        if (!array.at(i).isString() || !Validator::isValidName(array.at(i).toString()))
            return fail(ErrorCode::BadRequest, item + u": not a valid name"_s);
        if (!names.contains(array.at(i).toString()))
            names.append(array.at(i).toString());
    }
    return names;
}

} // namespace

Result<Behavior> Behavior::fromJson(const QString &application, const QString &name,
                                    const QJsonObject &body)
{
    if (!Validator::isValidName(name))
        return fail(ErrorCode::BadRequest, u"name: not a valid name"_s);
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (it.key() != u"match" && it.key() != u"endpoints" && it.key() != u"name" &&
            it.key() != u"application")
            return fail(ErrorCode::BadRequest, it.key() + u": unknown field"_s);
    }
    // What GET answers may be PUT back as it is; names that contradict the URL may not.
    if (body.contains(u"name") && body.value(u"name").toString() != name)
        return fail(ErrorCode::BadRequest, u"name: differs from the URL's"_s);
    if (body.contains(u"application") && body.value(u"application").toString() != application)
        return fail(ErrorCode::BadRequest, u"application: differs from the URL's"_s);
    const QJsonValue matchValue = body.value(u"match");
    if (!matchValue.isUndefined() && !matchValue.isObject())
        return fail(ErrorCode::BadRequest, u"match: must be an object"_s);
    const QJsonObject match = matchValue.toObject();
    for (auto it = match.begin(); it != match.end(); ++it) {
        if (it.key() != u"channels" && it.key() != u"codes" && it.key() != u"minLevel")
            return fail(ErrorCode::BadRequest, u"match."_s + it.key() + u": unknown field"_s);
    }
    Behavior behavior;
    behavior.application = application;
    behavior.name = name;
    auto channels = namesAt(match, u"channels"_s, u"match.channels"_s);
    if (!channels)
        return tl::unexpected(channels.error());
    auto codes = namesAt(match, u"codes"_s, u"match.codes"_s);
    if (!codes)
        return tl::unexpected(codes.error());
    behavior.channels = QSet<QString>(channels->cbegin(), channels->cend());
    behavior.codes = QSet<QString>(codes->cbegin(), codes->cend());
    const QJsonValue minLevel = match.value(u"minLevel");
    if (!minLevel.isUndefined() && !minLevel.isNull()) {
        if (!minLevel.isString() || !Validator::isValidName(minLevel.toString()))
            return fail(ErrorCode::BadRequest, u"match.minLevel: not a valid level name"_s);
        behavior.minLevel = minLevel.toString();
    }
    if (!body.value(u"endpoints").isArray())
        return fail(ErrorCode::BadRequest, u"endpoints: required, an array of endpoint names"_s);
    auto endpoints = namesAt(body, u"endpoints"_s, u"endpoints"_s);
    if (!endpoints)
        return tl::unexpected(endpoints.error());
    if (endpoints->isEmpty() || endpoints->size() > MaxEndpoints)
        return fail(ErrorCode::BadRequest,
                    u"endpoints: name 1 to %1 endpoints"_s.arg(MaxEndpoints));
    behavior.endpoints = *endpoints;
    return behavior;
}

QJsonObject Behavior::matchJson() const
{
    QJsonObject match;
    auto sorted = [](const QSet<QString> &set) {
        QStringList list(set.cbegin(), set.cend());
        list.sort();
        return QJsonArray::fromStringList(list);
    };
    if (!channels.isEmpty())
        match[u"channels"] = sorted(channels);
    if (!codes.isEmpty())
        match[u"codes"] = sorted(codes);
    if (!minLevel.isEmpty())
        match[u"minLevel"] = minLevel;
    return match;
}

QJsonObject Behavior::toJson() const
{
    return {{u"application"_s, application},
            {u"name"_s, name},
            {u"match"_s, matchJson()},
            {u"endpoints"_s, QJsonArray::fromStringList(endpoints)}};
}

bool Behavior::matches(const Notification &n, const EventTypeRules &eventTypes) const
{
    if (n.application != application)
        return false;
    if (!channels.isEmpty() && !channels.contains(n.channel))
        return false;
    if (!codes.isEmpty() && !codes.contains(n.code))
        return false;
    if (minLevel.isEmpty())
        return true;
    return eventTypes.reaches(n.code, n.level, minLevel).value_or(false);
}

} // namespace herald::syncd
