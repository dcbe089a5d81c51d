// SPDX-License-Identifier: Apache-2.0
#include "core/resumepoint.h"

#include "core/arrivallog.h"
#include "core/corelog.h"
#include "core/resumebook.h"
#include "metrics/metrics.h"
#include "model/idgenerator.h"

#include <algorithm>

namespace herald::syncd {

void ResumePoint::apply(const QString &user, const RegisterMessage &message, bool clustered,
                        BacklogQuery &query)
{
    if (!message.lastNotificationId)
        return;
    const NotificationId last = *message.lastNotificationId;
    query.afterId = last;
    if (!clustered)
        return;
    if (startsExactly(user, message, query)) {
        ++m_metrics.resumesExact;
        return;
    }
    ++m_metrics.resumesWithMargin;
    query.afterId = std::max<NotificationId>(
        0, last - (RelayLagMarginMs << (IdGenerator::NodeBits + IdGenerator::SequenceBits)));
}

bool ResumePoint::startsExactly(const QString &user, const RegisterMessage &message,
                                BacklogQuery &query)
{
    const std::optional<ResumeBook::LiveRange> range = m_sessions.take(user, message.clientId);
    if (!range)
        return false;
    // Other channels now: what the last session was not sent is not after the id for them.
    if (range->channels != ResumeBook::channelsKey(channelKeysOf(message.subscriptions)))
        return false;
    const auto after = m_arrivals.after(*message.lastNotificationId);
    // The id must have been sent live by that session: one from its backlog (read in id
    // order) or from another node's session says nothing about what arrived here before it.
    if (!after || after->position <= range->from || after->position > range->upTo)
        return false;
    query.fromIdByOrigin = after->firstIdByOrigin;
    if (!after->firstIdByOrigin.isEmpty()) {
        const auto oldest =
            std::min_element(after->firstIdByOrigin.cbegin(), after->firstIdByOrigin.cend());
        query.afterId = *oldest - 1;
    }
    qCDebug(lcCore) << "resuming" << user << message.clientId << "from arrival position"
                    << after->position;
    return true;
}

} // namespace herald::syncd
