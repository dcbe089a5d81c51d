// SPDX-License-Identifier: Apache-2.0
#include "core/notificationservice.h"

#include "core/arrivallog.h"
#include "core/corelog.h"
#include "core/fanout.h"
#include "core/followbook.h"
#include "core/notificationrepository.h"
#include "core/peeroutlet.h"
#include "core/preferencebook.h"
#include "core/resumebook.h"
#include "core/routingtable.h"
#include "delivery/usermail.h"
#include "metrics/metrics.h"
#include "model/timestamps.h"
#include "protocol/validator.h"

#include <algorithm>

namespace herald::syncd {

NotificationService::NotificationService(Dependencies dependencies, QObject *parent)
    : QObject(parent), m_config(dependencies.config), m_repository(dependencies.repository),
      m_fanOut(dependencies.fanOut), m_peers(dependencies.peers), m_metrics(dependencies.metrics),
      m_knownChannels(dependencies.knownChannels), m_eventTypes(dependencies.eventTypes),
      m_routing(dependencies.routing), m_preferences(dependencies.preferences),
      m_digests(dependencies.preferences, dependencies.follows, dependencies.config.nodeId),
      m_mails(dependencies.preferences, dependencies.follows, dependencies.config.nodeId,
              dependencies.config.smtp.isConfigured(),
              UserMail::preferencesUrl(dependencies.config)),
      m_arrivals(dependencies.arrivals), m_liveSessions(dependencies.liveSessions),
      m_resumePoint(dependencies.arrivals, dependencies.liveSessions, dependencies.metrics),
      m_remoteResume(dependencies.config.nodeId, dependencies.peers, m_resumePoint),
      m_ids(dependencies.config.nodeId)
{
    m_channelMaking.setSingleShot(true);
    m_channelMaking.setInterval(ChannelMakingDelayMs);
    connect(&m_channelMaking, &QTimer::timeout, this, &NotificationService::makePendingChannels);
}

Result<void> NotificationService::checkMayPublish(const Principal &principal)
{
    if (!principal.mayPublish())
        return fail(ErrorCode::Forbidden, QStringLiteral("token: user tokens cannot publish"));
    return {};
}

Result<QString> NotificationService::actingUser(const Principal &principal, const QString &named)
{
    if (principal.kind == TokenKind::User) {
        if (!named.isEmpty() && named != principal.user)
            return fail(ErrorCode::Forbidden,
                        QStringLiteral("user: the token belongs to another user"));
        return principal.user;
    }
    if (principal.isAdmin()) {
        if (named.isEmpty())
            return fail(ErrorCode::BadRequest,
                        QStringLiteral("user: required with an admin token"));
        if (!Validator::isValidName(named))
            return fail(ErrorCode::BadRequest, QStringLiteral("user: not a valid name"));
        return named;
    }
    return fail(ErrorCode::Forbidden, QStringLiteral("token: %1 tokens cannot read or acknowledge")
                                          .arg(tokenKindName(principal.kind)));
}

Result<QString> NotificationService::sessionUser(const std::optional<Principal> &principal,
                                                 const RegisterMessage &message, bool hermes)
{
    auto refuse = [](const QString &why) { return fail(ErrorCode::Unauthorized, why); };
    if (!principal)
        return refuse(QStringLiteral("token: missing or not valid"));
    // Native sessions only: a Hermes register always names a channel list.
    const bool publishesOnly = message.subscriptions.isEmpty() && !hermes;
    switch (principal->kind) {
    case TokenKind::Producer:
        if (publishesOnly && message.user.isEmpty())
            return QString();
        return refuse(QStringLiteral("token: a producer token cannot receive notifications "
                                     "(register without subscriptions or user to publish)"));
    case TokenKind::Feed:
        return refuse(QStringLiteral("token: a feed token cannot hold a session"));
    case TokenKind::User:
        if (publishesOnly)
            return fail(ErrorCode::BadRequest,
                        QStringLiteral("subscriptions: must not be empty (only a token that may "
                                       "publish registers without subscriptions)"));
        if (!message.user.isEmpty() && message.user != principal->user && !hermes)
            return refuse(QStringLiteral("user: the token belongs to another user"));
        return principal->user;
    case TokenKind::Admin: {
        // Admin tokens and --no-auth act for the user they name (Hermes: the ClientId).
        const QString user = hermes ? message.clientId : message.user;
        if (user.isEmpty() && publishesOnly)
            return QString();
        if (user.isEmpty())
            return refuse(QStringLiteral("user: required with an admin token or --no-auth"));
        return user;
    }
    }
    return refuse(QStringLiteral("token: not valid"));
}

void NotificationService::publish(QList<Notification> notifications, bool batch,
                                  const Principal &principal, Reply<QList<Notification>> done)
{
    if (auto allowed = checkMayPublish(principal); !allowed)
        return done(tl::unexpected(allowed.error()));
    // Event types are checked in memory; only a publish that comes before the catalog's first
    // load waits for it (the callbacks run in arrival order, so ids keep that order).
    if (!m_preferences.isLoaded()) { // who digests what; loaded once, at start
        return m_preferences.whenLoaded([this, notifications = std::move(notifications), batch,
                                         principal, done = std::move(done)]() mutable {
            publish(std::move(notifications), batch, principal, std::move(done));
        });
    }
    if (!m_eventTypes.isLoaded()) {
        return m_eventTypes.whenLoaded([this, notifications = std::move(notifications), batch,
                                        principal,
                                        done = std::move(done)](Result<void> loaded) mutable {
            if (!loaded)
                return done(tl::unexpected(loaded.error()));
            publish(std::move(notifications), batch, principal, std::move(done));
        });
    }
    const QDateTime now = utcNow();
    for (qsizetype i = 0; i < notifications.size(); ++i) {
        Notification &n = notifications[i];
        const auto path = [batch, i](const char *field) {
            const QString name = QString::fromLatin1(field);
            return batch ? QStringLiteral("[%1].").arg(i) + name : name;
        };
        if (!principal.mayUseApplication(n.application)) {
            return done(
                fail(ErrorCode::Forbidden,
                     path("application") + QStringLiteral(": this token publishes only to '%1'")
                                               .arg(principal.application)));
        }
        // Stored, it would be purged unseen; the producer most likely has a clock or unit wrong.
        if (n.expiresAt && *n.expiresAt <= now) {
            return done(fail(ErrorCode::BadRequest,
                             path("expiresAt") + QStringLiteral(": is in the past")));
        }
        if (auto known = m_eventTypes.rules(n.application).check(n, batch ? i : -1); !known)
            return done(tl::unexpected(known.error()));
        n.id = m_ids.next();
        n.time = now;
        n.node = m_config.nodeId;
    }
    // Routed ones leave jobs in the outbox, and digested ones items in the digests' queue,
    // committed with them (transient ones too).
    DeferredWork later{
        m_routing.jobsFor(notifications, m_eventTypes, m_config.nodeId, now.toMSecsSinceEpoch()),
        m_digests.itemsFor(notifications, now), m_mails.deliveriesFor(notifications, now)};
    // Nothing to store or look up: straight to the sessions. Only while no publish waits for
    // the store, so that sessions still get notifications in id order.
    const bool allTransient = std::none_of(notifications.cbegin(), notifications.cend(),
                                           [](const Notification &n) { return n.persistent; });
    if (allTransient && later.isEmpty() && m_publishesAtStore == 0) {
        if (m_knownChannels.fill(notifications))
            return onStored(notifications, std::move(done));
        // A new channel of an application the store has confirmed: made in the background, so
        // that its first notification neither waits for the disk nor holds others back. Only
        // the application's deletion meanwhile (or a failing database) can refuse the row;
        // the notification, stored nowhere, has then reached the sessions all the same, and
        // the next publish to the channel tries again.
        if (m_config.autoCreateChannels && m_knownChannels.knowsApplicationsOf(notifications)) {
            makeChannelsOf(notifications);
            return onStored(notifications, std::move(done));
        }
    }
    ++m_publishesAtStore;
    m_repository.insert(notifications, later, this,
                        [this, routed = !later.jobs.isEmpty() || !later.userDeliveries.isEmpty(),
                         batch, done = std::move(done)](Result<QList<Notification>> stored) {
                            --m_publishesAtStore;
                            if (!stored)
                                return done(tl::unexpected(unbatched(stored.error(), batch)));
                            if (routed)
                                Q_EMIT deliveriesAdded();
                            m_knownChannels.remember(*stored);
                            onStored(*stored, done);
                        });
}

void NotificationService::learnStoredChannels()
{
    m_repository.channelRows(
        int(KnownChannels::MaxEntries), this, [this](Result<QList<ChannelRow>> rows) {
            if (!rows) {
                // Not fatal: the channels are learnt from the store's answers to publishes.
                qCWarning(lcCore).noquote()
                    << "cannot read the channels at start:" << rows.error().message;
                return;
            }
            // The store answers in order, so a delete saved before this read is not in it,
            // and one saved after it is forgotten when its answer comes.
            for (const ChannelRow &row : std::as_const(*rows)) {
                m_knownChannels.rememberChannel(row.application, row.channel,
                                                {row.applicationId, row.channelId});
            }
            qCInfo(lcCore) << "knows" << rows->size()
                           << "stored channel(s): transient publishes to them skip the store";
        });
}

void NotificationService::makeChannelsOf(const QList<Notification> &notifications)
{
    for (const Notification &n : notifications) {
        const QString key = channelKey(n.application, n.channel);
        if (!m_knownChannels.knows(key) && !m_channelsBeingMade.contains(key)) {
            m_channelsBeingMade.insert(key);
            m_channelsToMake.append(n);
        }
    }
    // The channels new within ChannelMakingDelayMs go to the store together: a producer that
    // opens thousands of channels at once (S2w opens 5,000 in its first 40 ms, one publish
    // frame at a time) costs a few store operations, not one per channel. Their notifications
    // do not wait for it.
    if (!m_channelsToMake.isEmpty() && !m_channelMaking.isActive())
        m_channelMaking.start();
}

void NotificationService::makePendingChannels()
{
    // One insert per application: all or nothing, so a refusal (the application deleted
    // meanwhile, perhaps by another node; a failing database) keeps no other application's
    // channels from being made.
    QMap<QString, QList<Notification>> byApplication;
    for (Notification &n : std::exchange(m_channelsToMake, {}))
        byApplication[n.application].append(std::move(n));
    for (auto it = byApplication.cbegin(); it != byApplication.cend(); ++it)
        makeChannels(it.key(), it.value());
}

void NotificationService::makeChannels(const QString &application,
                                       const QList<Notification> &toMake)
{
    // A transient notification stores nothing but its channel: the insert makes only that.
    m_repository.insert(toMake, DeferredWork{}, this,
                        [this, application, toMake](Result<QList<Notification>> made) {
                            for (const Notification &n : toMake)
                                m_channelsBeingMade.remove(channelKey(n.application, n.channel));
                            if (!made) {
                                qCWarning(lcCore).noquote()
                                    << "cannot make" << toMake.size() << "channel(s) of"
                                    << application << ":" << made.error().message;
                                // Its next publishes wait for the store again, which answers them
                                // (404 when the application is gone); their channels are tried
                                // again then.
                                m_knownChannels.forgetApplication(application);
                                return;
                            }
                            m_knownChannels.remember(*made);
                        });
}

Error NotificationService::unbatched(Error error, bool batch)
{
    // The store names a field by its index in what it was given ("[0].application"); a single
    // publish names it as every other check does ("application").
    if (!batch && error.message.startsWith(u"[0]."))
        error.message.remove(0, 4);
    return error;
}

void NotificationService::onStored(const QList<Notification> &stored,
                                   Reply<QList<Notification>> done)
{
    m_fanOut.publish(stored);
    // Persistent ones reach the peers from the store's relay log; transient ones are copied
    // for them only when there are peers.
    const bool clustered = m_peers.isClustered();
    QList<Notification> transient;
    std::optional<qint64> earliestExpiry;
    for (const Notification &n : stored) {
        if (n.persistent && n.expiresAt) {
            const qint64 ms = n.expiresAt->toMSecsSinceEpoch();
            earliestExpiry = std::min(earliestExpiry.value_or(ms), ms);
        }
        ++m_metrics.notificationsPublished;
        if (!n.persistent) {
            ++m_metrics.notificationsTransient;
            if (clustered)
                transient.append(n);
        }
    }
    if (earliestExpiry)
        Q_EMIT expiryStored(*earliestExpiry);
    if (!transient.isEmpty())
        m_peers.relayTransient(transient);
    done(stored);
}

void NotificationService::list(const ListQuery &query, QObject *context,
                               Reply<NotificationPage> done)
{
    ListQuery q = query;
    if (!q.now.isValid())
        q.now = utcNow();
    m_repository.list(q, context, std::move(done));
}

void NotificationService::remove(NotificationId id, const Principal &principal, QObject *context,
                                 Reply<Notification> done)
{
    if (!principal.mayPublish())
        return done(fail(ErrorCode::Forbidden, QStringLiteral("token: user tokens cannot delete")));
    m_repository.remove(
        id,
        [principal](const Notification &n) -> Result<void> {
            if (!principal.mayUseApplication(n.application))
                return fail(ErrorCode::Forbidden,
                            QStringLiteral("id: the notification belongs to another application"));
            return {};
        },
        context,
        [this, done = std::move(done)](Result<Notification> deleted) {
            if (deleted)
                m_fanOut.deleted(*deleted);
            done(std::move(deleted));
        });
}

void NotificationService::acknowledge(const QString &user, const QList<NotificationId> &ids,
                                      QObject *context, Reply<QList<NotificationId>> done)
{
    m_repository.acknowledge(
        user, ids, utcNow(), context,
        [this, user, done = std::move(done)](Result<QList<NotificationId>> acked) {
            if (acked) {
                m_metrics.acknowledgements += quint64(acked->size());
                m_fanOut.acknowledged(user, *acked);
            }
            done(std::move(acked));
        });
}

void NotificationService::backlog(const QString &user, const RegisterMessage &message,
                                  QObject *context, Reply<Backlog> done)
{
    if (message.fetchLast <= 0)
        return done(Backlog{});
    BacklogQuery query{user, message.subscriptions, message.fetchLast, message.lastNotificationId,
                       utcNow()};
    if (!message.lastNotificationId)
        return readBacklog(std::move(query), context, std::move(done));
    // Resuming: everything missed (up to maxResume), not just the last fetchLast.
    query.limit = std::max(query.limit, m_config.limits.maxResume);
    query.countUpTo = MissedCountCap;
    if (m_resumePoint.apply(user, message, m_peers.isClustered(), query) !=
        ResumePoint::Start::Margin)
        return readBacklog(std::move(query), context, std::move(done));
    // The device's last session was on another node, or this one cannot tell: ask the others.
    m_remoteResume.ask(user, message, context,
                       [this, query = std::move(query), context, done = std::move(done)](
                           std::optional<QMap<int, NotificationId>> fromIdByOrigin) mutable {
                           if (fromIdByOrigin)
                               m_resumePoint.fromPeer(*fromIdByOrigin, query);
                           else
                               m_resumePoint.margin();
                           readBacklog(std::move(query), context, std::move(done));
                       });
}

void NotificationService::readBacklog(BacklogQuery query, QObject *context, Reply<Backlog> done)
{
    // `off` ones never come back in a backlog; the preferences are loaded at start, so only a
    // register in the first moments waits for them.
    m_preferences.whenLoaded(
        [this, query = std::move(query), context, done = std::move(done)]() mutable {
            query.codeFilter = PreferenceBook::codeFilterOf(m_preferences.of(query.user));
            m_repository.backlog(query, context, std::move(done));
        });
}

qint64 NotificationService::livePosition() const
{
    return m_arrivals.position();
}

void NotificationService::sessionLive(const QString &user, const QString &clientId,
                                      const QSet<QString> &channelKeys, qint64 liveFrom,
                                      HandedOn handedOn)
{
    if (!m_peers.isClustered()) // a single node's resumes start after the id (ResumePoint)
        return;
    m_liveSessions.sessionLive(user, clientId, liveFrom, ResumeBook::channelsKey(channelKeys),
                               std::move(handedOn));
}

void NotificationService::sessionEnded(const QString &user, const QString &clientId,
                                       const QSet<QString> &channelKeys, qint64 liveFrom,
                                       qint64 liveUpTo)
{
    if (!m_peers.isClustered())
        return;
    m_liveSessions.sessionEnded(user, clientId,
                                {liveFrom, liveUpTo, ResumeBook::channelsKey(channelKeys)});
}

std::shared_ptr<const Preferences> NotificationService::preferencesOf(const QString &user) const
{
    return m_preferences.of(user);
}

void NotificationService::purgeExpired(int limit, QObject *context, Reply<ExpiredPurge> done)
{
    m_repository.purgeExpired(utcNow(), limit, context,
                              [this, done = std::move(done)](Result<ExpiredPurge> purged) {
                                  if (purged) {
                                      for (const Notification &n : std::as_const(purged->removed))
                                          m_fanOut.deleted(n);
                                      m_metrics.notificationsExpired += purged->removed.size();
                                  }
                                  done(std::move(purged));
                              });
}

} // namespace herald::syncd
