// SPDX-License-Identifier: Apache-2.0
#include "store/deliveryrecord.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

// Bounds on what a peer may send: ids are UUIDs, endpoint names are short.
constexpr qsizetype MaxIdChars = 64;
constexpr qsizetype MaxEndpointChars = 200;

QJsonObject identity(const DeliveryJob &job)
{
    return QJsonObject{{u"id"_s, job.id},
                       {u"endpoint"_s, job.endpoint},
                       {u"notification"_s, QJsonValue(qint64(job.notificationId))},
                       {u"created"_s, QJsonValue(job.createdMs)}};
}

bool isWholeNumber(const QJsonValue &value, double min, double max)
{
    if (!value.isDouble())
        return false;
    const double n = value.toDouble();
    return n >= min && n <= max && n == double(qint64(n));
}

// The fields every job in a delivery record has; false when one is missing or out of range.
bool readIdentity(const QJsonObject &o, DeliveryJob &job)
{
    const QJsonValue id = o.value(u"id"), endpoint = o.value(u"endpoint"),
                     notification = o.value(u"notification"), created = o.value(u"created");
    if (!id.isString() || id.toString().isEmpty() || id.toString().size() > MaxIdChars ||
        !endpoint.isString() || endpoint.toString().isEmpty() ||
        endpoint.toString().size() > MaxEndpointChars || !isWholeNumber(notification, 0, 0x1p53) ||
        !isWholeNumber(created, 0, 0x1p53))
        return false;
    job.id = id.toString();
    job.endpoint = endpoint.toString();
    job.notificationId = notification.toInteger();
    job.createdMs = created.toInteger();
    job.nextAttemptMs = job.createdMs;
    return true;
}

QString compact(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QString listPayload(const QList<DeliveryJob> &jobs, QJsonObject (*one)(const DeliveryJob &))
{
    QJsonArray array;
    for (const DeliveryJob &job : jobs)
        array.append(one(job));
    return compact(QJsonObject{{u"jobs"_s, array}});
}

std::optional<QList<DeliveryJob>> readList(const QString &payload,
                                           bool (*one)(const QJsonObject &, DeliveryJob &))
{
    const QJsonValue jobs = QJsonDocument::fromJson(payload.toUtf8()).object().value(u"jobs");
    if (!jobs.isArray())
        return std::nullopt;
    QList<DeliveryJob> read;
    for (const QJsonValue &value : jobs.toArray()) {
        DeliveryJob job;
        if (!value.isObject() || !readIdentity(value.toObject(), job) ||
            !one(value.toObject(), job))
            return std::nullopt;
        read.append(std::move(job));
    }
    return read;
}

QJsonObject takenJson(const DeliveryJob &job)
{
    QJsonObject o = identity(job);
    o.insert(u"takeovers"_s, job.takeovers);
    return o;
}

bool readTaken(const QJsonObject &o, DeliveryJob &job)
{
    if (!isWholeNumber(o.value(u"takeovers"), 1, 1 << 30))
        return false;
    job.takeovers = o.value(u"takeovers").toInt();
    return true;
}

QJsonObject doneJson(const DeliveryJob &job)
{
    QJsonObject o = identity(job);
    o.insert(u"status"_s, deliveryStatusName(job.status));
    o.insert(u"attempts"_s, job.attempts);
    o.insert(u"at"_s, QJsonValue(job.lastAttemptMs));
    o.insert(u"httpStatus"_s, job.lastStatus);
    o.insert(u"error"_s, job.lastError);
    return o;
}

bool readDone(const QJsonObject &o, DeliveryJob &job)
{
    if (!parseDeliveryStatus(o.value(u"status").toString(), &job.status) ||
        job.status == DeliveryStatus::Pending || !isWholeNumber(o.value(u"attempts"), 0, 1 << 30) ||
        !isWholeNumber(o.value(u"at"), 0, 0x1p53) ||
        !isWholeNumber(o.value(u"httpStatus"), 0, 999) || !o.value(u"error").isString())
        return false;
    job.attempts = o.value(u"attempts").toInt();
    job.lastAttemptMs = o.value(u"at").toInteger();
    job.nextAttemptMs = job.lastAttemptMs;
    job.lastStatus = o.value(u"httpStatus").toInt();
    job.lastError = o.value(u"error").toString().left(1000);
    return true;
}

} // namespace

QString jobRecordPayload(const DeliveryJob &job)
{
    QJsonObject o = identity(job);
    o.insert(u"payload"_s, QString::fromUtf8(job.payload));
    return compact(o);
}

QString takenRecordPayload(const QList<DeliveryJob> &jobs)
{
    return listPayload(jobs, takenJson);
}

QString doneRecordPayload(const QList<DeliveryJob> &jobs)
{
    return listPayload(jobs, doneJson);
}

std::optional<DeliveryJob> readJobRecordPayload(const QString &payload)
{
    const QJsonObject o = QJsonDocument::fromJson(payload.toUtf8()).object();
    DeliveryJob job;
    const QJsonValue body = o.value(u"payload");
    if (!readIdentity(o, job) || !body.isString() || body.toString().isEmpty())
        return std::nullopt;
    job.payload = body.toString().toUtf8();
    return job;
}

std::optional<QList<DeliveryJob>> readTakenRecordPayload(const QString &payload)
{
    return readList(payload, readTaken);
}

std::optional<QList<DeliveryJob>> readDoneRecordPayload(const QString &payload)
{
    return readList(payload, readDone);
}

} // namespace herald::syncd
