// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/followrecorder.h"
#include "core/reply.h"
#include "core/rollupfolder.h"
#include "core/rolluprule.h"
#include "protocol/messages.h"
#include "store/inboxtypes.h"

#include <QObject>

#include <optional>

namespace herald::syncd {

class FanOut;
class FollowBook;
class PreferenceBook;
class StoreThread;
class UnseenTracker;
struct Config;

// The rules of each user's inbox, for every adapter: what it holds (followed channels and
// addressed notifications, the newest Config::inboxCap, less what the user deleted), how it
// lists (rolled up by the user's rules, newest first, in pages), when the seen cursor moves
// (reading the first page), and who hears of a change (every session of the user, here
// through FanOut and on other nodes through the relay records the store writes with it).
//
// Threads: callable from any thread; answers arrive in `context`'s thread.
class InboxService : public QObject
{
    Q_OBJECT
public:
    struct Dependencies
    {
        const Config &config;
        StoreThread &store;
        FanOut &fanOut;
        UnseenTracker &unseen;
        const PreferenceBook &preferences; // `off` ones are not unseen
        FollowBook &follows;               // what users follow, as committed here
    };
    explicit InboxService(Dependencies dependencies, QObject *parent = nullptr);

    struct PageRequest
    {
        QString user;
        std::optional<NotificationId> beforeId; // the cursor: items older than this
        int limit = 20;
    };
    struct Page
    {
        QList<InboxItem> items; // seen flags as they were before this read
        std::optional<NotificationId> next;
    };
    // A page of the user's inbox; the first page (no cursor) moves the seen cursor to the
    // newest notification of the inbox.
    void list(const PageRequest &request, QObject *context, Reply<Page> done);
    void counts(const QString &user, QObject *context, Reply<InboxCounts> done);

    // Deletes `id` from the user's inbox on every device and node. Succeeds also when it was
    // deleted before or never was in it (nothing to tell then).
    void hide(const QString &user, NotificationId id, QObject *context, Reply<void> done);
    // Deletes everything now in the user's inbox (and moves the seen cursor past it).
    void clear(const QString &user, QObject *context, Reply<void> done);

    void follows(const QString &user, QObject *context, Reply<QList<Subscription>> done);
    void replaceFollows(const QString &user, const QList<Subscription> &subscriptions,
                        QObject *context, Reply<void> done);
    // A session of `user` registered with these subscriptions: they join what the user
    // follows within FollowRecorder::FlushMs (and the user's sessions hear of a count that grew).
    void sessionRegistered(const QString &user, const QList<Subscription> &subscriptions);

    // Rollup rules. putRule answers whether the rule is new; at most
    // RollupRule::MaxRulesPerUser per user (a new one past it: Conflict).
    void putRule(const QString &user, const RollupRule &rule, QObject *context, Reply<bool> done);
    void rule(const QString &user, const QString &name, QObject *context, Reply<RollupRule> done);
    void rules(const QString &user, QObject *context, Reply<QList<RollupRule>> done);
    void deleteRule(const QString &user, const QString &name, QObject *context, Reply<void> done);

private:
    const Config &m_config;
    StoreThread &m_store;
    FanOut &m_fanOut;
    UnseenTracker &m_unseen;
    const PreferenceBook &m_preferences;
    FollowBook &m_followBook;
    FollowRecorder m_follows;
};

} // namespace herald::syncd
