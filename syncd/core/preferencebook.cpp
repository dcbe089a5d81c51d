// SPDX-License-Identifier: Apache-2.0
#include "core/preferencebook.h"

#include "core/corelog.h"

namespace herald::syncd {

PreferenceBook::Entry PreferenceBook::of(const QString &user) const
{
    std::lock_guard lock(m_mutex);
    return m_users.value(user);
}

void PreferenceBook::set(const QString &user, Entry preferences)
{
    std::lock_guard lock(m_mutex);
    unindex(user);
    if (preferences) {
        index(user, preferences);
        m_users.insert(user, std::move(preferences));
    } else {
        m_users.remove(user);
    }
}

namespace {

bool mailsAtOnce(const Preferences &preferences, const DeliveryRule &rule)
{
    return !preferences.email().isEmpty() && rule.mode == DeliveryRule::Mode::Immediate &&
           rule.agents.contains(QStringLiteral("email"));
}

QHash<QString, PreferenceBook::Entry> candidates(const QHash<QString, QSet<QString>> &byApplication,
                                                 const QSet<QString> &everywhere,
                                                 const QString &application,
                                                 const QHash<QString, PreferenceBook::Entry> &users)
{
    QHash<QString, PreferenceBook::Entry> found;
    const QSet<QString> named = byApplication.value(application);
    found.reserve(named.size() + everywhere.size());
    for (const QString &user : named)
        found.insert(user, users.value(user));
    for (const QString &user : everywhere)
        found.insert(user, users.value(user));
    return found;
}

void forget(QHash<QString, QSet<QString>> &byApplication, const QString &application,
            const QString &user)
{
    auto it = byApplication.find(application);
    if (it != byApplication.end() && (it->remove(user), it->isEmpty()))
        byApplication.erase(it);
}

} // namespace

void PreferenceBook::index(const QString &user, const Entry &preferences)
{
    m_digestCandidates.clear();
    m_mailCandidates.clear();
    if (preferences->defaultRule().mode == DeliveryRule::Mode::Digest)
        m_digestsEverywhere.insert(user);
    if (mailsAtOnce(*preferences, preferences->defaultRule()))
        m_mailsEverywhere.insert(user);
    for (const DeliveryRule &rule : preferences->rules()) {
        if (rule.mode == DeliveryRule::Mode::Digest)
            m_digestsByApplication[rule.application].insert(user);
        if (mailsAtOnce(*preferences, rule))
            m_mailsByApplication[rule.application].insert(user);
    }
}

void PreferenceBook::unindex(const QString &user)
{
    const Entry old = m_users.value(user);
    if (!old)
        return;
    m_digestCandidates.clear();
    m_mailCandidates.clear();
    m_digestsEverywhere.remove(user);
    m_mailsEverywhere.remove(user);
    for (const DeliveryRule &rule : old->rules()) {
        forget(m_digestsByApplication, rule.application, user);
        forget(m_mailsByApplication, rule.application, user);
    }
}

PreferenceBook::Candidates PreferenceBook::digestCandidates(const QString &application) const
{
    std::lock_guard lock(m_mutex);
    return cached(m_digestCandidates, m_digestsByApplication, m_digestsEverywhere, application);
}

PreferenceBook::Candidates PreferenceBook::mailCandidates(const QString &application) const
{
    std::lock_guard lock(m_mutex);
    return cached(m_mailCandidates, m_mailsByApplication, m_mailsEverywhere, application);
}

PreferenceBook::Candidates
PreferenceBook::cached(QHash<QString, Candidates> &cache,
                       const QHash<QString, QSet<QString>> &byApplication,
                       const QSet<QString> &everywhere, const QString &application) const
{
    if (const auto found = cache.constFind(application); found != cache.cend())
        return *found;
    if (cache.size() >= MaxCachedApplications)
        cache.clear();
    auto made = std::make_shared<const QHash<QString, Entry>>(
        candidates(byApplication, everywhere, application, m_users));
    cache.insert(application, made);
    return made;
}

PreferenceBook::Entry PreferenceBook::entryOf(const QString &user, const QJsonObject &preferences)
{
    auto read = Preferences::fromJson(preferences);
    if (!read) {
        qCWarning(lcCore) << "the preferences of" << user
                          << "are not valid, the defaults apply:" << read.error().message;
        return nullptr;
    }
    return std::make_shared<const Preferences>(std::move(*read));
}

void PreferenceBook::setFromJson(const QString &user, const QJsonObject &preferences)
{
    set(user, entryOf(user, preferences));
}

void PreferenceBook::load(QHash<QString, Entry> all)
{
    QList<std::function<void()>> waiting;
    {
        std::lock_guard lock(m_mutex);
        // A change made while the load was under way is newer than what the load read.
        for (auto it = m_users.cbegin(); it != m_users.cend(); ++it)
            all.insert(it.key(), it.value());
        m_users = std::move(all);
        m_digestsByApplication.clear();
        m_digestsEverywhere.clear();
        m_digestCandidates.clear();
        m_mailCandidates.clear();
        m_mailsByApplication.clear();
        m_mailsEverywhere.clear();
        for (auto it = m_users.cbegin(); it != m_users.cend(); ++it)
            index(it.key(), it.value());
        m_loaded = true;
        waiting.swap(m_waiting);
    }
    for (const auto &ready : waiting)
        ready();
}

CodeFilterFor PreferenceBook::codeFilterOf(const Entry &preferences)
{
    if (!preferences)
        return {};
    bool anyOff = preferences->defaultRule().mode == DeliveryRule::Mode::Off;
    for (const DeliveryRule &rule : preferences->rules())
        anyOff = anyOff || rule.mode == DeliveryRule::Mode::Off;
    if (!anyOff)
        return {};
    return [preferences](const QString &application, const QString &channel) {
        return preferences->codeFilter(application, channel);
    };
}

bool PreferenceBook::isLoaded() const
{
    std::lock_guard lock(m_mutex);
    return m_loaded;
}

void PreferenceBook::whenLoaded(std::function<void()> ready)
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_loaded) {
            m_waiting.append(std::move(ready));
            return;
        }
    }
    ready();
}

} // namespace herald::syncd
