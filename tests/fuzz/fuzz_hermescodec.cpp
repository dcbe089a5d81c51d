// SPDX-License-Identifier: Apache-2.0
// HermesCodec on what a network peer sends: the WebSocket frames of a Hermes client
// (`register {...}`, `ack {...}`, `ping`), the Hermes producer body of POST
// /api/notifications, and the NewNotification frames a Hermes-style client reads. The first
// byte picks the kind ('0'..'2', see Kind), the rest is the frame or body.
//
// Invariants: an accepted client frame encodes and decodes back to itself; an accepted
// producer body keeps within PROTOCOL.md's limits and is accepted unchanged by the native
// codec too (both wires share one set of rules); a NewNotification survives encoding.
#include "fuzzcheck.h"

#include "codec/hermescodec.h"
#include "codec/jsoncodec.h"

#include <QJsonDocument>

#include <cstddef>
#include <cstdint>

using namespace herald;
using namespace herald::fuzz;

namespace {

enum Kind : unsigned
{
    ClientFrame,     // WebSocket, a Hermes client's frame
    ProducerBody,    // POST /api/notifications
    NewNotification, // WebSocket, server to a Hermes client
    KindCount
};

const Limits TheLimits;
const HermesCodec Hermes(TheLimits);
const JsonCodec Native(TheLimits);

void clientFrame(const QByteArray &frame)
{
    // The daemon asks isHermesRegister() of every first frame; it must agree with decoding.
    const bool hermesRegister = HermesCodec::isHermesRegister(frame);
    const auto decoded = Hermes.decodeClientFrame(frame);
    if (!decoded)
        return;
    QByteArray again;
    if (const auto *reg = std::get_if<RegisterMessage>(&*decoded)) {
        check(hermesRegister, "a decoded register is recognised as a Hermes register", frame);
        check(reg->subscriptions.size() == 1, "a Hermes register has one application");
        check(reg->fetchLast >= 0 && reg->fetchLast <= TheLimits.maxFetchLast,
              "FetchLast within its limit");
        check(reg->subscriptions.first().channels.size() <= TheLimits.maxSubscriptions,
              "Channels within their limit");
        again = HermesCodec::encodeRegister(*reg);
    } else if (const auto *ack = std::get_if<AckMessage>(&*decoded)) {
        check(!ack->ids.isEmpty() && ack->ids.size() <= TheLimits.maxIdsPerAck,
              "Ids within their limit");
        again = HermesCodec::encodeAck(ack->ids);
    } else {
        again = "ping";
    }
    const auto redecoded = Hermes.decodeClientFrame(again);
    check(redecoded.has_value() && *redecoded == *decoded, "a Hermes frame survives encoding",
          again);
}

void producerBody(const QByteArray &body)
{
    const auto parsed = Hermes.parseProducerBody(body);
    if (!parsed)
        return;
    check(!parsed->message.isEmpty(), "a Hermes notification has a message");
    check(parsed->message.toUtf8().size() <= TheLimits.maxMessageBytes, "message within limit");
    check(characters(parsed->code) <= TheLimits.maxCodeChars, "code within its limit");
    check(parsed->tags.size() <= TheLimits.maxTags, "tags within their limit");
    const QByteArray native = QJsonDocument(JsonCodec::toJson(*parsed)).toJson();
    const auto viaNative = Native.parsePublishBody(native);
    check(viaNative.has_value() && viaNative->size() == 1 && viaNative->first() == *parsed,
          "the native codec accepts what the Hermes codec accepted", native);
}

void newNotification(const QByteArray &frame)
{
    const auto decoded = Hermes.decodeNewNotification(frame);
    if (!decoded)
        return;
    const QByteArray again = HermesCodec::encode(NotificationMessage{*decoded});
    const auto redecoded = Hermes.decodeNewNotification(again);
    check(redecoded.has_value() && *redecoded == *decoded, "a NewNotification survives encoding",
          again);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    const QByteArray input(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    switch (kindOf(data, KindCount)) {
    case ClientFrame:
        clientFrame(input);
        break;
    case ProducerBody:
        producerBody(input);
        break;
    case NewNotification:
        newNotification(input);
        break;
    }
    return 0;
}
