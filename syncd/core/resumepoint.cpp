// SPDX-License-Identifier: Apache-2.0
#include "core/resumepoint.h"

#include "core/arrivallog.h"
#include "core/corelog.h"
#include "core/resumebook.h"
#include "metrics/metrics.h"
#include "model/idgenerator.h"

#include <algorithm>

namespace herald::syncd {

ResumePoint::Start ResumePoint::apply(const QString &user, const RegisterMessage &message,
                                      bool clustered, BacklogQuery &query)
{
    if (!message.lastNotificationId)
        return Start::AfterId;
    const NotificationId last = *message.lastNotificationId;
    query.afterId = last;
    if (!clustered)
        return Start::AfterId;
    if (const auto known =
            knownAfter(user, message.clientId, last, channelKeysOf(message.subscriptions))) {
        query.fromIdByOrigin = known->firstIdByOrigin;
        if (!known->firstIdByOrigin.isEmpty()) {
            const auto oldest =
                std::min_element(known->firstIdByOrigin.cbegin(), known->firstIdByOrigin.cend());
            query.afterId = *oldest - 1;
        }
        qCDebug(lcCore) << "resuming" << user << message.clientId << "from arrival position"
                        << known->position;
        ++m_metrics.resumesExact;
        return Start::Exact;
    }
    query.afterId = std::max<NotificationId>(
        0, last - (RelayLagMarginMs << (IdGenerator::NodeBits + IdGenerator::SequenceBits)));
    return Start::Margin;
}

void ResumePoint::fromPeer(const QMap<int, NotificationId> &fromIdByOrigin, BacklogQuery &query)
{
    query.fromIdByOrigin = fromIdByOrigin;
    query.otherOriginsFrom = 0;
    query.afterId = 0;
    ++m_metrics.resumesFromPeer;
}

void ResumePoint::margin()
{
    ++m_metrics.resumesWithMargin;
}

std::optional<QMap<int, NotificationId>> ResumePoint::forPeer(const QString &user,
                                                              const QString &clientId,
                                                              NotificationId lastId,
                                                              const QSet<QString> &channelKeys)
{
    const auto known = knownAfter(user, clientId, lastId, channelKeys);
    if (!known)
        return std::nullopt;
    // Ids of one origin arrive in increasing order: of an origin with nothing after the id,
    // the device has every one up to the newest that arrived here.
    QMap<int, NotificationId> from = known->firstIdByOrigin;
    for (auto newest = known->newestIdByOrigin.cbegin(); newest != known->newestIdByOrigin.cend();
         ++newest) {
        if (!from.contains(newest.key()))
            from.insert(newest.key(), newest.value() + 1);
    }
    qCDebug(lcCore) << "telling a peer where" << user << clientId << "stopped: arrival position"
                    << known->position;
    return from;
}

std::optional<ResumePoint::Known> ResumePoint::knownAfter(const QString &user,
                                                          const QString &clientId,
                                                          NotificationId lastId,
                                                          const QSet<QString> &channelKeys)
{
    const std::optional<ResumeBook::LiveRange> range = m_sessions.take(user, clientId);
    if (!range)
        return std::nullopt;
    // Other channels now: what the last session was not sent is not after the id for them.
    if (range->channels != ResumeBook::channelsKey(channelKeys))
        return std::nullopt;
    auto after = m_arrivals.after(lastId);
    // The id must have been sent live by that session: one from its backlog (read in id
    // order) or from another node's session says nothing about what arrived here before it.
    if (!after || after->position <= range->from || after->position > range->upTo)
        return std::nullopt;
    return Known{after->position, std::move(after->firstIdByOrigin),
                 std::move(after->newestIdByOrigin)};
}

} // namespace herald::syncd
