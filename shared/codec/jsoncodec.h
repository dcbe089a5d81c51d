// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/application.h"
#include "model/notification.h"
#include "protocol/error.h"
#include "protocol/messages.h"
#include "protocol/validator.h"

#include <QByteArray>
#include <QJsonObject>

namespace herald {

// The native wire: PROTOCOL.md's JSON (camelCase, RFC 3339 times, ids as JSON numbers).
// Decoders validate (through Validator) and name the bad field; unknown keys are ignored.
// Encoders produce compact JSON. Thread-safe (no mutable state).
class JsonCodec
{
public:
    explicit JsonCodec(Limits limits = {}) : m_validator(limits) {}

    const Validator &validator() const { return m_validator; }

    // --- notifications
    static QJsonObject toJson(const Notification &n); // the full stored object
    // The body of POST /api/v1/notifications: one object or an array of 1..maxBatch (all or
    // nothing). id/time/node in the input are ignored; `persistent` defaults to true,
    // `priority` to "normal".
    Result<QList<Notification>> parsePublishBody(const QByteArray &body) const;
    // The same without the shortcut for a flat notification (json::readFlatNotification).
    Result<QList<Notification>> parsePublishBodyGenerally(const QByteArray &body) const;
    Result<Notification> parsePublish(const QJsonObject &object, const QString &path = {}) const;
    // A full object as the server sends it (client side); requires a valid id.
    Result<Notification> parseNotification(const QJsonObject &object) const;

    // --- catalog
    static QJsonObject toJson(const Application &application);
    static QJsonObject toJson(const Channel &channel);
    // Body of PUT /api/v1/applications/{name}: {title, eventTypes}; the name comes from the path.
    Result<Application> parseApplication(const QByteArray &body, const QString &name) const;
    // Body of PUT .../channels/{name}: {title, description}; may be empty.
    Result<Channel> parseChannel(const QByteArray &body, const QString &application,
                                 const QString &name) const;

    // --- WebSocket frames
    static QByteArray encode(const ServerMessage &message);
    // The same, appended to `out` (a notification or published frame without a copy of its
    // text).
    static void encodeInto(QByteArray &out, const ServerMessage &message);
    static QByteArray encode(const ClientMessage &message);
    // `publishRef`, when given, receives the ref of a `publish` frame as soon as it is read,
    // so that a publish refused for its notification can be answered with its ref.
    Result<ClientMessage> decodeClientMessage(const QByteArray &frame,
                                              QString *publishRef = nullptr) const;
    // The same without the shortcut for flat publish frames (json::readFlatPublishFrame):
    // what that shortcut must agree with, and what words every error.
    Result<ClientMessage> decodeClientMessageGenerally(const QByteArray &frame,
                                                       QString *publishRef = nullptr) const;
    Result<ServerMessage> decodeServerMessage(const QByteArray &frame) const;
    // The `ids` of an ack, from the WebSocket frame or the body of POST /api/v1/acks:
    // 1..maxIdsPerAck valid ids.
    Result<QList<NotificationId>> parseAckIds(const QJsonObject &object) const;
    // Any request body that must be a JSON object, checked like every other body (valid JSON,
    // no unpaired surrogates or U+0000 in any string).
    static Result<QJsonObject> parseObjectBody(const QByteArray &body);

    // --- errors: {"error":{"code":"...","message":"..."}}
    static QByteArray errorBody(const Error &error);

private:
    Validator m_validator;
};

} // namespace herald
