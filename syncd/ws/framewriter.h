// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ws/clientsession.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace herald::syncd {

class SessionIndex;
struct Metrics;

// Everything a worker writes to its sessions goes through here.
//
// Data frames (everything the protocol says) are framed once per message (see Outgoing) and
// may wait in a batch; control frames (close, ping) are made by the session's connection and
// go out at once. The rule that keeps them in order lives here, and only here: a control
// frame goes out after every data frame queued before it (the queued frames are written
// first), and no data frame follows a close frame (the session is Closing from then on).
// Nothing else may close or ping a session's connection.
//
// Batching: between beginBatch() and the matching endBatch() (the worker's mailbox wraps each
// wakeup in one), a session's data frames are queued and written together at the end, one
// write per session per wakeup. Outside a batch every frame is written at once.
//
// Slow readers: before each write, a session whose connection still holds more than
// `maxPendingBytes` unsent bytes is cut off (aborted, counted in Metrics::sessionsDroppedSlow)
// instead of writing more: the daemon never holds unbounded data for a client that does not
// read. The client resumes with lastNotificationId when it reconnects.
//
// Threads: the worker's thread only.
class FrameWriter
{
public:
    // Where the bytes go: the session's connection in the daemon (ConnectionSink), a recorder
    // in tests.
    class Sink
    {
    public:
        virtual ~Sink() = default;
        // Bytes written to the connection that the kernel has not taken yet.
        virtual qint64 pendingBytes(const ClientSession &session) const = 0;
        // Data frames, complete and in order, straight to the connection.
        virtual void write(ClientSession &session, const QList<QByteArray> &frames) = 0;
        // The connection's control frames, and dropping it without a close handshake.
        virtual void close(ClientSession &session, int code, const QString &reason) = 0;
        virtual void ping(ClientSession &session) = 0;
        virtual void abort(ClientSession &session) = 0;
        // Hands whatever the connection still holds unsent to the kernel now.
        virtual void pushOut(ClientSession &session) = 0;
    };

    // The daemon's sink: ClientSession::connection. Sessions without one are skipped.
    class ConnectionSink final : public Sink
    {
    public:
        qint64 pendingBytes(const ClientSession &session) const override;
        void write(ClientSession &session, const QList<QByteArray> &frames) override;
        void close(ClientSession &session, int code, const QString &reason) override;
        void ping(ClientSession &session) override;
        void abort(ClientSession &session) override;
        void pushOut(ClientSession &session) override;
    };

    // `sink` and `sessions` (to find the sessions a batch queued for) must outlive the writer.
    FrameWriter(Sink &sink, const SessionIndex &sessions, qint64 maxPendingBytes, Metrics &metrics);

    void beginBatch() { ++m_batchDepth; }
    // Writes what the batch queued when the outermost batch ends.
    void endBatch();

    // `utf8` as one text frame / a complete frame (Outgoing's): dropped once the session is
    // Closing.
    void sendText(ClientSession &session, const QByteArray &utf8);
    void sendFrame(ClientSession &session, const QByteArray &frame);
    // Writes the session's queued frames, then the close frame; the session is Closing after
    // it. A session cut off while its queued frames are written gets no close frame.
    void close(ClientSession &session, int code, const QString &reason);
    // Writes the session's queued frames, then a ping.
    void ping(ClientSession &session);
    // Pushes out what the session's connection still holds unsent (close frames before the
    // thread ends).
    void pushOut(ClientSession &session) { m_sink.pushOut(session); }

private:
    static constexpr qsizetype KeptFrameRoom = 8; // frames a session's list keeps room for

    void writeQueued(ClientSession &session);

    Sink &m_sink;
    const SessionIndex &m_sessions;
    const qint64 m_maxPendingBytes;
    Metrics &m_metrics;
    int m_batchDepth = 0;
    QList<quint64> m_toFlush; // sessions with queued frames
};

} // namespace herald::syncd
