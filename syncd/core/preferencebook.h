// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/preferences.h"

#include <QHash>
#include <QSet>
#include <QString>

#include <functional>
#include <memory>
#include <mutex>

namespace herald::syncd {

// Every user's delivery preferences in memory (only those who stored some), for the paths
// that decide per notification and cannot wait for the store: the sessions' live push, the
// backlog, the unseen count. Loaded once at start (PreferenceService), changed with every
// PUT. Thread-safe: a reader gets an immutable Preferences it may keep.
class PreferenceBook
{
public:
    using Entry = std::shared_ptr<const Preferences>;

    // Null: the defaults (everything at once, to every agent).
    Entry of(const QString &user) const;
    void set(const QString &user, Entry preferences); // null: back to the defaults
    // As GET /api/v1/preferences answers them; stored ones that no longer read as valid are
    // the defaults (logged).
    void setFromJson(const QString &user, const QJsonObject &preferences);
    // Stored preferences as an entry: null (the defaults, logged) when they no longer read.
    static Entry entryOf(const QString &user, const QJsonObject &preferences);
    void load(QHash<QString, Entry> all);

    // Users with their preferences, shared and never changed: a publish asks for them once
    // per notification, and gets the same until a preference changes.
    using Candidates = std::shared_ptr<const QHash<QString, Entry>>;

    // The users whose preferences may put a notification of `application` into a digest (a
    // rule for it, or a default, with delivery `digest`), with their preferences. Never null;
    // costs nothing for applications nobody digests.
    Candidates digestCandidates(const QString &application) const;

    // The users with an email address whose preferences may mail a notification of
    // `application` at once (a rule for it, or a default, immediate with the email agent).
    Candidates mailCandidates(const QString &application) const;

    // What a user's queries leave out (their `off` ones); unset when nothing is off, so that
    // such queries cost nothing more.
    static CodeFilterFor codeFilterOf(const Entry &preferences);

    // Runs `ready` once the first load is in: at once when it is, else in the thread that
    // calls load(). Thread-safe.
    bool isLoaded() const;
    void whenLoaded(std::function<void()> ready);

private:
    void index(const QString &user, const Entry &preferences); // with m_mutex held
    void unindex(const QString &user);
    // Made on the first ask after a change (with m_mutex held).
    Candidates cached(QHash<QString, Candidates> &cache,
                      const QHash<QString, QSet<QString>> &byApplication,
                      const QSet<QString> &everywhere, const QString &application) const;

    mutable std::mutex m_mutex;
    QHash<QString, Entry> m_users;
    QHash<QString, QSet<QString>> m_digestsByApplication; // application -> users
    QSet<QString> m_digestsEverywhere;                    // users whose default is `digest`
    QHash<QString, QSet<QString>> m_mailsByApplication;   // immediate with the email agent
    QSet<QString> m_mailsEverywhere;
    // The lists handed out, per application, until the next change; at most
    // MaxCachedApplications each (beyond, they start again).
    static constexpr qsizetype MaxCachedApplications = 256;
    mutable QHash<QString, Candidates> m_digestCandidates;
    mutable QHash<QString, Candidates> m_mailCandidates;
    bool m_loaded = false;
    QList<std::function<void()>> m_waiting;
};

} // namespace herald::syncd
