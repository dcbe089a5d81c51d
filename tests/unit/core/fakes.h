// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/arrivallog.h"
#include "core/fanout.h"
#include "core/followbook.h"
#include "core/notificationrepository.h"
#include "core/notificationservice.h"
#include "core/peeroutlet.h"
#include "core/preferencebook.h"
#include "core/resumebook.h"
#include "core/routingtable.h"
#include "metrics/metrics.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>

#include <algorithm>
#include <deque>
#include <functional>

namespace herald::syncd::testing {

// An in-memory NotificationRepository whose answers wait until flush(), in call order, the way
// the store thread answers after its commit.
class FakeRepository final : public NotificationRepository
{
public:
    int inserts = 0;
    QList<Notification> lastInserted; // what the last insert() was given
    QList<Notification> stored;
    QList<DeliveryJob> insertedJobs;
    QList<DigestItem> insertedDigestItems;
    int purgeRounds = 0;
    QList<NotificationId> acknowledgeAnswer; // what acknowledge() reports as newly read
    std::optional<Error> failNext;
    BacklogQuery lastBacklog;
    int backlogs = 0;

    int pending() const { return int(m_pending.size()); }
    void flush()
    {
        while (!m_pending.empty()) {
            auto next = std::move(m_pending.front());
            m_pending.pop_front();
            next();
        }
    }

    void insert(const QList<Notification> &notifications, const DeferredWork &deferred, QObject *,
                Reply<QList<Notification>> done) override
    {
        ++inserts;
        lastInserted = notifications;
        insertedJobs += deferred.jobs;
        insertedDigestItems += deferred.digestItems;
        QList<Notification> filled = notifications;
        for (Notification &n : filled) {
            n.applicationId = 1;
            n.channelId = 2;
        }
        later([this, filled, done] {
            if (auto error = takeFailure())
                return done(tl::unexpected(*error));
            for (const Notification &n : filled) {
                if (n.persistent)
                    stored.append(n);
            }
            done(filled);
        });
    }
    void list(const ListQuery &, QObject *, Reply<NotificationPage> done) override
    {
        later([done] { done(NotificationPage{}); });
    }
    void backlog(const BacklogQuery &query, QObject *, Reply<Backlog> done) override
    {
        lastBacklog = query;
        ++backlogs;
        later([done] { done(Backlog{}); });
    }
    void acknowledge(const QString &, const QList<NotificationId> &, const QDateTime &, QObject *,
                     Reply<QList<NotificationId>> done) override
    {
        later([this, done] {
            if (auto error = takeFailure())
                return done(tl::unexpected(*error));
            done(acknowledgeAnswer);
        });
    }
    void remove(NotificationId id, DeleteCheck check, QObject *, Reply<Notification> done) override
    {
        later([this, id, check, done] {
            for (qsizetype i = 0; i < stored.size(); ++i) {
                if (stored[i].id != id)
                    continue;
                if (auto allowed = check(stored[i]); !allowed)
                    return done(tl::unexpected(allowed.error()));
                return done(stored.takeAt(i));
            }
            done(fail(ErrorCode::NotFound, QStringLiteral("id: no notification %1").arg(id)));
        });
    }
    QList<ChannelRow> channels; // what channelRows() answers, newest first
    void channelRows(int limit, QObject *, Reply<QList<ChannelRow>> done) override
    {
        later([this, limit, done] {
            if (auto error = takeFailure())
                return done(tl::unexpected(*error));
            done(channels.mid(0, limit));
        });
    }
    // Removes what expired at `now`, the earliest first, `limit` at most.
    void purgeExpired(const QDateTime &now, int limit, QObject *, Reply<ExpiredPurge> done) override
    {
        ++purgeRounds;
        later([this, now, limit, done] {
            QList<Notification> expiring;
            for (const Notification &n : std::as_const(stored)) {
                if (n.expiresAt)
                    expiring.append(n);
            }
            std::stable_sort(expiring.begin(), expiring.end(), [](const auto &a, const auto &b) {
                return *a.expiresAt < *b.expiresAt;
            });
            ExpiredPurge purge;
            for (const Notification &n : std::as_const(expiring)) {
                if (*n.expiresAt > now) {
                    purge.nextExpiryMs = n.expiresAt->toMSecsSinceEpoch();
                    break;
                }
                if (purge.removed.size() == limit) {
                    purge.more = true;
                    break;
                }
                purge.removed.append(n);
                stored.removeIf([&n](const Notification &s) { return s.id == n.id; });
            }
            done(purge);
        });
    }

private:
    void later(std::function<void()> answer) { m_pending.push_back(std::move(answer)); }
    std::optional<Error> takeFailure() { return std::exchange(failNext, std::nullopt); }

    std::deque<std::function<void()>> m_pending;
};

// Records what reached the sessions, in order.
class FakeFanOut final : public FanOut
{
public:
    QList<NotificationId> published;
    QList<QPair<QString, QList<NotificationId>>> acknowledgements;
    QList<NotificationId> deletions;
    QStringList dropped;
    QList<QSet<qint64>> closedTokens;

    void publish(const QList<Notification> &notifications) override
    {
        for (const Notification &n : notifications)
            published.append(n.id);
    }
    void acknowledged(const QString &user, const QList<NotificationId> &ids) override
    {
        acknowledgements.append({user, ids});
    }
    void deleted(const Notification &notification) override { deletions.append(notification.id); }
    void dropUser(const QString &user, QObject *, std::function<void(int)> done) override
    {
        dropped.append(user);
        done(1);
    }
    void closeTokenSessions(const QSet<qint64> &tokenIds) override
    {
        closedTokens.append(tokenIds);
    }
    QList<QPair<QString, QList<NotificationId>>> hides;
    QList<QPair<QString, NotificationId>> clears;
    QList<QPair<QString, NotificationId>> seenMoves;
    QList<std::pair<QString, QJsonObject>> preferenceFrames;
    QList<std::pair<QString, DigestMessage>> digests;
    QList<QPair<QString, qint64>> unseenCounts;
    QSet<QString> connectedUsers;
    void hidden(const QString &user, const QList<NotificationId> &ids) override
    {
        hides.append({user, ids});
    }
    void cleared(const QString &user, NotificationId upTo) override { clears.append({user, upTo}); }
    void seen(const QString &user, NotificationId upTo) override { seenMoves.append({user, upTo}); }
    void unseen(const QString &user, qint64 count) override { unseenCounts.append({user, count}); }
    void preferences(const QString &user, const QJsonObject &preferences) override
    {
        preferenceFrames.append({user, preferences});
    }
    void digest(const QString &user, const DigestMessage &digest) override
    {
        digests.append({user, digest});
    }
    bool hasSessions(const QString &user) const override { return connectedUsers.contains(user); }
};

class FakePeers final : public PeerOutlet
{
public:
    bool clustered = false;
    QList<NotificationId> relayed;
    QStringList drops;

    bool isClustered() const override { return clustered; }
    void relayDrop(const QString &user) override { drops.append(user); }
    // Asks are kept; answering them is the test's part (ResumeWitness::answered).
    bool askResume(const ResumeAsk &ask) override
    {
        asks.append(ask);
        return linked;
    }
    bool linked = false; // whether askResume() finds a live link
    QList<ResumeAsk> asks;
    QList<int> known; // knownNodes()
    QList<int> knownNodes() const override { return known; }
    // The nodes with a live peer link now: what OutboxTakeover counts as alive without a
    // heartbeat in the shared database.
    QList<int> live;
    // As the relay does: the live ones are seen now, and a node keeps its last sighting.
    QHash<int, qint64> lastLinkedMs() const override
    {
        for (int node : live)
            seen.insert(node, QDateTime::currentMSecsSinceEpoch());
        return seen;
    }
    mutable QHash<int, qint64> seen;
    void relayTransient(const QList<Notification> &notifications) override
    {
        for (const Notification &n : notifications)
            relayed.append(n.id);
    }
};

// A NotificationService over the fakes, with everything it touches in reach.
struct CoreRig
{
    Config config = [] {
        Config c;
        c.nodeId = 5; // before the service reads it
        return c;
    }();
    Metrics metrics;
    KnownChannels known;
    EventCatalog eventTypes;
    RoutingTable routing;
    PreferenceBook preferences;
    FollowBook follows; // never loaded: drops nothing
    FakeRepository repository;
    FakeFanOut fanOut;
    FakePeers peers;
    ArrivalLog arrivals;
    ResumeBook liveSessions;
    NotificationService service{{config, repository, fanOut, peers, metrics, known, eventTypes,
                                 routing, preferences, follows, arrivals, liveSessions}};

    CoreRig()
    {
        eventTypes.replaceAll({}); // loaded, and no application registers event types
        preferences.load({});      // loaded: nobody stored preferences
    }
};

} // namespace herald::syncd::testing
