// SPDX-License-Identifier: Apache-2.0
#include "app/stdinpublisher.h"

#include "session/syncsession.h"

#include <QSocketNotifier>
#include <QTextStream>
#include <QUuid>

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace herald::syncd {

namespace {

constexpr qsizetype ChunkBytes = 64 * 1024;

SyncSessionConfig publishingSession(const StdinPublisher::Target &target)
{
    SyncSessionConfig config;
    config.servers = {target.server};
    config.token = target.token;
    config.clientId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    config.fetchLast = 0;
    return config; // no subscriptions: a publishing session
}

} // namespace

StdinPublisher::StdinPublisher(const Target &target, int inputFd, QTextStream &out,
                               QTextStream &err)
    : m_out(out), m_err(err), m_inputFd(inputFd),
      // A line is the body of one POST, which may be as long as a request body.
      m_lines(m_codec.validator().limits().maxBodyBytes),
      m_session(new SyncSession(publishingSession(target), this)),
      m_input(new QSocketNotifier(inputFd, QSocketNotifier::Read, this))
{
    m_input->setEnabled(false); // until the session is live
    m_sendSoon.setSingleShot(true);
    m_sendSoon.setInterval(0);
    connect(m_input, &QSocketNotifier::activated, this, &StdinPublisher::readInput);
    connect(&m_sendSoon, &QTimer::timeout, this, &StdinPublisher::sendLines);
    connect(m_session, &SyncSession::backlogDone, this, &StdinPublisher::onLive);
    connect(m_session, &SyncSession::published, this, &StdinPublisher::onPublished);
    connect(m_session, &SyncSession::publishFailed, this, &StdinPublisher::onPublishFailed);
    connect(m_session, &SyncSession::disconnected, this, &StdinPublisher::onDisconnected);
    connect(m_session, &SyncSession::serverErrorReceived, this,
            [this](const QString &code, const QString &message) {
                m_err << "herald-syncd: the server says " << code << ": " << message << Qt::endl;
            });
}

StdinPublisher::~StdinPublisher() = default;

int StdinPublisher::run()
{
    // Started from the loop, so that a failure of the first attempt ends the loop it runs in.
    QTimer::singleShot(0, m_session, &SyncSession::start);
    m_loop.exec();
    return m_exitCode;
}

void StdinPublisher::onLive()
{
    m_live = true;
    sendLines();
}

void StdinPublisher::readInput()
{
    QByteArray chunk(ChunkBytes, Qt::Uninitialized);
    const ssize_t got = ::read(m_inputFd, chunk.data(), size_t(chunk.size()));
    if (got < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (got < 0) {
        m_err << "herald-syncd: cannot read standard input: " << std::strerror(errno) << Qt::endl;
        finish(2);
        return;
    }
    if (got == 0) {
        m_inputEnded = true;
        m_lines.finish();
    } else {
        m_lines.append(QByteArrayView(chunk.constData(), got));
    }
    sendLines();
}

void StdinPublisher::sendLines()
{
    if (m_finished || !m_live)
        return;
    while (m_lines.hasLine() && m_lineOfRef.size() < MaxUnanswered)
        publishLine(m_lines.takeLine());
    // Read on only once every line read has gone out: one chunk in memory at most.
    m_input->setEnabled(!m_inputEnded && !m_lines.hasLine() && m_lineOfRef.size() < MaxUnanswered);
    if (m_inputEnded && !m_lines.hasLine() && m_lineOfRef.isEmpty())
        finish(m_anyRefused ? 1 : 0);
}

void StdinPublisher::publishLine(const LineSplitter::Line &line)
{
    if (line.tooLong) {
        reportLine(line.number, errorCodeName(ErrorCode::BadRequest),
                   QStringLiteral("body: longer than %1 bytes")
                       .arg(m_codec.validator().limits().maxBodyBytes));
        return;
    }
    if (line.text.trimmed().isEmpty())
        return;
    const auto object = JsonCodec::parseObjectBody(line.text);
    if (!object) {
        reportLine(line.number, errorCodeName(object.error().code), object.error().message);
        return;
    }
    const auto notification = m_codec.parsePublish(*object);
    if (!notification) {
        reportLine(line.number, errorCodeName(notification.error().code),
                   notification.error().message);
        return;
    }
    m_lineOfRef.insert(m_session->publish(*notification), line.number);
    m_lastLineSent = line.number;
}

void StdinPublisher::onPublished(const QString &ref, NotificationId id)
{
    m_out << m_lineOfRef.take(ref) << ' ' << id << Qt::endl;
    m_sendSoon.start();
}

void StdinPublisher::onPublishFailed(const QString &ref, const QString &code,
                                     const QString &message)
{
    reportLine(m_lineOfRef.take(ref), code, message);
    m_sendSoon.start();
}

void StdinPublisher::onDisconnected(int closeCode, const QString &reason)
{
    if (m_finished)
        return;
    const QString close = reason.isEmpty() ? QString::number(closeCode)
                                           : QStringLiteral("%1 %2").arg(closeCode).arg(reason);
    if (m_live) {
        m_err << "herald-syncd: the connection was lost (" << close
              << "); the lines reported unavailable may or may not be published, and none after "
                 "line "
              << m_lastLineSent << " was sent" << Qt::endl;
    } else {
        m_err << "herald-syncd: cannot open a publishing session on "
              << m_session->currentServer().toDisplayString(QUrl::RemoveQuery) << " (" << close
              << ')' << Qt::endl;
    }
    finish(2);
}

void StdinPublisher::reportLine(qint64 number, const QString &code, const QString &message)
{
    m_anyRefused = true;
    m_err << "line " << number << ": " << code << ": " << message << Qt::endl;
}

void StdinPublisher::finish(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    m_exitCode = exitCode;
    m_input->setEnabled(false);
    m_sendSoon.stop();
    {
        // Its signals would report this very stop.
        const QSignalBlocker blocker(m_session);
        m_session->stop();
    }
    m_loop.exit(exitCode);
}

} // namespace herald::syncd
