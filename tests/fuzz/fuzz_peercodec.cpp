// SPDX-License-Identifier: Apache-2.0
// PeerCodec::decode on the frames another node sends over a peer link (PROTOCOL.md, Peer
// relay): peerHello, sync, have, records, transient and drop. The input is the frame. A digest
// record's digest is read as the node that applies it reads it.
//
// Invariants: node ids and sequence numbers that are accepted are in range and are the
// numbers the frame holds (not wrapped into range); an accepted frame encodes and decodes
// back to itself.
#include "fuzzcheck.h"

#include "relay/peermessages.h"
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
        const bool forUser = record.kind == RelayRecord::Kind::Preferences ||
                             record.kind == RelayRecord::Kind::Digest;
        check(forUser ? record.notificationId == 0
                      : record.notificationId > 0 && record.notificationId < (qint64(1) << 53),
              "id is a notification id (0 for a user's record)");
        if (record.kind == RelayRecord::Kind::Digest)
            checkDigest(record);
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
