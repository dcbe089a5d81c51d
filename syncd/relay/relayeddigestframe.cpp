// SPDX-License-Identifier: Apache-2.0
#include "relay/relayeddigestframe.h"

#include "codec/jsoncodec.h"
#include "relay/relaylog.h"
#include "store/digestrecord.h"

using namespace Qt::StringLiterals;

namespace herald::syncd {

std::optional<DigestMessage> relayedDigestFrame(const RelayRecord &record, qint64 nowMs)
{
    if (record.timeMs < nowMs - FreshDigestMs)
        return std::nullopt;
    const auto sent = readDigestRecordPayload(record.payload, record.user, record.origin,
                                              record.seq, record.timeMs);
    if (!sent || !sent->key.section(u'|', 1).split(u',').contains(u"desktop"_s))
        return std::nullopt;
    static const JsonCodec Codec;
    auto message = Codec.decodeServerMessage(sent->frame);
    if (message && std::holds_alternative<DigestMessage>(*message))
        return std::get<DigestMessage>(std::move(*message));
    // Checked by the node that made it: only a peer of another version gets here.
    qCWarning(lcRelay) << "a relayed digest for" << record.user << "does not read as one";
    return std::nullopt;
}

} // namespace herald::syncd
