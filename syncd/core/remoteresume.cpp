// SPDX-License-Identifier: Apache-2.0
#include "core/remoteresume.h"

#include "core/corelog.h"
#include "core/peeroutlet.h"
#include "core/resumepoint.h"

#include <QRandomGenerator>
#include <QTimer>

namespace herald::syncd {

void RemoteResume::ask(const QString &user, const RegisterMessage &message, QObject *context,
                       Done done)
{
    if (!context) // nothing could carry an answer back
        return done(std::nullopt);
    const QSet<QString> channels = channelKeysOf(message.subscriptions);
    ResumeAsk ask{qint64(QRandomGenerator::global()->bounded((quint64(1) << 53) - 1)) + 1,
                  m_node,
                  user,
                  message.clientId,
                  message.lastNotificationId.value_or(0),
                  QStringList(channels.cbegin(), channels.cend())};
    {
        QMutexLocker lock(&m_mutex);
        // Asks whose session went away before their wait ended.
        m_pending.removeIf([](const auto &pending) { return pending.value().context.isNull(); });
        m_pending.insert(ask.id, Pending{context, std::move(done)});
    }
    if (!m_peers.askResume(ask)) {
        if (auto pending = take(ask.id))
            pending->done(std::nullopt);
        return;
    }
    QTimer::singleShot(AnswerWaitMs, context, [this, id = ask.id] {
        if (auto pending = take(id)) {
            qCDebug(lcCore) << "no node told where a resume stopped within" << AnswerWaitMs << "ms";
            pending->done(std::nullopt);
        }
    });
}

std::optional<QMap<int, NotificationId>> RemoteResume::witness(const ResumeAsk &ask)
{
    const QSet<QString> channels(ask.channelKeys.cbegin(), ask.channelKeys.cend());
    return m_resumePoint.forPeer(ask.user, ask.clientId, ask.lastId, channels);
}

void RemoteResume::answered(const ResumeAnswer &answer)
{
    if (answer.asker != m_node)
        return;
    auto pending = take(answer.id);
    if (!pending || pending->context.isNull())
        return;
    QMetaObject::invokeMethod(
        pending->context,
        [done = std::move(pending->done), from = answer.fromIdByOrigin] { done(from); },
        Qt::QueuedConnection);
}

qsizetype RemoteResume::waiting() const
{
    QMutexLocker lock(&m_mutex);
    return m_pending.size();
}

std::optional<RemoteResume::Pending> RemoteResume::take(qint64 id)
{
    QMutexLocker lock(&m_mutex);
    auto found = m_pending.find(id);
    if (found == m_pending.end())
        return std::nullopt;
    Pending pending = std::move(found.value());
    m_pending.erase(found);
    return pending;
}

} // namespace herald::syncd
