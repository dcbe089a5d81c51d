// SPDX-License-Identifier: Apache-2.0
#include "core/mailrouter.h"

#include "codec/jsoncodec.h"
#include "core/followingcandidates.h"
#include "core/outboxjobid.h"
#include "core/preferencebook.h"
#include "delivery/usermail.h"

namespace herald::syncd {

QList<UserDelivery> MailRouter::deliveriesFor(const QList<Notification> &notifications,
                                              const QDateTime &now) const
{
    QList<UserDelivery> deliveries;
    if (!m_enabled)
        return deliveries;
    const qint64 nowMs = now.toMSecsSinceEpoch();
    for (const Notification &n : notifications) {
        forEachPossibleReceiver(n, m_preferences.mailCandidates(n.application), m_follows,
                                [&](const QString &user, const Preferences &preferences) {
                                    const DeliveryRule &rule = preferences.ruleFor(n);
                                    if (rule.mode != DeliveryRule::Mode::Immediate ||
                                        !rule.agents.contains(QStringLiteral("email")))
                                        return;
                                    UserDelivery d;
                                    d.user = user;
                                    d.application = n.application;
                                    d.channel = n.channel;
                                    d.job.id = newOutboxJobId(nowMs);
                                    d.job.endpoint = UserMail::Endpoint;
                                    d.job.notificationId = n.id;
                                    d.job.payload = UserMail::notificationPayload(
                                        preferences.email(), m_preferencesUrl,
                                        JsonCodec::toJson(n));
                                    d.job.node = m_nodeId;
                                    d.job.createdMs = nowMs;
                                    d.job.nextAttemptMs = nowMs;
                                    deliveries.append(std::move(d));
                                });
    }
    return deliveries;
}

} // namespace herald::syncd
