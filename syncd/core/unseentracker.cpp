// SPDX-License-Identifier: Apache-2.0
#include "core/unseentracker.h"

#include "config/config.h"
#include "core/corelog.h"
#include "core/fanout.h"
#include "core/preferencebook.h"
#include "store/storethread.h"

#include <algorithm>

namespace herald::syncd {

namespace {
const QChar KeySeparator(0x1f);
}

UnseenTracker::UnseenTracker(const Config &config, StoreThread &store, FanOut &sessions,
                             const PreferenceBook &preferences, QObject *parent)
    : QObject(parent), m_config(config), m_store(store), m_sessions(sessions),
      m_preferences(preferences)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(DebounceMs);
    connect(&m_timer, &QTimer::timeout, this, &UnseenTracker::countNow);
}

void UnseenTracker::noteNotifications(const QList<Notification> &notifications)
{
    // On the publish path: transient ones are never in an inbox, and cost no lock.
    if (std::none_of(notifications.cbegin(), notifications.cend(),
                     [](const Notification &n) { return n.persistent; }))
        return;
    QMutexLocker lock(&m_mutex);
    for (const Notification &n : notifications) {
        if (!n.persistent)
            continue;
        m_channels.insert(n.application + KeySeparator + n.channel);
        for (const QString &user : n.recipients)
            m_users.insert(user);
    }
    lock.unlock();
    schedule();
}

void UnseenTracker::noteUser(const QString &user)
{
    QMutexLocker lock(&m_mutex);
    m_users.insert(user);
    lock.unlock();
    schedule();
}

void UnseenTracker::schedule()
{
    {
        QMutexLocker lock(&m_mutex);
        if (m_scheduled)
            return;
        m_scheduled = true;
    }
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (!m_counting && !m_timer.isActive())
                m_timer.start();
        },
        Qt::QueuedConnection);
}

void UnseenTracker::countNow()
{
    QSet<QString> channels, users;
    {
        QMutexLocker lock(&m_mutex);
        channels = std::exchange(m_channels, {});
        users = std::exchange(m_users, {});
        m_scheduled = false;
    }
    // Who no longer has a session here is no longer sent anything.
    m_lastSent.removeIf([this](auto it) { return !m_sessions.hasSessions(it.key()); });
    if (channels.isEmpty() && users.isEmpty())
        return;
    m_counting = true;
    const int cap = m_config.inboxCap;
    FanOut *sessions = &m_sessions;
    const PreferenceBook *preferences = &m_preferences;
    auto leftOver = std::make_shared<QSet<QString>>();
    m_store.submit<QHash<QString, qint64>>(
        [channels, users, cap, sessions, preferences,
         leftOver](SqlStore &store) -> Result<QHash<QString, qint64>> {
            QSet<QString> affected = users;
            for (const QString &key : channels) {
                const qsizetype split = key.indexOf(KeySeparator);
                auto followers = store.inbox([&](InboxQueries &inbox) {
                    return inbox.followersOf(key.left(split), key.mid(split + 1));
                });
                if (!followers)
                    return tl::unexpected(followers.error());
                for (const QString &user : std::as_const(*followers))
                    affected.insert(user);
            }
            QHash<QString, qint64> counts;
            for (const QString &user : std::as_const(affected)) {
                if (!sessions->hasSessions(user))
                    continue;
                if (counts.size() >= UsersPerRound) {
                    leftOver->insert(user);
                    continue;
                }
                const CodeFilterFor off = PreferenceBook::codeFilterOf(preferences->of(user));
                auto unseen = store.inbox(
                    [&](InboxQueries &inbox) { return inbox.unseen(user, cap, QDateTime(), off); });
                if (!unseen)
                    return tl::unexpected(unseen.error());
                counts.insert(user, *unseen);
            }
            return counts;
        },
        this,
        [this, users, leftOver](Result<QHash<QString, qint64>> counts) {
            m_counting = false;
            if (!counts) {
                qCWarning(lcCore) << "unseen counts failed:" << counts.error().message;
                QMutexLocker lock(&m_mutex);
                m_users.unite(users); // their sessions still need the new count
            } else {
                onCounted(*counts);
            }
            if (!leftOver->isEmpty()) {
                QMutexLocker lock(&m_mutex);
                m_users.unite(*leftOver);
            }
            QMutexLocker lock(&m_mutex);
            if (!m_channels.isEmpty() || !m_users.isEmpty())
                m_timer.start();
        });
}

void UnseenTracker::onCounted(const QHash<QString, qint64> &counts)
{
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        const auto last = m_lastSent.constFind(it.key());
        if (last != m_lastSent.cend() && *last == it.value())
            continue;
        m_lastSent.insert(it.key(), it.value());
        m_sessions.unseen(it.key(), it.value());
    }
}

} // namespace herald::syncd
