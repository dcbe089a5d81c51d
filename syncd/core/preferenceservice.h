// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "auth/principal.h"
#include "core/preferences.h"
#include "core/reply.h"

#include <QJsonObject>
#include <QObject>

namespace herald::syncd {

class FanOut;
class StoreThread;

// Each user's delivery preferences (PROTOCOL.md, Delivery policy): who may read and change
// them (the user's own token, an admin naming the user), what a valid one is (Preferences),
// and telling every session of the user after a change. Lives on the front thread.
class PreferenceService : public QObject
{
    Q_OBJECT
public:
    PreferenceService(StoreThread &store, FanOut &sessions, QObject *parent = nullptr);

    // `user`: the one an admin names (`?user=`); empty for a user token's own.
    void preferences(const Principal &principal, const QString &user, Reply<Preferences> done);
    void putPreferences(const Principal &principal, const QString &user, const QJsonObject &body,
                        Reply<Preferences> done);

private:
    StoreThread &m_store;
    FanOut &m_sessions;
};

} // namespace herald::syncd
