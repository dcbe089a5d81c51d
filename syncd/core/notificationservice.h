// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "auth/principal.h"
#include "config/config.h"
#include "core/digestrouter.h"
#include "core/eventcatalog.h"
#include "core/knownchannels.h"
#include "core/mailrouter.h"
#include "core/preferences.h"
#include "core/remoteresume.h"
#include "core/reply.h"
#include "core/resumebook.h"
#include "core/resumepoint.h"
#include "model/idgenerator.h"
#include "protocol/messages.h"
#include "store/storetypes.h"

#include <QObject>
#include <QTimer>

namespace herald::syncd {

class ArrivalLog;
class FanOut;
class FollowBook;
class NotificationRepository;
class PeerOutlet;
class PreferenceBook;
class RoutingTable;
struct Metrics;

// The rules of notifications, in one place for every adapter (REST, WebSocket, Hermes):
// who may publish, read, acknowledge and delete; ids, times and the order in which sessions
// see notifications; what reaches the store, the sessions and the peers, and when.
//
// Threads: publish() on the service's own thread (the front thread), where
// the ordering counter and KnownChannels live. Everything else is callable from any thread
// and answers in the thread of the `context` passed.
class NotificationService : public QObject
{
    Q_OBJECT
public:
    // How long the channels that transient publishes open are gathered before one store
    // operation makes them all (see publish()).
    static constexpr int ChannelMakingDelayMs = 10;

    struct Dependencies
    {
        const Config &config;
        NotificationRepository &repository;
        FanOut &fanOut;
        PeerOutlet &peers;
        Metrics &metrics;
        KnownChannels &knownChannels;
        EventCatalog &eventTypes;
        const RoutingTable &routing;
        PreferenceBook &preferences;
        const FollowBook &follows; // who may get a digest item or a mail at all
        ArrivalLog &arrivals;      // the order in which FanOut hands on persistent ones
        ResumeBook &liveSessions;  // where devices' sessions stopped, for their resumes
    };
    explicit NotificationService(Dependencies dependencies, QObject *parent = nullptr);

    // Forbidden unless the principal may publish at all (user tokens may not). Adapters call
    // it before they parse a body, so that a user token hears "forbidden" first.
    static Result<void> checkMayPublish(const Principal &principal);
    // The user a read or an acknowledgement acts for: a user token's own user, or the one an
    // admin names. Producers read nothing.
    static Result<QString> actingUser(const Principal &principal, const QString &named);

    // The user a registering WebSocket session receives for: a user token's own user (a
    // native register naming another user is refused; Hermes clients may name anything), the
    // user an admin names (Hermes: the ClientId). Empty for a publishing session, which
    // receives nothing: a native register without subscriptions, with a producer token or an
    // admin token naming no user. Unauthorized errors, since the session is then closed; a
    // user token without subscriptions is a bad request.
    static Result<QString> sessionUser(const std::optional<Principal> &principal,
                                       const RegisterMessage &message, bool hermes);

    // Checks the principal's rights over every notification and its code and level against the
    // application's event types (EventTypeRules), stamps id, time and node, stores
    // the persistent ones (answering only after their commit), then hands them to the
    // sessions and the transient ones to the peers. `batch` only shapes error paths
    // ("[2].application"). Sessions see notifications in id order: a transient publish skips
    // the store only while no other publish waits for it.
    void publish(QList<Notification> notifications, bool batch, const Principal &principal,
                 Reply<QList<Notification>> done);

    // Teaches the publish path the channels the store already holds (the newest, up to
    // KnownChannels::MaxEntries), so that after a restart a transient publish to one of them
    // does not wait for the store first. Called once at start; publishes meanwhile take the
    // store's path as before.
    void learnStoredChannels();

    // A page of `query.user`'s notifications (resolve the user with actingUser first).
    void list(const ListQuery &query, QObject *context, Reply<NotificationPage> done);

    // Deletes notification `id` for everyone, if the principal's application owns it, and
    // tells the sessions that could see it.
    void remove(NotificationId id, const Principal &principal, QObject *context,
                Reply<Notification> done);

    // Marks `ids` read for `user`; every session of the user hears of the ids that were newly
    // acknowledged (not of ids that do not exist, are not visible or were read before).
    void acknowledge(const QString &user, const QList<NotificationId> &ids, QObject *context,
                     Reply<QList<NotificationId>> done);

    // What a registering session of `user` gets before live notifications: the newest
    // `fetchLast` unread ones of its subscriptions, or, when it resumes from
    // `lastNotificationId`, what it missed: the newest Limits::maxResume of it, with how much
    // it missed in all (up to MissedCountCap) so that the client fetches the rest.
    void backlog(const QString &user, const RegisterMessage &message, QObject *context,
                 Reply<Backlog> done);
    // A session that starts to follow its channels now has been handed live what arrived
    // after this position; once it stops, sessionEnded() says up to where (ArrivalLog
    // positions), so that its device's next register resumes exactly. Any thread.
    qint64 livePosition() const;
    // The session went live (its backlog is in); `handedOn` is its worker's position.
    void sessionLive(const QString &user, const QString &clientId, const QSet<QString> &channelKeys,
                     qint64 liveFrom, HandedOn handedOn);
    void sessionEnded(const QString &user, const QString &clientId,
                      const QSet<QString> &channelKeys, qint64 liveFrom, qint64 liveUpTo);
    // `user`'s delivery preferences as the sessions apply them (null: the defaults). Any thread.
    std::shared_ptr<const Preferences> preferencesOf(const QString &user) const;
    // A resume counts what it missed no further (the count costs a walk over the rows).
    static constexpr qint64 MissedCountCap = 100'000;

    // Removes up to `limit` expired notifications from the store and tells the sessions that
    // could see each one (`deleted`), as a producer's delete would: queries already leave
    // expired ones out, this makes clients take them away too. Each node purges its own store
    // (expiry needs no relay record: every node reaches the same time).
    void purgeExpired(int limit, QObject *context, Reply<ExpiredPurge> done);

    // Answers the other nodes' asks about resumes (for the relay). Any thread.
    ResumeWitness &resumeWitness() { return m_remoteResume; }

Q_SIGNALS:
    // A persistent notification just stored expires at `ms` (the earliest of one publish).
    void expiryStored(qint64 ms);
    // Jobs for endpoints were just committed to the outbox.
    void deliveriesAdded();

private:
    static Error unbatched(Error error, bool batch);
    void onStored(const QList<Notification> &stored, Reply<QList<Notification>> done);
    void makeChannelsOf(const QList<Notification> &notifications);
    void makePendingChannels();
    void makeChannels(const QString &application, const QList<Notification> &toMake);
    void readBacklog(BacklogQuery query, QObject *context, Reply<Backlog> done);

    const Config &m_config;
    NotificationRepository &m_repository;
    FanOut &m_fanOut;
    PeerOutlet &m_peers;
    Metrics &m_metrics;
    KnownChannels &m_knownChannels;
    EventCatalog &m_eventTypes;
    const RoutingTable &m_routing;
    PreferenceBook &m_preferences;
    DigestRouter m_digests;
    MailRouter m_mails;
    ArrivalLog &m_arrivals;
    ResumeBook &m_liveSessions;
    ResumePoint m_resumePoint;
    RemoteResume m_remoteResume;
    IdGenerator m_ids;
    int m_publishesAtStore = 0;           // publishes waiting for the store (see publish())
    QSet<QString> m_channelsBeingMade;    // "app/channel" of makeChannelsOf's inserts under way
    QList<Notification> m_channelsToMake; // one of each, until makePendingChannels runs
    QTimer m_channelMaking;               // single shot: gathers m_channelsToMake first
};

} // namespace herald::syncd
