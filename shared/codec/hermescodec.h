// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"
#include "protocol/error.h"
#include "protocol/messages.h"
#include "protocol/validator.h"

#include <QByteArray>
#include <QJsonObject>

namespace herald {

// The original Hermes wire, for compatibility (see PROTOCOL.md "Hermes compatibility"):
// client frames `register {...}` and `ack {...}` (a word, a space, PascalCase JSON), server
// frames `{"Type":"NewNotification","Data":{...}}`, and the Hermes producer body.
// Thread-safe (no mutable state).
class HermesCodec
{
public:
    explicit HermesCodec(Limits limits = {}) : m_validator(limits) {}

    // True when a first frame opens a Hermes-style session ("register " followed by JSON).
    static bool isHermesRegister(const QByteArray &frame);

    // `register {"ApplicationName":..,"ClientId":..,"Channels":[..],"FetchLast":..,
    // "LastNotificationId":..}` -> RegisterMessage with one subscription; `ack {"Ids":[..]}`
    // -> AckMessage; `ping` -> PingMessage.
    Result<ClientMessage> decodeClientFrame(const QByteArray &frame) const;

    // NotificationMessage -> NewNotification (Time as "yyyy-MM-ddTHH:mm:ss.zzz" UTC without
    // zone, as Hermes wrote it); AcknowledgedMessage ->
    // {"Type":"Acknowledged","Data":{"Ids":[..]}}; DeletedMessage ->
    // {"Type":"Deleted","Data":{"Ids":[..]}}; ErrorMessage ->
    // {"Type":"Error","Data":{"Code":..,"Message":..}}. Registered, BacklogDone and Pong have
    // no Hermes form: an empty array is returned and nothing is sent.
    static QByteArray encode(const ServerMessage &message);

    // Client side (tests, tools): the frames a Hermes client sends, and NewNotification back.
    static QByteArray encodeRegister(const RegisterMessage &message);
    static QByteArray encodeAck(const QList<NotificationId> &ids);
    Result<Notification> decodeNewNotification(const QByteArray &frame) const;

    // Body of POST /api/notifications: applicationName, channelName, code, message,
    // persistent (default true), tags. Validated like a native publish.
    Result<Notification> parseProducerBody(const QByteArray &body) const;

private:
    Validator m_validator;
};

} // namespace herald
