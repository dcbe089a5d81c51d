// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"
#include "store/deferredwork.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace herald::syncd {

class PreferenceBook;

// The email agent's share of a publish (PROTOCOL.md, Delivery policy): a mail job for every
// user with an email address whose most specific rule for the notification says immediate
// with the email agent and who may see it (recipients); whether they follow its channel the
// store checks as it queues the job. Nothing without [smtp] (the mails could not go out).
class MailRouter
{
public:
    MailRouter(const PreferenceBook &preferences, int nodeId, bool smtpConfigured,
               QString preferencesUrl)
        : m_preferences(preferences), m_nodeId(nodeId), m_enabled(smtpConfigured),
          m_preferencesUrl(std::move(preferencesUrl))
    {
    }

    QList<UserDelivery> deliveriesFor(const QList<Notification> &notifications,
                                      const QDateTime &now) const;

private:
    const PreferenceBook &m_preferences;
    const int m_nodeId;
    const bool m_enabled;
    const QString m_preferencesUrl;
};

} // namespace herald::syncd
