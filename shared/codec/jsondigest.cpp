// SPDX-License-Identifier: Apache-2.0
#include "jsondigest.h"

#include "jsoncodec.h"
#include "jsonfields.h"
#include "model/timestamps.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace herald::json {

QByteArray encodeFrame(const DigestMessage &m)
{
    QJsonArray items;
    for (const Notification &n : m.items)
        items.append(JsonCodec::toJson(n));
    const QJsonObject data{{u"id"_s, m.id},
                           {u"period"_s, m.period},
                           {u"periodEnd"_s, toRfc3339(m.periodEnd)},
                           {u"count"_s, m.count},
                           {u"channels"_s, m.channels},
                           {u"items"_s, items}};
    return QJsonDocument(QJsonObject{{u"type"_s, u"digest"_s}, {u"data"_s, data}})
        .toJson(QJsonDocument::Compact);
}

Result<ServerMessage> decodeDigestFrame(const QJsonObject &frame, const JsonCodec &codec)
{
    FieldReader r(frame);
    r.require(u"data"_s);
    const QJsonObject data = r.object(u"data"_s);
    if (!r.ok())
        return r.unexpected();
    FieldReader d(data, u"data"_s);
    DigestMessage m;
    m.id = d.requiredString(u"id"_s);
    m.period = d.requiredString(u"period"_s);
    d.require(u"periodEnd"_s);
    m.periodEnd = d.time(u"periodEnd"_s).value_or(QDateTime());
    d.require(u"count"_s);
    m.count = d.integer(u"count"_s).value_or(0);
    m.channels = d.integer(u"channels"_s).value_or(0);
    const QJsonArray items = d.array(u"items"_s);
    if (!d.ok())
        return d.unexpected();
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QString path = u"data.items[%1]"_s.arg(i);
        if (!items.at(i).isObject())
            return fail(ErrorCode::BadRequest, path + u": must be an object"_s);
        auto n = codec.parseNotification(items.at(i).toObject());
        if (!n) // the item's own path in front of the field it names
            return fail(n.error().code, path + u'.' + n.error().message);
        m.items.append(*n);
    }
    if (m.count < m.items.size())
        return fail(ErrorCode::BadRequest, u"data.count: must not be below the items carried"_s);
    return m;
}

} // namespace herald::json
