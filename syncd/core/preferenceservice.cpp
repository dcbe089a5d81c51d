// SPDX-License-Identifier: Apache-2.0
#include "core/preferenceservice.h"

#include "core/corelog.h"
#include "core/fanout.h"
#include "core/notificationservice.h"
#include "core/preferencebook.h"
#include "core/storedpreferences.h"
#include "model/timestamps.h"
#include "store/storethread.h"

#include <QJsonDocument>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace herald::syncd {

PreferenceService::PreferenceService(StoreThread &store, FanOut &sessions, PreferenceBook &book,
                                     QObject *parent)
    : QObject(parent), m_store(store), m_sessions(sessions), m_book(book)
{
}

void PreferenceService::start()
{
    m_store.submit<QList<AccountQueries::StoredPreferences>>(
        [](SqlStore &store) {
            return store.accounts([](AccountQueries &q) { return q.preferencesSince(0); });
        },
        this,
        [this](Result<QList<AccountQueries::StoredPreferences>> stored) {
            if (!stored) {
                qCWarning(lcCore) << "cannot load the users' preferences, trying again:"
                                  << stored.error().message;
                QTimer::singleShot(1000, this, &PreferenceService::start);
                return;
            }
            QHash<QString, PreferenceBook::Entry> all;
            for (const auto &row : std::as_const(*stored)) {
                m_known.insert(row.user, row.updatedMs);
                m_polledUpTo = std::max(m_polledUpTo, row.updatedMs);
                if (auto entry = PreferenceBook::entryOf(
                        row.user, QJsonDocument::fromJson(row.json.toUtf8()).object()))
                    all.insert(row.user, std::move(entry));
            }
            qCInfo(lcCore) << "delivery preferences of" << all.size() << "users loaded";
            m_book.load(std::move(all));
            connect(&m_poll, &QTimer::timeout, this, &PreferenceService::poll);
            m_poll.start(PollMs);
        });
}

void PreferenceService::poll()
{
    // Clocks of nodes differ a little (NTP keeps them well within this): look a few seconds
    // back, and skip what was applied already.
    constexpr qint64 ClockSkewMs = 5'000;
    m_store.submit<QList<AccountQueries::StoredPreferences>>(
        [since = m_polledUpTo - ClockSkewMs](SqlStore &store) {
            return store.accounts([&](AccountQueries &q) { return q.preferencesSince(since); });
        },
        this,
        [this](Result<QList<AccountQueries::StoredPreferences>> changed) {
            if (!changed)
                return; // the next poll asks again
            for (const auto &row : std::as_const(*changed)) {
                m_polledUpTo = std::max(m_polledUpTo, row.updatedMs);
                if (m_known.value(row.user, -1) == row.updatedMs)
                    continue;
                m_known.insert(row.user, row.updatedMs);
                // Changed by another node: this node's sessions and book follow.
                m_sessions.preferences(row.user,
                                       QJsonDocument::fromJson(row.json.toUtf8()).object());
            }
        });
}

void PreferenceService::preferences(const Principal &principal, const QString &named,
                                    Reply<Preferences> done)
{
    auto user = NotificationService::actingUser(principal, named);
    if (!user)
        return done(tl::unexpected(user.error()));
    m_store.submit<Preferences>(
        [user = *user](SqlStore &store) { return storedPreferences(store, user); }, this,
        std::move(done));
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
    const qint64 now = utcNow().toMSecsSinceEpoch();
    m_store.submit<bool>(
        [user = *user, text = QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact)),
         now](SqlStore &store) -> Result<bool> {
            auto stored = store.putPreferences(user, text, now);
            if (!stored)
                return tl::unexpected(stored.error());
            return true;
        },
        this,
        [this, user = *user, preferences = *read, json, now,
         done = std::move(done)](Result<bool> saved) {
            if (!saved)
                return done(tl::unexpected(saved.error()));
            m_known.insert(user, now);          // the poll need not announce it again
            m_sessions.preferences(user, json); // every device shows the change
            done(preferences);
        });
}

} // namespace herald::syncd
