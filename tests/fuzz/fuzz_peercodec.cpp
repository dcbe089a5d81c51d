// SPDX-License-Identifier: Apache-2.0
// PeerCodec::decode on the frames another node sends over a peer link (PROTOCOL.md, Peer
// relay): peerHello, sync, have, records, transient and drop. The input is the frame. A digest
// record's digest, and a delivery record's jobs, are read as the node that applies them reads
// them.
//
// Invariants: node ids and sequence numbers that are accepted are in range and are the
// numbers the frame holds (not wrapped into range); an accepted frame encodes and decodes
// back to itself.
#include "fuzzcheck.h"

#include "relay/peermessages.h"
#include "store/deliveryrecord.h"
#include "store/digestrecord.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstddef>
#include <cstdint>

using namespace herald;
using namespace herald::fuzz;
using namespace herald::syncd;
using namespace Qt::StringLiterals;

namespace {

bool isNode(qint64 node)
{
    return node >= 0 && node <= 63;
}

// The number the frame holds at `key`, as JSON says it (no narrowing).
double sent(const QJsonObject &object, const QString &key)
{
    return object.value(key).toDouble();
}

void checkHave(const HaveVector &have)
{
    for (auto it = have.cbegin(); it != have.cend(); ++it)
        check(isNode(it.key()) && it.value() >= 0, "have: node ids 0-63, sequences >= 0");
}

// A digest record's digest (store/digestrecord.h), as the node applying it reads it: item ids
// are notification ids, and what is read writes and reads back the same.
void checkDigest(const RelayRecord &record)
{
    const auto digest = readDigestRecordPayload(record.payload, record.user, record.origin,
                                                record.seq, record.timeMs);
    if (!digest)
        return;
    check(!digest->id.isEmpty() && !digest->user.isEmpty(), "digest: an id and a user");
    for (NotificationId id : digest->itemIds)
        check(id > 0, "digest: item ids are notification ids");
    const auto again = readDigestRecordPayload(digestRecordPayload(*digest), record.user,
                                               record.origin, record.seq, record.timeMs);
    check(again && again->id == digest->id && again->key == digest->key &&
              again->itemIds == digest->itemIds && again->periodEndMs == digest->periodEndMs &&
              again->nextDueMs == digest->nextDueMs && again->count == digest->count &&
              again->frame == digest->frame,
          "digest: survives writing and reading");
}

// A job as a delivery record carries it (store/deliveryrecord.h), read by the applying node:
// an id and an endpoint within their bounds, no negative number.
void checkDeliveryJob(const DeliveryJob &job)
{
    check(!job.id.isEmpty() && job.id.size() <= 64, "delivery: a job id of 1-64 characters");
    check(!job.endpoint.isEmpty() && job.endpoint.size() <= 200,
          "delivery: an endpoint name of 1-200 characters");
    check(job.notificationId >= 0 && job.createdMs >= 0,
          "delivery: notification and creation time not negative");
}

bool sameIdentity(const DeliveryJob &a, const DeliveryJob &b)
{
    return a.id == b.id && a.endpoint == b.endpoint && a.notificationId == b.notificationId &&
           a.createdMs == b.createdMs;
}

// A delivery record's jobs, as the node applying it reads them; what is read writes and reads
// back the same.
void checkDelivery(const RelayRecord &record)
{
    if (record.kind == RelayRecord::Kind::Job) {
        const auto job = readJobRecordPayload(record.payload);
        if (!job)
            return;
        checkDeliveryJob(*job);
        check(!job->payload.isEmpty(), "job: a body");
        const auto again = readJobRecordPayload(jobRecordPayload(*job));
        check(again && sameIdentity(*again, *job) && again->payload == job->payload,
              "job: survives writing and reading");
    } else if (record.kind == RelayRecord::Kind::JobsTaken) {
        const auto jobs = readTakenRecordPayload(record.payload);
        if (!jobs)
            return;
        for (const DeliveryJob &job : *jobs) {
            checkDeliveryJob(job);
            check(job.takeovers >= 1, "jobsTaken: each job changed hands at least once");
        }
        const auto again = readTakenRecordPayload(takenRecordPayload(*jobs));
        check(again && again->size() == jobs->size(), "jobsTaken: survives writing and reading");
        for (qsizetype i = 0; i < jobs->size(); ++i)
            check(sameIdentity(again->at(i), jobs->at(i)) &&
                      again->at(i).takeovers == jobs->at(i).takeovers,
                  "jobsTaken: survives writing and reading");
    } else if (record.kind == RelayRecord::Kind::JobsDone) {
        const auto jobs = readDoneRecordPayload(record.payload);
        if (!jobs)
            return;
        for (const DeliveryJob &job : *jobs) {
            checkDeliveryJob(job);
            check(job.status != DeliveryStatus::Pending && job.attempts >= 0 &&
                      job.lastAttemptMs >= 0 && job.lastStatus >= 0 && job.lastStatus <= 999,
                  "jobsDone: finished, with its attempts, time and HTTP status in range");
        }
        const auto again = readDoneRecordPayload(doneRecordPayload(*jobs));
        check(again && again->size() == jobs->size(), "jobsDone: survives writing and reading");
        for (qsizetype i = 0; i < jobs->size(); ++i) {
            const DeliveryJob &a = again->at(i), &b = jobs->at(i);
            check(sameIdentity(a, b) && a.status == b.status && a.attempts == b.attempts &&
                      a.lastAttemptMs == b.lastAttemptMs && a.lastStatus == b.lastStatus &&
                      a.lastError == b.lastError,
                  "jobsDone: survives writing and reading");
        }
    }
}

void checkRecords(const PeerRecords &records, const QJsonObject &frame)
{
    const QJsonArray sentRecords = frame.value(u"records"_s).toArray();
    check(sentRecords.size() == records.records.size(), "every record is decoded");
    for (qsizetype i = 0; i < records.records.size(); ++i) {
        const RelayRecord &record = records.records.at(i);
        const QJsonObject item = sentRecords.at(i).toObject();
        check(isNode(record.origin) && record.origin == sent(item, u"origin"_s),
              "origin is the node id sent, 0-63");
        check(record.seq >= 1, "seq >= 1");
        const bool aboutNoNotification = record.isAboutUser() || record.isDelivery();
        check(aboutNoNotification
                  ? record.notificationId == 0
                  : record.notificationId > 0 && record.notificationId < (qint64(1) << 53),
              "id is a notification id (0 for a user's or the outbox's record)");
        if (record.kind == RelayRecord::Kind::Digest)
            checkDigest(record);
        if (record.isDelivery())
            checkDelivery(record);
        check(record.kind != RelayRecord::Kind::Receipt || !record.user.isEmpty(),
              "a receipt names its user");
        check(!record.notification || record.notification->id == record.notificationId,
              "a record's notification is the one it names");
    }
}

void checkDecoded(const PeerMessage &message, const QJsonObject &frame)
{
    if (const auto *hello = std::get_if<PeerHello>(&message)) {
        check(isNode(hello->node) && hello->node == sent(frame, u"node"_s),
              "peerHello: node is the node id sent, 0-63");
        check(!hello->secret.isEmpty() || frame.value(u"secret"_s).isString(),
              "peerHello: a secret was sent");
    } else if (const auto *sync = std::get_if<PeerSync>(&message)) {
        checkHave(sync->have);
    } else if (const auto *have = std::get_if<PeerHave>(&message)) {
        checkHave(have->have);
    } else if (const auto *records = std::get_if<PeerRecords>(&message)) {
        checkRecords(*records, frame);
    } else if (const auto *drop = std::get_if<PeerDrop>(&message)) {
        check(drop->id > 0 && drop->id < (qint64(1) << 53) && drop->id == sent(frame, u"id"_s),
              "drop: id is the id sent, 1 to 2^53-1");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray frame(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto decoded = PeerCodec::decode(frame);
    if (!decoded)
        return 0;
    checkDecoded(*decoded, QJsonDocument::fromJson(frame).object());

    const QByteArray encoded = PeerCodec::encode(*decoded);
    const auto redecoded = PeerCodec::decode(encoded);
    check(redecoded.has_value(), "an encoded peer frame is accepted", encoded);
    check(PeerCodec::encode(*redecoded) == encoded, "a peer frame survives encoding", encoded);
    return 0;
}
