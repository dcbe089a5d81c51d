// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"
#include "protocol/messages.h"

#include <QByteArray>
#include <QMutex>
#include <QString>

#include <atomic>
#include <memory>

namespace herald::syncd {

// Bytes made at most once, by whichever thread asks first. Not std::call_once: glibc ends
// every first call of one with a futex wake-up, a system call per notification sent
// (docs/PERFORMANCE.md); an uncontended QMutex makes none.
class OnceBytes
{
public:
    template <typename Make> const QByteArray &get(Make &&make) const
    {
        if (!m_ready.load(std::memory_order_acquire)) {
            QMutexLocker lock(&m_mutex);
            if (!m_ready.load(std::memory_order_relaxed)) {
                m_value = make();
                m_ready.store(true, std::memory_order_release);
            }
        }
        return m_value;
    }

private:
    mutable QMutex m_mutex;
    mutable std::atomic<bool> m_ready{false};
    mutable QByteArray m_value;
};

// One server message on its way to many sessions, encoded at most once per wire format no
// matter how many sessions receive it (the Hermes text only if a Hermes session wants it).
// Shared between worker threads, immutable apart from the lazily made encodings.
class Outgoing
{
public:
    // `arrival`: a notification's ArrivalLog position (0 for other messages).
    Outgoing(ServerMessage message, QString channelKey, QStringList recipients, qint64 arrival = 0);

    const ServerMessage &message() const { return m_message; }
    const QString &channelKey() const { return m_channelKey; } // "app/channel"
    qint64 arrival() const { return m_arrival; }
    bool isVisibleTo(const QString &user) const
    {
        return m_recipients.isEmpty() || m_recipients.contains(user);
    }

    // The message as complete WebSocket text frames, ready to write to any session's socket.
    const QByteArray &nativeFrame() const;
    const QByteArray &hermesFrame() const; // empty: nothing to send in Hermes mode

private:
    ServerMessage m_message;
    QString m_channelKey;
    QStringList m_recipients;
    qint64 m_arrival = 0;
    OnceBytes m_native;
    OnceBytes m_hermes;
};

using OutgoingPtr = std::shared_ptr<const Outgoing>;

} // namespace herald::syncd
