// SPDX-License-Identifier: Apache-2.0
#include "publishtracker.h"

#include "codec/jsoncodec.h"
#include "protocol/error.h"

#include <QLoggingCategory>

#include <utility>

namespace herald {

namespace {

Q_LOGGING_CATEGORY(lcPublish, "herald.shared.session.publish")

const QString RefPrefix = QStringLiteral("p-");

} // namespace

PublishTracker::PublishTracker(Send send, qint64 maxFrameBytes, QObject *parent)
    : QObject(parent), m_send(std::move(send)), m_maxFrameBytes(maxFrameBytes)
{
}

QString PublishTracker::publish(const Notification &notification, bool connected)
{
    const quint64 number = ++m_lastRef;
    const QString ref = RefPrefix + QString::number(number);
    const QString unavailable = errorCodeName(ErrorCode::Unavailable);
    if (!connected) {
        failLater(ref, unavailable, QStringLiteral("not connected: nothing was sent"));
        return ref;
    }
    const QByteArray frame = JsonCodec::encode(PublishMessage{ref, notification});
    if (frame.size() > m_maxFrameBytes) {
        failLater(ref, errorCodeName(ErrorCode::BadRequest),
                  QStringLiteral("notification: %1 bytes as a frame, over the %2 a frame may have")
                      .arg(frame.size())
                      .arg(m_maxFrameBytes));
        return ref;
    }
    m_unanswered.insert(number);
    m_send(QString::fromUtf8(frame));
    return ref;
}

void PublishTracker::answered(const PublishedMessage &message)
{
    if (!takeUnanswered(message.ref)) {
        qCWarning(lcPublish) << "ignoring an answer to no publish of this connection:"
                             << message.ref;
        return;
    }
    Q_EMIT published(message.ref, message.id);
}

bool PublishTracker::refused(const ErrorMessage &message)
{
    if (message.ref.isEmpty())
        return false;
    if (!takeUnanswered(message.ref)) {
        qCWarning(lcPublish) << "ignoring a refusal of no publish of this connection:"
                             << message.ref << message.code;
        return true;
    }
    Q_EMIT publishFailed(message.ref, message.code, message.message);
    return true;
}

void PublishTracker::connectionLost()
{
    // PROTOCOL.md: a lost connection leaves them unknown; each may have been accepted or not.
    const std::set<quint64> lost = std::exchange(m_unanswered, {});
    for (quint64 number : lost) {
        Q_EMIT publishFailed(RefPrefix + QString::number(number),
                             errorCodeName(ErrorCode::Unavailable),
                             QStringLiteral("connection lost before the answer: the outcome is "
                                            "unknown (it may have been published)"));
    }
}

quint64 PublishTracker::takeUnanswered(const QString &ref)
{
    if (!ref.startsWith(RefPrefix))
        return 0;
    bool ok = false;
    const quint64 number = QStringView(ref).mid(RefPrefix.size()).toULongLong(&ok);
    if (!ok || m_unanswered.erase(number) == 0)
        return 0;
    return number;
}

void PublishTracker::failLater(const QString &ref, const QString &code, const QString &message)
{
    // Posted: the caller holds the ref before its answer arrives.
    QMetaObject::invokeMethod(
        this, [this, ref, code, message] { Q_EMIT publishFailed(ref, code, message); },
        Qt::QueuedConnection);
}

} // namespace herald
