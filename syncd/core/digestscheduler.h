// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "auth/principal.h"
#include "core/digestsenderorder.h"
#include "core/reply.h"
#include "protocol/messages.h"

#include <QObject>
#include <QTimer>

namespace herald::syncd {

class FanOut;
class PreferenceBook;
class StoreThread;

// Sends the digests (PROTOCOL.md, Delivery policy) when their period ends: takes a due
// digest's items out of the queue, moves it on to its next period and records it, in one
// transaction; then hands it to the sessions (the desktop agent). A digest overdue after a
// downtime is sent once, its next period counted from now: no burst.
//
// In a cluster on one database each digest belongs to one node; a node silent for longer
// than the takeover grace (the outbox's heartbeats) has its digests taken over, and the
// compare-and-set on the due time makes sure one node sends each period, whoever tries.
// Nodes with databases of their own each queue the digest; they send it in turn, a grace
// apart (DigestSenderOrder), and the first one's relay record stops the others.
//
// Lives on the front thread; the work runs on the store thread in batches of BatchSize, so
// memory does not grow with the number of users: a digest's frame is made from the items as
// they were stored, and the items are read back only for a user with a session here.
class DigestScheduler : public QObject
{
    Q_OBJECT
public:
    static constexpr int BatchSize = 500;
    // At most this long between looks (also for digests taken over or made elsewhere): within
    // half the takeover grace, so a dead node's digest is sent about when the grace ends.
    static constexpr int MaxPollMs = 30'000;

    struct Sent
    {
        QString user;
        QString agents;       // "desktop,email"
        DigestMessage digest; // items only for a user with a session on this node
        bool toDesktop = false;
    };

    // The email agent's digests go to the address in the user's preferences, through the
    // outbox (built-in endpoint @mail), when `mail` says the daemon can send mail.
    struct Mail
    {
        bool enabled = false; // [smtp] configured
        QString preferencesUrl;
    };

    DigestScheduler(int nodeId, qint64 takeoverAfterMs, StoreThread &store, FanOut &sessions,
                    const PreferenceBook &preferences, Mail mail, DigestSenderOrder order,
                    QObject *parent = nullptr);

    // The digest of `user`'s `key` for the period ending at `periodEndMs`: the same on every
    // node and every run (UUID version 5).
    static QString idOf(const QString &user, const QString &key, qint64 periodEndMs);

    // What a run sent, a batch at a time (without the items), each once it is committed.
    using SentBatches = std::function<void(const QList<Sent> &)>;

    // The first look after `firstLookAfterMs`: a node of a cluster that was down waits for the
    // records of the digests the others sent meanwhile (which move its own runs on), so that
    // it does not send the same periods again. Shorter than the senders' grace, so that the
    // next node in the order does not send a digest that falls due during the wait.
    void start(qint64 firstLookAfterMs = 0);
    // POST /api/v1/digests/run (admins): the due digests now; `user` narrows to one user,
    // `force` sends theirs (everyone's without `user`) whether due or not. Each batch goes to
    // `sent` as it is sent, so that nothing here grows with the number of users; `done` ends
    // the run, or answers its refusal or an error (then `sent` may have had some batches).
    void run(const Principal &principal, const QString &user, bool force, SentBatches sent,
             Reply<void> done);

Q_SIGNALS:
    // Digests with the email agent left jobs in the outbox.
    void deliveriesAdded();

private:
    struct Round
    {
        QString user;
        bool force = false;
        SentBatches sent; // a run's caller hears of each batch (without the items)
    };
    void tick();
    void runBatches(std::shared_ptr<Round> round, std::function<void(Result<void>)> finished);
    void deliver(const QList<Sent> &sent);
    void scheduleNext();

    const int m_nodeId;
    const qint64 m_takeoverAfterMs;
    const int m_pollMs;
    StoreThread &m_store;
    FanOut &m_sessions;
    const PreferenceBook &m_preferences;
    const Mail m_mail;
    const DigestSenderOrder m_order;
    QTimer m_timer;
    bool m_ticking = false;
};

} // namespace herald::syncd
