// SPDX-License-Identifier: Apache-2.0
#include "framewriter.h"

#include "metrics/metrics.h"
#include "net/wsframe.h"
#include "ws/sessionindex.h"
#include "ws/wslog.h"

namespace herald::syncd {

FrameWriter::FrameWriter(Sink &sink, const SessionIndex &sessions, qint64 maxPendingBytes,
                         Metrics &metrics)
    : m_sink(sink), m_sessions(sessions), m_maxPendingBytes(maxPendingBytes), m_metrics(metrics)
{
}

void FrameWriter::sendText(ClientSession &session, const QByteArray &utf8)
{
    sendFrame(session, webSocketTextFrame(utf8));
}

void FrameWriter::sendFrame(ClientSession &session, const QByteArray &frame)
{
    if (session.stage == ClientSession::Stage::Closing)
        return;
    session.unsent.append(frame); // shared with the other sessions, not copied
    if (!session.flushQueued) {
        session.flushQueued = true;
        m_toFlush.append(session.id);
    }
    if (m_batchDepth == 0)
        endBatch();
}

void FrameWriter::endBatch()
{
    if (m_batchDepth > 0 && --m_batchDepth > 0)
        return;
    const QList<quint64> sessions = std::exchange(m_toFlush, {});
    for (quint64 id : sessions) {
        if (auto session = m_sessions.find(id))
            writeQueued(*session);
    }
}

void FrameWriter::close(ClientSession &session, int code, const QString &reason)
{
    if (session.flushQueued)
        writeQueued(session);
    if (session.stage == ClientSession::Stage::Closing)
        return; // cut off just now: aborted, there is no close handshake to start
    session.stage = ClientSession::Stage::Closing;
    m_sink.close(session, code, reason);
}

void FrameWriter::ping(ClientSession &session)
{
    if (session.flushQueued)
        writeQueued(session);
    m_sink.ping(session);
}

void FrameWriter::writeQueued(ClientSession &session)
{
    session.flushQueued = false;
    if (session.unsent.isEmpty())
        return;
    QList<QByteArray> frames;
    frames.swap(session.unsent); // the session's list may grow while these are written
    if (session.stage == ClientSession::Stage::Closing)
        return;
    if (m_sink.pendingBytes(session) > m_maxPendingBytes) {
        ++m_metrics.sessionsDroppedSlow;
        qCInfo(lcWs) << "dropping a session of" << session.user << "that does not read";
        session.stage = ClientSession::Stage::Closing;
        m_sink.abort(session);
        return;
    }
    m_sink.write(session, frames);
    // The list's room goes back to the session: its next batch appends without allocating.
    // Not after a burst (a long backlog), whose room would stay with the session for good.
    frames.clear();
    if (session.unsent.isEmpty() && frames.capacity() <= KeptFrameRoom)
        session.unsent.swap(frames);
}

qint64 FrameWriter::ConnectionSink::pendingBytes(const ClientSession &session) const
{
    return session.connection ? session.connection->pendingBytes() : 0;
}

void FrameWriter::ConnectionSink::write(ClientSession &session, const QList<QByteArray> &frames)
{
    if (session.connection)
        session.connection->write(frames);
}

void FrameWriter::ConnectionSink::close(ClientSession &session, int code, const QString &reason)
{
    if (session.connection)
        session.connection->close(code, reason.toUtf8());
}

void FrameWriter::ConnectionSink::ping(ClientSession &session)
{
    if (session.connection)
        session.connection->ping();
}

void FrameWriter::ConnectionSink::abort(ClientSession &session)
{
    if (session.connection)
        session.connection->abort();
}

void FrameWriter::ConnectionSink::pushOut(ClientSession &session)
{
    if (session.connection)
        session.connection->flush();
}

} // namespace herald::syncd
