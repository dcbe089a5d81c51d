// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "api/answer.h"
#include "codec/jsoncodec.h"
#include "codec/jsonnotification.h"
#include "model/notification.h"

#include <QJsonArray>

namespace herald::syncd {

// The answer to a publish through an integration route: 201 with the stored notification, or
// with the array of them (`batch`), in the native JSON shape.
inline Reply<QList<Notification>> answerPublished(const HttpResponder &responder, bool batch)
{
    return answer<QList<Notification>>(responder, [responder, batch](QList<Notification> stored) {
        if (!batch)
            return responder.send(HttpResponse::json(201, json::notificationText(stored.first())));
        QJsonArray array;
        for (const Notification &n : std::as_const(stored))
            array.append(JsonCodec::toJson(n));
        responder.send(HttpResponse::json(201, QJsonDocument(array)));
    });
}

} // namespace herald::syncd
