// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/fanout.h"
#include "core/preferencebook.h"
#include "core/unseentracker.h"

namespace herald::syncd {

// The FanOut the core and the relay talk to: passes everything on to the sessions (the hub)
// and tells the UnseenTracker what may have changed someone's unseen count, so that every
// path a notification or an inbox change takes (publish, relay, delete, expiry) counts; and
// keeps the PreferenceBook up to date with every preferences change, local or relayed.
class InboxFanOut final : public FanOut
{
public:
    InboxFanOut(FanOut &sessions, UnseenTracker &unseen, PreferenceBook &preferences)
        : m_sessions(sessions), m_unseen(unseen), m_preferences(preferences)
    {
    }

    void publish(const QList<Notification> &notifications) override
    {
        m_sessions.publish(notifications);
        m_unseen.noteNotifications(notifications);
    }
    void acknowledged(const QString &user, const QList<NotificationId> &ids) override
    {
        m_sessions.acknowledged(user, ids);
        m_unseen.noteUser(user); // what the user read is no longer unseen
    }
    void deleted(const Notification &notification) override
    {
        m_sessions.deleted(notification);
        m_unseen.noteNotifications({notification});
    }
    void dropUser(const QString &user, QObject *context, std::function<void(int)> done) override
    {
        m_sessions.dropUser(user, context, std::move(done));
    }
    void closeTokenSessions(const QSet<qint64> &tokenIds) override
    {
        m_sessions.closeTokenSessions(tokenIds);
    }
    void hidden(const QString &user, const QList<NotificationId> &ids) override
    {
        m_sessions.hidden(user, ids);
        m_unseen.noteUser(user);
    }
    void cleared(const QString &user, NotificationId upTo) override
    {
        m_sessions.cleared(user, upTo);
        m_unseen.noteUser(user);
    }
    void seen(const QString &user, NotificationId upTo) override
    {
        m_sessions.seen(user, upTo);
        m_unseen.noteUser(user);
    }
    void unseen(const QString &user, qint64 count) override { m_sessions.unseen(user, count); }
    // The book first: sessions take the user's preferences from it when the frame reaches them.
    void preferences(const QString &user, const QJsonObject &preferences) override
    {
        m_preferences.setFromJson(user, preferences);
        m_sessions.preferences(user, preferences);
        m_unseen.noteUser(user); // what is `off` is not unseen
    }
    void digest(const QString &user, const DigestMessage &digest) override
    {
        m_sessions.digest(user, digest);
    }
    bool hasSessions(const QString &user) const override { return m_sessions.hasSessions(user); }

private:
    FanOut &m_sessions;
    UnseenTracker &m_unseen;
    PreferenceBook &m_preferences;
};

} // namespace herald::syncd
