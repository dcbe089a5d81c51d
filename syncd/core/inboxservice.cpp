// SPDX-License-Identifier: Apache-2.0
#include "core/inboxservice.h"

#include "config/config.h"
#include "core/corelog.h"
#include "core/fanout.h"
#include "core/followbook.h"
#include "core/preferencebook.h"
#include "core/unseentracker.h"
#include "model/idgenerator.h"
#include "store/storethread.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

// The user's rules as stored; one that no longer reads (a newer daemon's) is left out.
Result<QList<RollupRule>> storedRules(SqlStore &store, const QString &user)
{
    auto stored = store.inbox([&](InboxQueries &inbox) { return inbox.rules(user); });
    if (!stored)
        return tl::unexpected(stored.error());
    QList<RollupRule> rules;
    for (const StoredRule &row : std::as_const(*stored)) {
        auto rule =
            RollupRule::fromJson(row.name, QJsonDocument::fromJson(row.json.toUtf8()).object());
        if (rule)
            rules.append(std::move(*rule));
        else
            qCWarning(lcCore) << "ignoring rollup rule" << row.name << "of" << user << ":"
                              << rule.error().message;
    }
    return rules;
}

// A store answer and, when the change went through, what sessions must be told.
// How long a notification may take to reach this node from another; a delete of an id not
// (yet) in the inbox is kept for ids this recent only.
constexpr qint64 MaxRelayLagMs = 10 * 60 * 1000;

template <typename T> struct WithEffect
{
    T value;
    std::optional<NotificationId> effect;
};

} // namespace

InboxService::InboxService(Dependencies dependencies, QObject *parent)
    : QObject(parent), m_config(dependencies.config), m_store(dependencies.store),
      m_fanOut(dependencies.fanOut), m_unseen(dependencies.unseen),
      m_preferences(dependencies.preferences), m_followBook(dependencies.follows),
      m_follows(dependencies.store, dependencies.unseen, dependencies.follows, this)
{
}

void InboxService::list(const PageRequest &request, QObject *context, Reply<Page> done)
{
    const int cap = m_config.inboxCap;
    m_store.submit<WithEffect<Page>>(
        [request, cap](SqlStore &store) -> Result<WithEffect<Page>> {
            auto window = store.inbox(
                [&](InboxQueries &inbox) { return inbox.window(request.user, cap, QDateTime()); });
            if (!window)
                return tl::unexpected(window.error());
            auto rules = storedRules(store, request.user);
            if (!rules)
                return tl::unexpected(rules.error());
            const NotificationId newest =
                window->entries.isEmpty() ? 0 : window->entries.first().notification.id;
            QList<InboxItem> items = RollupFolder::fold(std::move(window->entries), *rules);
            WithEffect<Page> result;
            for (InboxItem &item : items) {
                if (request.beforeId && item.id() >= *request.beforeId)
                    continue;
                if (result.value.items.size() == request.limit) {
                    result.value.next = result.value.items.last().id();
                    break;
                }
                result.value.items.append(std::move(item));
            }
            if (!request.beforeId && newest > 0) {
                auto moved = store.markInboxSeen(request.user, newest);
                if (!moved)
                    return tl::unexpected(moved.error());
                if (*moved)
                    result.effect = newest;
            }
            return result;
        },
        context,
        [fanOut = &m_fanOut, user = request.user, done](Result<WithEffect<Page>> result) {
            if (!result)
                return done(tl::unexpected(result.error()));
            if (result->effect)
                fanOut->seen(user, *result->effect);
            done(std::move(result->value));
        });
}

void InboxService::counts(const QString &user, QObject *context, Reply<InboxCounts> done)
{
    const int cap = m_config.inboxCap;
    m_store.submit<InboxCounts>(
        [user, cap, off = PreferenceBook::codeFilterOf(m_preferences.of(user))](SqlStore &store) {
            return store.inbox(
                [&](InboxQueries &inbox) { return inbox.counts(user, cap, QDateTime(), off); });
        },
        context, std::move(done));
}

void InboxService::hide(const QString &user, NotificationId id, QObject *context, Reply<void> done)
{
    const int cap = m_config.inboxCap;
    m_store.submit<bool>(
        [user, id, cap](SqlStore &store) -> Result<bool> {
            // Sessions hear only of what was in the inbox. A recent id not in it is kept all
            // the same (the notification may be on its way here from another node); older
            // ones and ids from the future are not, so made-up ids cannot pile up.
            auto inbox = store.inbox(
                [&](InboxQueries &queries) { return queries.windowIds(user, cap, QDateTime()); });
            if (!inbox)
                return tl::unexpected(inbox.error());
            const qint64 ageMs = IdGenerator::timeOf(id).msecsTo(QDateTime::currentDateTimeUtc());
            if (!inbox->contains(id) && (ageMs > MaxRelayLagMs || ageMs < -MaxRelayLagMs))
                return false;
            auto hidden = store.hideInInbox(user, id);
            if (!hidden)
                return hidden;
            return *hidden && inbox->contains(id);
        },
        context,
        [fanOut = &m_fanOut, user, id, done](Result<bool> hidden) {
            if (!hidden)
                return done(tl::unexpected(hidden.error()));
            if (*hidden)
                fanOut->hidden(user, {id});
            done({});
        });
}

void InboxService::clear(const QString &user, QObject *context, Reply<void> done)
{
    const int cap = m_config.inboxCap;
    m_store.submit<std::optional<NotificationId>>(
        [user, cap](SqlStore &store) -> Result<std::optional<NotificationId>> {
            auto ids = store.inbox(
                [&](InboxQueries &inbox) { return inbox.windowIds(user, cap, QDateTime()); });
            if (!ids)
                return tl::unexpected(ids.error());
            if (ids->isEmpty())
                return std::optional<NotificationId>();
            const NotificationId newest = ids->first();
            auto cleared = store.clearInbox(user, newest);
            if (!cleared)
                return tl::unexpected(cleared.error());
            if (auto seen = store.markInboxSeen(user, newest); !seen)
                return tl::unexpected(seen.error());
            return *cleared ? std::optional<NotificationId>(newest) : std::nullopt;
        },
        context,
        [fanOut = &m_fanOut, user, done](Result<std::optional<NotificationId>> cleared) {
            if (!cleared)
                return done(tl::unexpected(cleared.error()));
            if (*cleared)
                fanOut->cleared(user, **cleared);
            done({});
        });
}

void InboxService::follows(const QString &user, QObject *context, Reply<QList<Subscription>> done)
{
    m_store.submit<QList<Subscription>>(
        [user](SqlStore &store) {
            return store.inbox([&](InboxQueries &inbox) { return inbox.follows(user); });
        },
        context, std::move(done));
}

void InboxService::replaceFollows(const QString &user, const QList<Subscription> &subscriptions,
                                  QObject *context, Reply<void> done)
{
    m_store.submit<void>(
        [user, subscriptions](SqlStore &store) {
            return store.inbox(
                [&](InboxQueries &inbox) { return inbox.replaceFollows(user, subscriptions); });
        },
        context,
        [unseen = &m_unseen, book = &m_followBook, user, subscriptions,
         done](Result<void> replaced) {
            if (replaced) {
                book->replace(user, subscriptions);
                unseen->noteUser(user);
            }
            done(replaced);
        });
}

void InboxService::sessionRegistered(const QString &user, const QList<Subscription> &subscriptions)
{
    m_follows.record(user, subscriptions);
}

void InboxService::putRule(const QString &user, const RollupRule &rule, QObject *context,
                           Reply<bool> done)
{
    const QString json =
        QString::fromUtf8(QJsonDocument(rule.toJson()).toJson(QJsonDocument::Compact));
    m_store.submit<bool>(
        [user, rule, json](SqlStore &store) -> Result<bool> {
            return store.inbox([&](InboxQueries &inbox) -> Result<bool> {
                auto existing = inbox.rules(user);
                if (!existing)
                    return tl::unexpected(existing.error());
                const bool known =
                    std::any_of(existing->cbegin(), existing->cend(),
                                [&](const StoredRule &r) { return r.name == rule.name; });
                if (!known && existing->size() >= RollupRule::MaxRulesPerUser)
                    return fail(ErrorCode::Conflict,
                                u"name: a user has at most %1 rollup rules"_s.arg(
                                    RollupRule::MaxRulesPerUser));
                return inbox.putRule(user, StoredRule{rule.name, json});
            });
        },
        context, std::move(done));
}

void InboxService::rule(const QString &user, const QString &name, QObject *context,
                        Reply<RollupRule> done)
{
    m_store.submit<RollupRule>(
        [user, name](SqlStore &store) -> Result<RollupRule> {
            auto stored = store.inbox([&](InboxQueries &inbox) { return inbox.rule(user, name); });
            if (!stored)
                return tl::unexpected(stored.error());
            if (!*stored)
                return fail(ErrorCode::NotFound, u"name: no rollup rule '%1'"_s.arg(name));
            return RollupRule::fromJson(name,
                                        QJsonDocument::fromJson((*stored)->json.toUtf8()).object());
        },
        context, std::move(done));
}

void InboxService::rules(const QString &user, QObject *context, Reply<QList<RollupRule>> done)
{
    m_store.submit<QList<RollupRule>>([user](SqlStore &store) { return storedRules(store, user); },
                                      context, std::move(done));
}

void InboxService::deleteRule(const QString &user, const QString &name, QObject *context,
                              Reply<void> done)
{
    m_store.submit<void>(
        [user, name](SqlStore &store) -> Result<void> {
            auto deleted =
                store.inbox([&](InboxQueries &inbox) { return inbox.deleteRule(user, name); });
            if (!deleted)
                return tl::unexpected(deleted.error());
            if (!*deleted)
                return fail(ErrorCode::NotFound, u"name: no rollup rule '%1'"_s.arg(name));
            return {};
        },
        context, std::move(done));
}

} // namespace herald::syncd
