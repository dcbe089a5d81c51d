// SPDX-License-Identifier: Apache-2.0
// JsonCodec's catalog shapes: applications and channels, on the REST API.
#include "jsoncodec.h"

#include "jsonfields.h"
#include "jsontext.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace herald {

using json::FieldReader;

namespace {

// A body that may be absent (PUT with no body): empty means an empty object.
Result<QJsonObject> parseOptionalObject(const QByteArray &body)
{
    if (body.trimmed().isEmpty())
        return QJsonObject();
    return json::parseObject(body, u"body"_s);
}

Result<QJsonObject> parseObjectBodyImpl(const QByteArray &body)
{
    return json::parseObject(body, u"body"_s);
}

// A name repeated in a catalog body must agree with the path, since names never change.
void checkSameName(FieldReader &r, const QString &key, const QString &expected)
{
    if (r.has(key) && r.string(key) != expected)
        r.fail(r.path(key), u"does not match '%1' in the request path"_s.arg(expected));
}

} // namespace

QJsonObject JsonCodec::toJson(const Application &application)
{
    QJsonArray eventTypes;
    for (const EventType &type : application.eventTypes) {
        QJsonArray levels;
        for (const Level &level : type.levels)
            levels.append(QJsonObject{{u"id"_s, level.id}, {u"title"_s, level.title}});
        eventTypes.append(
            QJsonObject{{u"id"_s, type.id}, {u"title"_s, type.title}, {u"levels"_s, levels}});
    }
    return QJsonObject{{u"name"_s, application.name},
                       {u"title"_s, application.title},
                       {u"eventTypes"_s, eventTypes},
                       {u"acceptUnknownEvents"_s, application.acceptUnknownEvents}};
}

QJsonObject JsonCodec::toJson(const Channel &channel)
{
    return QJsonObject{{u"application"_s, channel.application},
                       {u"name"_s, channel.name},
                       {u"title"_s, channel.title},
                       {u"description"_s, channel.description}};
}

Result<Application> JsonCodec::parseApplication(const QByteArray &body, const QString &name) const
{
    auto object = parseOptionalObject(body);
    if (!object)
        return tl::unexpected(object.error());
    FieldReader r(*object);
    Application application;
    application.name = name;
    checkSameName(r, u"name"_s, name);
    application.title = r.string(u"title"_s);
    r.forEachObject(u"eventTypes"_s, [&application](FieldReader &tr) {
        EventType type;
        type.id = tr.requiredString(u"id"_s);
        type.title = tr.string(u"title"_s);
        tr.forEachObject(u"levels"_s, [&type](FieldReader &lr) {
            type.levels.append(Level{lr.requiredString(u"id"_s), lr.string(u"title"_s)});
        });
        application.eventTypes.append(type);
    });
    // A PUT replaces the registration, so leaving the key out means false (enforced).
    application.acceptUnknownEvents = r.boolean(u"acceptUnknownEvents"_s, false);
    if (!r.ok())
        return r.unexpected();
    if (auto valid = m_validator.checkApplication(application); !valid)
        return tl::unexpected(valid.error());
    return application;
}

Result<Channel> JsonCodec::parseChannel(const QByteArray &body, const QString &application,
                                        const QString &name) const
{
    auto object = parseOptionalObject(body);
    if (!object)
        return tl::unexpected(object.error());
    FieldReader r(*object);
    Channel channel;
    channel.application = application;
    channel.name = name;
    checkSameName(r, u"application"_s, application);
    checkSameName(r, u"name"_s, name);
    channel.title = r.string(u"title"_s);
    channel.description = r.string(u"description"_s);
    if (!r.ok())
        return r.unexpected();
    if (auto valid = m_validator.checkChannel(channel); !valid)
        return tl::unexpected(valid.error());
    return channel;
}

Result<QJsonObject> JsonCodec::parseObjectBody(const QByteArray &body)
{
    return parseObjectBodyImpl(body);
}

} // namespace herald
