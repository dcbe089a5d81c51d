// SPDX-License-Identifier: Apache-2.0
// NotificationService without sockets or a database: an in-memory repository that answers
// when told (as the store thread answers after its commit), and a fan-out and relay outlet
// that record what reached them. The transient path that skips the store is
// tst_transientpath's.
#include "fakes.h"
#include "publishrig.h"

#include "core/expirysweeper.h"
#include "core/notificationservice.h"
#include "metrics/metrics.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::testing;

namespace {
Principal user(const char *name)
{
    return {TokenKind::User, {}, QString::fromUtf8(name), 8};
}
} // namespace

class TestNotificationService : public QObject
{
    Q_OBJECT

    using Rig = PublishRig;

private Q_SLOTS:
    void expiredNotificationsAreTakenFromTheSessions()
    {
        Rig rig;
        QSignalSpy expiries(&rig.service, &NotificationService::expiryStored);
        const QDateTime soon = QDateTime::currentDateTimeUtc().addMSecs(40);
        Notification expiring = note("ops", "deploys");
        expiring.expiresAt = soon;
        Notification later = note("ops", "deploys");
        later.expiresAt = soon.addSecs(3600);
        Notification transient = note("ops", "deploys", false);
        transient.expiresAt = soon.addMSecs(-20); // never stored: nothing to purge
        rig.publish({later, expiring, note("ops", "deploys"), transient}, producer("ops"), true);
        rig.repository.flush();
        QCOMPARE(expiries.size(), 1);
        QCOMPARE(expiries.first().first().toLongLong(), soon.toMSecsSinceEpoch());
        const NotificationId expiringId = rig.repository.stored[1].id;

        QTest::qWait(60);
        std::optional<Result<ExpiredPurge>> purged;
        rig.service.purgeExpired(10, nullptr, [&](Result<ExpiredPurge> r) { purged = r; });
        rig.repository.flush();
        QVERIFY(purged && purged->has_value());
        QCOMPARE(rig.fanOut.deletions, QList<NotificationId>{expiringId});
        QCOMPARE((*purged)->nextExpiryMs, later.expiresAt->toMSecsSinceEpoch());
        QCOMPARE(rig.metrics.notificationsExpired.load(), 1u);
    }

    void sweeperWakesAtTheEarliestExpiryItHearsOf()
    {
        Rig rig;
        ExpirySweeper sweeper(rig.service);
        sweeper.start();
        // The first round finds nothing: the next one is MaxSleepMs away.
        QTRY_COMPARE((rig.repository.flush(), rig.repository.purgeRounds), 1);
        Notification expiring = note("ops", "deploys");
        expiring.expiresAt = QDateTime::currentDateTimeUtc().addMSecs(150);
        rig.publish({expiring}, producer("ops"));
        rig.repository.flush();
        QElapsedTimer waited;
        waited.start();
        // Well before MaxSleepMs: the publish told the sweeper when to wake.
        QTRY_VERIFY_WITH_TIMEOUT((rig.repository.flush(), !rig.fanOut.deletions.isEmpty()),
                                 ExpirySweeper::MaxSleepMs / 2);
        QVERIFY2(waited.elapsed() >= 100, "not before the expiry");
        QVERIFY(rig.repository.stored.isEmpty());
    }

    void stampsIdsTimeAndNode()
    {
        Rig rig;
        rig.publish({note("ops", "deploys"), note("ops", "deploys")}, Principal::admin(), true);
        rig.repository.flush();
        const auto answer = *rig.m_answers.first();
        QVERIFY(answer && answer->has_value());
        const QList<Notification> published = **answer;
        QCOMPARE(published.size(), 2);
        QVERIFY(published[0].id > 0);
        QVERIFY(published[1].id > published[0].id);
        QCOMPARE(published[0].node, 5);
        QVERIFY(published[0].time.isValid());
        QCOMPARE(rig.fanOut.published, (QList<NotificationId>{published[0].id, published[1].id}));
        QCOMPARE(rig.metrics.notificationsPublished.load(), 2u);
    }

    void userTokensCannotPublish()
    {
        Rig rig;
        const auto answer = rig.publish({note("ops", "deploys")}, user("alice"));
        QVERIFY(answer && !answer->has_value());
        QCOMPARE(answer->error().code, ErrorCode::Forbidden);
        QCOMPARE(rig.repository.inserts, 0);
        QVERIFY(rig.fanOut.published.isEmpty());
    }

    void producerPublishesOnlyToItsApplication_data()
    {
        QTest::addColumn<bool>("batch");
        QTest::addColumn<QString>("path");
        QTest::newRow("single") << false << QStringLiteral("application:");
        QTest::newRow("batch") << true << QStringLiteral("[1].application:");
    }
    void producerPublishesOnlyToItsApplication()
    {
        QFETCH(bool, batch);
        QFETCH(QString, path);
        Rig rig;
        QList<Notification> list{note("ops", "a"), note("billing", "b")};
        if (!batch)
            list.removeFirst();
        const auto answer = rig.publish(list, producer("ops"), batch);
        QVERIFY(answer && !answer->has_value());
        QCOMPARE(answer->error().code, ErrorCode::Forbidden);
        QVERIFY2(answer->error().message.startsWith(path), qPrintable(answer->error().message));
        QCOMPARE(rig.repository.inserts, 0); // the whole batch is refused, nothing stored
    }

    void expiryInThePastIsRefused_data()
    {
        QTest::addColumn<bool>("batch");
        QTest::addColumn<QString>("path");
        QTest::newRow("single") << false << QStringLiteral("expiresAt: is in the past");
        QTest::newRow("batch") << true << QStringLiteral("[1].expiresAt: is in the past");
    }
    void expiryInThePastIsRefused()
    {
        QFETCH(bool, batch);
        QFETCH(QString, path);
        Rig rig;
        Notification future = note("ops", "a");
        future.expiresAt = QDateTime::currentDateTimeUtc().addSecs(60);
        Notification past = note("ops", "b");
        past.expiresAt = QDateTime::currentDateTimeUtc().addSecs(-1);
        QList<Notification> list{future, past};
        if (!batch)
            list.removeFirst();
        const auto answer = rig.publish(list, Principal::admin(), batch);
        QVERIFY(answer && !answer->has_value());
        QCOMPARE(answer->error().code, ErrorCode::BadRequest);
        QCOMPARE(answer->error().message, path);
        QCOMPARE(rig.repository.inserts, 0);
        QVERIFY(rig.fanOut.published.isEmpty());
    }

    void persistentPublishAnswersOnlyAfterTheStore()
    {
        Rig rig;
        rig.publish({note("ops", "deploys")}, producer("ops"));
        QVERIFY(!*rig.m_answers.first()); // not before the commit
        QVERIFY(rig.fanOut.published.isEmpty());
        rig.repository.flush();
        QVERIFY(*rig.m_answers.first());
        QCOMPARE(rig.fanOut.published.size(), 1);
        QCOMPARE(rig.repository.stored.size(), 1);
        QVERIFY(rig.peers.relayed.isEmpty()); // persistent ones travel in the relay log
    }

    void storeFailureAnswersTheErrorAndFansOutNothing()
    {
        Rig rig;
        rig.repository.failNext = Error{ErrorCode::Unavailable, QStringLiteral("disk full")};
        rig.publish({note("ops", "deploys")}, producer("ops"));
        rig.repository.flush();
        const auto answer = *rig.m_answers.first();
        QVERIFY(answer && !answer->has_value());
        QCOMPARE(answer->error().code, ErrorCode::Unavailable);
        QVERIFY(rig.fanOut.published.isEmpty());
        QCOMPARE(rig.metrics.notificationsPublished.load(), 0u);
    }

    void acknowledgeTellsTheUsersSessionsWhatWasNewlyRead()
    {
        Rig rig;
        rig.repository.acknowledgeAnswer = {11}; // 12 unknown, 13 read before
        std::optional<Result<QList<NotificationId>>> answer;
        rig.service.acknowledge(QStringLiteral("alice"), {11, 12, 13}, nullptr,
                                [&](Result<QList<NotificationId>> r) { answer = std::move(r); });
        QVERIFY(rig.fanOut.acknowledgements.isEmpty()); // not before the commit
        rig.repository.flush();
        QVERIFY(answer && answer->has_value());
        QCOMPARE(**answer, (QList<NotificationId>{11}));
        QCOMPARE(rig.fanOut.acknowledgements.size(), 1);
        QCOMPARE(rig.fanOut.acknowledgements[0].first, QStringLiteral("alice"));
        QCOMPARE(rig.fanOut.acknowledgements[0].second, (QList<NotificationId>{11}));
        QCOMPARE(rig.metrics.acknowledgements.load(), 1u);
    }

    void failedAcknowledgeTellsNoSession()
    {
        Rig rig;
        rig.repository.failNext = Error{ErrorCode::Unavailable, QStringLiteral("down")};
        bool failed = false;
        rig.service.acknowledge(QStringLiteral("alice"), {11}, nullptr,
                                [&](Result<QList<NotificationId>> r) { failed = !r; });
        rig.repository.flush();
        QVERIFY(failed);
        QVERIFY(rig.fanOut.acknowledgements.isEmpty());
    }

    void removeIsConfinedToTheProducersApplication()
    {
        Rig rig;
        rig.publish({note("ops", "deploys")}, producer("ops"));
        rig.repository.flush();
        const NotificationId id = rig.repository.stored.first().id;
        std::optional<Result<Notification>> answer;
        auto keep = [&](Result<Notification> r) { answer = std::move(r); };

        rig.service.remove(id, user("alice"), nullptr, keep);
        QVERIFY(answer && !answer->has_value());
        QCOMPARE(answer->error().code, ErrorCode::Forbidden); // users delete nothing
        QCOMPARE(rig.repository.pending(), 0);

        rig.service.remove(id, producer("billing"), nullptr, keep);
        rig.repository.flush();
        QCOMPARE(answer->error().code, ErrorCode::Forbidden);
        QVERIFY(rig.fanOut.deletions.isEmpty());
        QCOMPARE(rig.repository.stored.size(), 1);

        rig.service.remove(id, producer("ops"), nullptr, keep);
        rig.repository.flush();
        QVERIFY(answer->has_value());
        QCOMPARE(rig.fanOut.deletions, (QList<NotificationId>{id}));
        QVERIFY(rig.repository.stored.isEmpty());
    }

    void backlogOfAFreshSessionIsTheLastFetchLast()
    {
        Rig rig;
        RegisterMessage message;
        message.fetchLast = 7;
        rig.service.backlog(QStringLiteral("alice"), message, nullptr, [](auto) {});
        QCOMPARE(rig.repository.lastBacklog.user, QStringLiteral("alice"));
        QCOMPARE(rig.repository.lastBacklog.limit, 7);
        QVERIFY(!rig.repository.lastBacklog.afterId);
        QCOMPARE(rig.repository.lastBacklog.countUpTo, 0); // fetchLast is all it asked for
    }

    void resumeFetchesEverythingMissed_data()
    {
        QTest::addColumn<bool>("clustered");
        QTest::newRow("single node") << false;
        QTest::newRow("cluster") << true;
    }
    void resumeFetchesEverythingMissed()
    {
        QFETCH(bool, clustered);
        Rig rig;
        rig.peers.clustered = clustered;
        RegisterMessage message;
        message.fetchLast = 7;
        const NotificationId last = IdGenerator(1).next();
        message.lastNotificationId = last;
        rig.service.backlog(QStringLiteral("alice"), message, nullptr, [](auto) {});
        QCOMPARE(rig.repository.lastBacklog.limit, rig.config.limits.maxResume);
        // And how much was missed beyond that, for `backlogDone`.
        QCOMPARE(rig.repository.lastBacklog.countUpTo, NotificationService::MissedCountCap);
        QVERIFY(rig.repository.lastBacklog.afterId);
        if (!clustered) {
            QCOMPARE(*rig.repository.lastBacklog.afterId, last);
        } else {
            // A margin of id space for relayed notifications that arrive late.
            const qint64 margin = qint64(10'000)
                                  << (IdGenerator::NodeBits + IdGenerator::SequenceBits);
            QCOMPARE(*rig.repository.lastBacklog.afterId, last - margin);
        }
    }

    void noBacklogWhenNoneIsAsked()
    {
        Rig rig;
        bool answered = false;
        rig.service.backlog(QStringLiteral("alice"), RegisterMessage{}, nullptr,
                            [&](Result<Backlog> r) { answered = r && r->notifications.isEmpty(); });
        QVERIFY(answered);
        QCOMPARE(rig.repository.pending(), 0);
    }

    void actingUser_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("named");
        QTest::addColumn<QString>("expected"); // empty: refused
        QTest::addColumn<int>("code");
        const int U = int(TokenKind::User), A = int(TokenKind::Admin), P = int(TokenKind::Producer);
        QTest::newRow("user, own") << U << QStringLiteral("") << QStringLiteral("alice") << 0;
        QTest::newRow("user, named self")
            << U << QStringLiteral("alice") << QStringLiteral("alice") << 0;
        QTest::newRow("user, other")
            << U << QStringLiteral("bob") << QStringLiteral("") << int(ErrorCode::Forbidden);
        QTest::newRow("admin, named") << A << QStringLiteral("bob") << QStringLiteral("bob") << 0;
        QTest::newRow("admin, none")
            << A << QStringLiteral("") << QStringLiteral("") << int(ErrorCode::BadRequest);
        QTest::newRow("admin, bad name")
            << A << QStringLiteral("b b") << QStringLiteral("") << int(ErrorCode::BadRequest);
        QTest::newRow("producer") << P << QStringLiteral("alice") << QStringLiteral("")
                                  << int(ErrorCode::Forbidden);
    }
    void actingUser()
    {
        QFETCH(int, kind);
        QFETCH(QString, named);
        QFETCH(QString, expected);
        QFETCH(int, code);
        Principal principal{TokenKind(kind), QStringLiteral("ops"), QStringLiteral("alice"), 1};
        const auto user = NotificationService::actingUser(principal, named);
        if (expected.isEmpty()) {
            QVERIFY(!user);
            QCOMPARE(int(user.error().code), code);
        } else {
            QVERIFY(user);
            QCOMPARE(*user, expected);
        }
    }

    void sessionUser_data()
    {
        QTest::addColumn<int>("kind"); // -1: no valid token
        QTest::addColumn<bool>("hermes");
        QTest::addColumn<bool>("subscribes"); // false: `subscriptions: []`
        QTest::addColumn<QString>("named");
        QTest::addColumn<QString>("clientId");
        // The user; empty: a publishing session; "!unauthorized", "!bad_request": refused.
        QTest::addColumn<QString>("expected");
        const int U = int(TokenKind::User), A = int(TokenKind::Admin), P = int(TokenKind::Producer);
        const QString none, alice = QStringLiteral("alice"), bob = QStringLiteral("bob"),
                            laptop = QStringLiteral("laptop"),
                            unauthorized = QStringLiteral("!unauthorized"),
                            badRequest = QStringLiteral("!bad_request");
        QTest::newRow("no token") << -1 << false << true << alice << none << unauthorized;
        QTest::newRow("producer") << P << false << true << alice << none << unauthorized;
        QTest::newRow("producer, subscriptions")
            << P << false << true << none << none << unauthorized;
        QTest::newRow("producer, publishing") << P << false << false << none << none << none;
        QTest::newRow("producer, publishing, names")
            << P << false << false << alice << none << unauthorized;
        QTest::newRow("user, own") << U << false << true << none << none << alice;
        QTest::newRow("user, names self") << U << false << true << alice << none << alice;
        QTest::newRow("user, names other") << U << false << true << bob << none << unauthorized;
        QTest::newRow("user, no subscriptions")
            << U << false << false << none << none << badRequest;
        QTest::newRow("user, hermes names other") << U << true << true << bob << laptop << alice;
        QTest::newRow("admin, names") << A << false << true << bob << laptop << bob;
        QTest::newRow("admin, names, no subscriptions")
            << A << false << false << bob << laptop << bob;
        QTest::newRow("admin, names none") << A << false << true << none << laptop << unauthorized;
        QTest::newRow("admin, publishing") << A << false << false << none << laptop << none;
        QTest::newRow("admin, hermes client id") << A << true << true << bob << laptop << laptop;
    }
    void sessionUser()
    {
        QFETCH(int, kind);
        QFETCH(bool, hermes);
        QFETCH(bool, subscribes);
        QFETCH(QString, named);
        QFETCH(QString, clientId);
        QFETCH(QString, expected);
        std::optional<Principal> principal;
        if (kind >= 0)
            principal =
                Principal{TokenKind(kind), QStringLiteral("ops"), QStringLiteral("alice"), 1};
        RegisterMessage message;
        message.user = named;
        message.clientId = clientId;
        if (subscribes)
            message.subscriptions = {{QStringLiteral("ops"), {QStringLiteral("builds")}}};
        const auto user = NotificationService::sessionUser(principal, message, hermes);
        if (expected.startsWith(u'!')) {
            QVERIFY(!user);
            QCOMPARE(u'!' + errorCodeName(user.error().code), expected);
        } else {
            QVERIFY2(user, qPrintable(user ? QString() : user.error().message));
            QCOMPARE(*user, expected);
        }
    }
};

QTEST_GUILESS_MAIN(TestNotificationService)
#include "tst_notificationservice.moc"
