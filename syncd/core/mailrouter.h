// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"
#include "store/deferredwork.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace herald::syncd {

class FollowBook;
class PreferenceBook;

// The email agent's share of a publish (PROTOCOL.md, Delivery policy): a mail job for every
// user with an email address whose most specific rule for the notification says immediate
// with the email agent, who may see it (recipients) and follows its channel (users the
// FollowBook knows do not cost a job; the store checks the others again as it queues theirs).
// Nothing without [smtp] (the mails could not go out).
class MailRouter
{
public:
    MailRouter(const PreferenceBook &preferences, const FollowBook &follows, int nodeId,
               bool smtpConfigured, QString preferencesUrl)
        : m_preferences(preferences), m_follows(follows), m_nodeId(nodeId),
          m_enabled(smtpConfigured), m_preferencesUrl(std::move(preferencesUrl))
    {
    }

    QList<UserDelivery> deliveriesFor(const QList<Notification> &notifications,
                                      const QDateTime &now) const;

private:
    const PreferenceBook &m_preferences;
    const FollowBook &m_follows;
    const int m_nodeId;
    const bool m_enabled;
    const QString m_preferencesUrl;
};

} // namespace herald::syncd
