// SPDX-License-Identifier: Apache-2.0
#include "core/preferenceservice.h"

#include "core/corelog.h"
#include "core/fanout.h"
#include "core/notificationservice.h"
#include "model/timestamps.h"
#include "store/storethread.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace herald::syncd {

PreferenceService::PreferenceService(StoreThread &store, FanOut &sessions, QObject *parent)
    : QObject(parent), m_store(store), m_sessions(sessions)
{
}

void PreferenceService::preferences(const Principal &principal, const QString &named,
                                    Reply<Preferences> done)
{
    auto user = NotificationService::actingUser(principal, named);
    if (!user)
        return done(tl::unexpected(user.error()));
    m_store.submit<std::optional<QString>>(
        [user = *user](SqlStore &store) {
            return store.accounts([&](AccountQueries &q) { return q.preferences(user); });
        },
        this,
        [user = *user, done = std::move(done)](Result<std::optional<QString>> stored) {
            if (!stored)
                return done(tl::unexpected(stored.error()));
            if (!stored->has_value())
                return done(Preferences());
            auto read =
                Preferences::fromJson(QJsonDocument::fromJson((*stored)->toUtf8()).object());
            if (!read) { // changed by hand in the database: the defaults rather than a guess
                qCWarning(lcCore) << "the stored preferences of" << user
                                  << "are not valid:" << read.error().message;
                return done(Preferences());
            }
            done(std::move(*read));
        });
}

void PreferenceService::putPreferences(const Principal &principal, const QString &named,
                                       const QJsonObject &body, Reply<Preferences> done)
{
    auto user = NotificationService::actingUser(principal, named);
    if (!user)
        return done(tl::unexpected(user.error()));
    auto read = Preferences::fromJson(body);
    if (!read)
        return done(tl::unexpected(read.error()));
    const QJsonObject json = read->toJson();
    m_store.submit<bool>(
        [user = *user, text = QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact)),
         now = utcNow().toMSecsSinceEpoch()](SqlStore &store) -> Result<bool> {
            auto stored = store.accounts(
                [&](AccountQueries &q) { return q.putPreferences(user, text, now); });
            if (!stored)
                return tl::unexpected(stored.error());
            return true;
        },
        this,
        [this, user = *user, preferences = *read, json,
         done = std::move(done)](Result<bool> saved) {
            if (!saved)
                return done(tl::unexpected(saved.error()));
            m_sessions.preferences(user, json); // every device shows the change
            done(preferences);
        });
}

} // namespace herald::syncd
