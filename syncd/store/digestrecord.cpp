// SPDX-License-Identifier: Apache-2.0
#include "store/digestrecord.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace herald::syncd {

QString digestRecordPayload(const SentDigest &digest)
{
    QJsonArray items;
    for (NotificationId id : digest.itemIds)
        items.append(id);
    const QJsonObject o{{u"id"_s, digest.id},
                        {u"key"_s, digest.key},
                        {u"periodEnd"_s, digest.periodEndMs},
                        {u"nextDue"_s, digest.nextDueMs},
                        {u"count"_s, digest.count},
                        {u"items"_s, items}};
    QByteArray text = QJsonDocument(o).toJson(QJsonDocument::Compact);
    // The frame is this daemon's own compact JSON: spliced in, not read and written again.
    const QByteArray frame = digest.frame.trimmed();
    if (frame.startsWith('{') && frame.endsWith('}')) {
        text.chop(1);
        text += ",\"frame\":" + frame + '}';
    }
    return QString::fromUtf8(text);
}

std::optional<SentDigest> readDigestRecordPayload(const QString &payload, const QString &user,
                                                  int origin, qint64 seq, qint64 timeMs)
{
    const QJsonObject o = QJsonDocument::fromJson(payload.toUtf8()).object();
    const QJsonValue id = o.value(u"id"), key = o.value(u"key"), end = o.value(u"periodEnd"),
                     next = o.value(u"nextDue"), count = o.value(u"count"),
                     items = o.value(u"items"), frame = o.value(u"frame");
    if (!id.isString() || id.toString().isEmpty() || !key.isString() || !end.isDouble() ||
        !next.isDouble() || !count.isDouble() || !items.isArray() || !frame.isObject() ||
        user.isEmpty())
        return std::nullopt;
    SentDigest digest;
    digest.id = id.toString();
    digest.user = user;
    digest.key = key.toString();
    digest.periodEndMs = end.toInteger();
    digest.nextDueMs = next.toInteger();
    digest.count = count.toInteger();
    for (const QJsonValue &item : items.toArray()) {
        if (!item.isDouble() || item.toInteger() <= 0)
            return std::nullopt;
        digest.itemIds.append(item.toInteger());
    }
    digest.frame = QJsonDocument(frame.toObject()).toJson(QJsonDocument::Compact);
    digest.node = origin;
    digest.sentMs = timeMs;
    digest.relaySeq = seq;
    return digest;
}

} // namespace herald::syncd
