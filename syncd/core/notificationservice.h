#pragma once

#include "auth/principal.h"
#include "config/config.h"
#include "core/knownchannels.h"
#include "core/reply.h"
#include "model/idgenerator.h"
#include "protocol/messages.h"
#include "store/storetypes.h"

#include <QObject>

namespace herald::syncd {

class FanOut;
class NotificationRepository;
class PeerOutlet;
struct Metrics;

// The rules of notifications, in one place for every adapter (REST, WebSocket, Hermes):
// who may publish, read, acknowledge and delete; ids, times and the order in which sessions
// see notifications; what reaches the store, the sessions and the peers, and when.
//
// Threads: publish() and purgeExpired() on the service's own thread (the front thread), where
// the ordering counter and KnownChannels live. Everything else is callable from any thread
// and answers in the thread of the `context` passed.
class NotificationService : public QObject
{
    Q_OBJECT
public:
    struct Dependencies
    {
        const Config &config;
        NotificationRepository &repository;
        FanOut &fanOut;
        PeerOutlet &peers;
        Metrics &metrics;
        KnownChannels &knownChannels;
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
    // user an admin names (Hermes: the ClientId). Producers receive nothing. Unauthorized
    // errors, since the session is then closed.
    static Result<QString> sessionUser(const std::optional<Principal> &principal,
                                       const RegisterMessage &message, bool hermes);

    // Checks the principal's rights over every notification, stamps id, time and node, stores
    // the persistent ones (answering only after their commit), then hands them to the
    // sessions and the transient ones to the peers. `batch` only shapes error paths
    // ("[2].application"). Sessions see notifications in id order: a transient publish skips
    // the store only while no other publish waits for it.
    void publish(QList<Notification> notifications, bool batch, const Principal &principal,
                 Reply<QList<Notification>> done);

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
    // `lastNotificationId`, everything it missed (up to Limits::maxResume).
    void backlog(const QString &user, const RegisterMessage &message, QObject *context,
                 Reply<QList<Notification>> done);

    // Removes expired notifications from the store (queries already leave them out).
    void purgeExpired();

private:
    void onStored(const QList<Notification> &stored, Reply<QList<Notification>> done);

    const Config &m_config;
    NotificationRepository &m_repository;
    FanOut &m_fanOut;
    PeerOutlet &m_peers;
    Metrics &m_metrics;
    KnownChannels &m_knownChannels;
    IdGenerator m_ids;
    int m_publishesAtStore = 0; // publishes waiting for the store (see publish())
};

} // namespace herald::syncd
