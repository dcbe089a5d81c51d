// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "auth/principal.h"
#include "core/preferences.h"
#include "core/reply.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

namespace herald::syncd {

class FanOut;
class PreferenceBook;
class StoreThread;

// Each user's delivery preferences (PROTOCOL.md, Delivery policy): who may read and change
// them (the user's own token, an admin naming the user), what a valid one is (Preferences),
// and telling every session of the user after a change. Lives on the front thread.
class PreferenceService : public QObject
{
    Q_OBJECT
public:
    // `sessions` also keeps `book` up to date (InboxFanOut); start() fills it first.
    PreferenceService(StoreThread &store, FanOut &sessions, PreferenceBook &book,
                      QObject *parent = nullptr);

    // Loads every user's preferences into the book (retried until the store answers), then
    // looks for changes other nodes of the database made every PollMs.
    void start();
    static constexpr int PollMs = 1000;

    // `user`: the one an admin names (`?user=`); empty for a user token's own.
    void preferences(const Principal &principal, const QString &user, Reply<Preferences> done);
    void putPreferences(const Principal &principal, const QString &user, const QJsonObject &body,
                        Reply<Preferences> done);

private:
    StoreThread &m_store;
    FanOut &m_sessions;
    PreferenceBook &m_book;
    QHash<QString, qint64> m_known; // when each user's preferences this node applied changed
    qint64 m_polledUpTo = 0;
    QTimer m_poll;

    void poll();
};

} // namespace herald::syncd
