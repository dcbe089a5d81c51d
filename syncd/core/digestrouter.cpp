// SPDX-License-Identifier: Apache-2.0
#include "core/digestrouter.h"

#include "codec/jsoncodec.h"
#include "codec/jsonnotification.h"
#include "core/followingcandidates.h"
#include "core/preferencebook.h"

#include <QJsonDocument>
#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace herald::syncd {

QList<DigestItem> DigestRouter::itemsFor(const QList<Notification> &notifications,
                                         const QDateTime &now) const
{
    QList<DigestItem> items;
    for (const Notification &n : notifications) {
        QByteArray payload; // made once, for the first user who digests it
        forEachPossibleReceiver(n, m_preferences.digestCandidates(n.application), m_follows,
                                [&](const QString &user, const Preferences &preferences) {
                                    const DeliveryRule &rule = preferences.ruleFor(n);
                                    if (rule.mode != DeliveryRule::Mode::Digest || !rule.digest)
                                        return;
                                    if (payload.isEmpty())
                                        payload = json::notificationText(n);
                                    const QTimeZone zone(preferences.timeZone().toUtf8());
                                    DigestItem item;
                                    item.user = user;
                                    item.key = keyOf(rule);
                                    item.timeZone = preferences.timeZone();
                                    item.dueMs =
                                        rule.digest->nextAfter(now, zone).toMSecsSinceEpoch();
                                    item.node = m_nodeId;
                                    item.notificationId = n.id;
                                    item.application = n.application;
                                    item.channel = n.channel;
                                    item.payload = payload;
                                    items.append(std::move(item));
                                });
    }
    return items;
}

QString DigestRouter::keyOf(const DeliveryRule &rule)
{
    QStringList agents;
    for (const QString &agent : Preferences::Agents) {
        if (rule.agents.contains(agent))
            agents.append(agent);
    }
    return (rule.digest ? rule.digest->toString() : QString()) + u'|' + agents.join(u',');
}

std::optional<DigestRouter::Key> DigestRouter::readKey(const QString &key)
{
    const qsizetype bar = key.indexOf(u'|');
    if (bar < 0)
        return std::nullopt;
    auto schedule = DigestSchedule::parse(key.left(bar));
    if (!schedule)
        return std::nullopt;
    const QString agents = key.mid(bar + 1);
    return Key{*schedule, agents.isEmpty() ? QStringList() : agents.split(u',')};
}

} // namespace herald::syncd
