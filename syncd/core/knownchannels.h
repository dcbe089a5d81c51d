// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"

#include <QHash>
#include <QSet>
#include <QString>

#include <algorithm>
#include <optional>

namespace herald::syncd {

// Channels the store has confirmed, with their row ids, so that a transient publish to one of
// them needs no trip to the store thread (it stores nothing; the trip was only the lookup).
// Only positive answers are kept: anything unknown still goes to the store, which creates the
// channel or answers 404. The applications of those channels are known too, so that a new
// channel of one can be made without holding its first notification (NotificationService).
// Front thread only.
class KnownChannels
{
public:
    struct Ids
    {
        qint64 application = 0;
        qint64 channel = 0;
    };

    // Fills applicationId/channelId of every notification and returns true when all are known.
    bool fill(QList<Notification> &notifications) const
    {
        for (Notification &n : notifications) {
            auto it = m_known.constFind(channelKey(n.application, n.channel));
            if (it == m_known.cend())
                return false;
            n.applicationId = it->application;
            n.channelId = it->channel;
        }
        return true;
    }

    // Whether the store has confirmed a channel of every notification's application.
    bool knowsApplicationsOf(const QList<Notification> &notifications) const
    {
        return std::all_of(
            notifications.cbegin(), notifications.cend(),
            [this](const Notification &n) { return m_applications.contains(n.application); });
    }

    bool knows(const QString &channelKey) const { return m_known.contains(channelKey); }

    void remember(const QList<Notification> &stored)
    {
        boundSize();
        for (const Notification &n : stored) {
            if (n.applicationId > 0 && n.channelId > 0) {
                m_known.insert(channelKey(n.application, n.channel),
                               Ids{n.applicationId, n.channelId});
                m_applications.insert(n.application);
            }
        }
    }

    // Saved through the catalog (REST): the publish path need not ask the store about them.
    void rememberApplication(const QString &application)
    {
        boundSize();
        m_applications.insert(application);
    }
    void rememberChannel(const QString &application, const QString &channel, Ids ids)
    {
        if (ids.application <= 0 || ids.channel <= 0)
            return;
        boundSize();
        m_known.insert(channelKey(application, channel), ids);
        m_applications.insert(application);
    }

    // At most this many channels are kept (then all are forgotten and learnt again).
    static constexpr qsizetype MaxEntries = 100'000;

    // The application was deleted (with its channels).
    void forgetApplication(const QString &application)
    {
        const QString prefix = channelKey(application, QString());
        m_known.removeIf([&](const auto &entry) { return entry.key().startsWith(prefix); });
        m_applications.remove(application);
    }

private:
    void boundSize()
    {
        if (m_known.size() > MaxEntries) {
            m_known.clear(); // bounded; it fills again from the store's answers
            m_applications.clear();
        }
    }

    QHash<QString, Ids> m_known;
    QSet<QString> m_applications;
};

} // namespace herald::syncd
