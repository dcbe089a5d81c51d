// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "jsonwriter.h"
#include "model/notification.h"

#include <QByteArray>

namespace herald::json {

// The stored notification object (JsonCodec::toJson) as compact JSON text, written straight
// into one buffer: every live frame and publish answer carries one, and going through
// QJsonObject and QJsonDocument cost a quarter of a WebSocket thread's time. The keys come
// in QJsonObject's sorted order, so the text is the one QJsonDocument writes.
QByteArray notificationText(const Notification &n);
// The same, appended to `out`.
void appendNotificationText(QByteArray &out, const Notification &n);

// The same through a SizeCounter or a TextWriter (appendSized), for frames that carry it.
// Empty optional strings are left out, as JsonCodec::toJson does.
template <typename Text> void writeNotificationText(Text &text, const Notification &n)
{
    text.raw(R"({"actions":[)");
    for (qsizetype i = 0; i < n.actions.size(); ++i) {
        const NotificationAction &action = n.actions.at(i);
        text.raw(i == 0 ? "{" : ",{").raw(R"("id":)").quoted(action.id);
        text.raw(R"(,"label":)").quoted(action.label);
        if (!action.url.isEmpty())
            text.raw(R"(,"url":)").quoted(action.url);
        text.raw("}");
    }
    text.raw(R"(],"application":)").quoted(n.application);
    text.raw(R"(,"channel":)").quoted(n.channel);
    if (!n.code.isEmpty())
        text.raw(R"(,"code":)").quoted(n.code);
    if (n.expiresAt)
        text.raw(R"(,"expiresAt":)").time(*n.expiresAt);
    text.raw(R"(,"id":)").integer(qint64(n.id));
    if (!n.level.isEmpty())
        text.raw(R"(,"level":)").quoted(n.level);
    text.raw(R"(,"message":)").quoted(n.message);
    text.raw(R"(,"node":)").integer(n.node);
    text.raw(n.persistent ? R"(,"persistent":true)" : R"(,"persistent":false)");
    text.raw(R"(,"priority":)").quoted(priorityName(n.priority));
    if (!n.recipients.isEmpty()) {
        text.raw(R"(,"recipients":[)");
        for (qsizetype i = 0; i < n.recipients.size(); ++i)
            text.raw(i == 0 ? "" : ",").quoted(n.recipients.at(i));
        text.raw("]");
    }
    text.raw(R"(,"tags":{)"); // QMap: sorted as QJsonObject sorts
    for (auto it = n.tags.cbegin(); it != n.tags.cend(); ++it)
        text.raw(it == n.tags.cbegin() ? "" : ",").quoted(it.key()).raw(":").quoted(it.value());
    text.raw("}");
    if (n.time.isValid())
        text.raw(R"(,"time":)").time(n.time);
    text.raw(R"(,"title":)").quoted(n.title);
    if (!n.url.isEmpty())
        text.raw(R"(,"url":)").quoted(n.url);
    text.raw("}");
}

} // namespace herald::json
