// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "auth/principal.h"
#include "core/feedentry.h"
#include "core/feedselection.h"
#include "core/reply.h"

#include <QObject>

namespace herald::syncd {

class StoreThread;
struct Config;

// Each user's Atom feed, the `feed` agent of the delivery policy (PROTOCOL.md, Delivery
// policy): who may read it (the user's feed and user tokens, admins), and what it holds (the
// user's inbox as the store has it, through FeedSelection and the user's preferences).
//
// Threads: lives on the front thread; feed() may be called from any thread and answers in
// `context`'s.
class FeedService : public QObject
{
    Q_OBJECT
public:
    FeedService(const Config &config, StoreThread &store, QObject *parent = nullptr);

    // `user`'s feed as `principal` may read it: Forbidden for another user's feed (and for a
    // token that reads no feed), BadRequest for a name that is not valid, NotFound for a user
    // that does not exist.
    void feed(const Principal &principal, const QString &user, QObject *context, Reply<Feed> done);

private:
    const Config &m_config;
    StoreThread &m_store;
    const FeedSelection m_selection;
};

} // namespace herald::syncd
