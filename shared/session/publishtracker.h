// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"
#include "protocol/messages.h"

#include <QByteArray>
#include <QObject>
#include <QString>

#include <functional>
#include <set>

namespace herald {

// The publishes of one SyncSession (PROTOCOL.md, "Publishing over the WebSocket"): names each
// one (ref "p-1", "p-2", ...), sends its frame, matches the server's answers by ref and fails
// what will never be answered. Every publish gets exactly one answer, published() or
// publishFailed(), and never before publish() has returned its ref: a failure decided inside
// publish() is posted.
//
// Failures it decides itself (code, then what the message says):
// - `unavailable` "not connected": publish() while the session is not registered; nothing
//   was sent, so the notification is certainly not published.
// - `unavailable` "connection lost": sent, then the connection ended before the answer. The
//   outcome is unknown (it may have been published); publishing it again may show it twice.
// - `bad_request` "notification: ...": its frame would pass the server's frame limit, which
//   closes the whole connection (1009) and would take the other publishes with it.
//
// Lives in the thread of its SyncSession; not thread-safe.
class PublishTracker : public QObject
{
    Q_OBJECT

public:
    // Writes one text frame to the open connection.
    using Send = std::function<void(const QString &frame)>;

    // maxFrameBytes: the largest frame the server takes (its request body limit).
    PublishTracker(Send send, qint64 maxFrameBytes, QObject *parent = nullptr);

    // Sends a `publish` frame for notification when connected, else fails it (posted).
    // Returns the ref its answer will carry.
    QString publish(const Notification &notification, bool connected);
    // The server's answers. refused() returns false, doing nothing, for an error frame that is
    // not about one of these publishes (no ref): the caller handles it as before.
    void answered(const PublishedMessage &message);
    bool refused(const ErrorMessage &message);
    // The connection ended: every publish still unanswered fails with `unavailable`, at once.
    void connectionLost();

    // Sent and not answered yet.
    int unansweredCount() const { return int(m_unanswered.size()); }

Q_SIGNALS:
    void published(const QString &ref, herald::NotificationId id);
    void publishFailed(const QString &ref, const QString &code, const QString &message);

private:
    // The ref's number if it is one of the unanswered ones, which it stops being; else 0.
    quint64 takeUnanswered(const QString &ref);
    void failLater(const QString &ref, const QString &code, const QString &message);

    Send m_send;
    qint64 m_maxFrameBytes;
    quint64 m_lastRef = 0;
    std::set<quint64> m_unanswered; // ref numbers, in the order they were sent
};

} // namespace herald
