// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/digestschedule.h"
#include "core/preferences.h"
#include "store/digesttypes.h"

#include <QDateTime>
#include <QList>
#include <QStringList>

#include <optional>

namespace herald::syncd {

class FollowBook;
class PreferenceBook;

// Which users' digests a published notification goes into (PROTOCOL.md, Delivery policy):
// one DigestItem for every user whose most specific rule for it says `digest` and who may
// see it (recipients) and follows its channel: users the FollowBook knows do not cost an
// item; the store checks the others again as it queues theirs. A digest is one per user and key:
// the rule's schedule and agents, so rules that share both share one digest. Any thread.
class DigestRouter
{
public:
    DigestRouter(const PreferenceBook &preferences, const FollowBook &follows, int nodeId)
        : m_preferences(preferences), m_follows(follows), m_nodeId(nodeId)
    {
    }

    QList<DigestItem> itemsFor(const QList<Notification> &notifications,
                               const QDateTime &now) const;

    // "daily@08:00|desktop,email": the schedule, then the agents in Preferences::Agents order.
    static QString keyOf(const DeliveryRule &rule);
    struct Key
    {
        DigestSchedule schedule;
        QStringList agents;
    };
    static std::optional<Key> readKey(const QString &key);

private:
    const PreferenceBook &m_preferences;
    const FollowBook &m_follows;
    const int m_nodeId;
};

} // namespace herald::syncd
