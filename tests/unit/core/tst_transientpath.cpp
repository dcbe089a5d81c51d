// SPDX-License-Identifier: Apache-2.0
// NotificationService's path for transient publishes that skips the store: a channel the store
// has confirmed needs no trip there, a new channel of a confirmed application is made behind
// its first notification, and the order rule holds transients behind a publish at the store.
// The rest of the service is tst_notificationservice's.
#include "fakes.h"
#include "publishrig.h"

#include "core/notificationservice.h"
#include "core/preferencebook.h"
#include "metrics/metrics.h"

#include <QJsonDocument>
#include <QTest>

using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::testing;

class TestTransientPath : public QObject
{
    Q_OBJECT

    using Rig = PublishRig;

    // New channels are gathered for NotificationService::ChannelMakingDelayMs first.
    static void waitForChannelMaking()
    {
        QTest::qWait(NotificationService::ChannelMakingDelayMs * 3);
    }

private Q_SLOTS:
    // Mutation caught: learnStoredChannels remembering nothing (or with the ids swapped).
    void channelsTheStoreHoldsAreKnownFromTheStart()
    {
        Rig rig;
        rig.repository.channels = {{QStringLiteral("ops"), QStringLiteral("deploys"), 7, 9}};
        rig.service.learnStoredChannels();
        rig.repository.flush();
        auto answer = rig.publish({note("ops", "deploys", false)}, producer("ops"));
        QCOMPARE(rig.repository.inserts, 0); // no trip to the store
        QVERIFY(answer && *answer);
        QCOMPARE((*answer)->first().applicationId, 7);
        QCOMPARE((*answer)->first().channelId, 9);
        QCOMPARE(rig.fanOut.published.size(), 1);
        // A channel the store did not list still goes there.
        rig.publish({note("shop", "orders", false)}, producer("shop"));
        QCOMPARE(rig.repository.inserts, 1);
    }

    void channelsUnreadAtStartAreLearntFromPublishes()
    {
        Rig rig;
        rig.repository.channels = {{QStringLiteral("ops"), QStringLiteral("deploys"), 7, 9}};
        rig.repository.failNext = Error::internal(QStringLiteral("disk on fire"));
        rig.service.learnStoredChannels();
        rig.repository.flush();
        rig.publish({note("ops", "deploys", false)}, producer("ops"));
        QCOMPARE(rig.repository.inserts, 1); // unknown: the store resolves it
        rig.repository.flush();
        QVERIFY(*rig.m_answers.last());
    }

    void transientToAConfirmedChannelSkipsTheStore()
    {
        Rig rig;
        rig.peers.clustered = true;
        rig.publish({note("ops", "deploys", false)}, producer("ops"));
        QCOMPARE(rig.repository.inserts, 1); // unknown channel: the store resolves it
        rig.repository.flush();
        rig.publish({note("ops", "deploys", false)}, producer("ops"));
        QCOMPARE(rig.repository.inserts, 1); // known now: straight to the sessions
        QVERIFY(*rig.m_answers.last());      // answered at once
        QCOMPARE(rig.fanOut.published.size(), 2);
        QCOMPARE(rig.peers.relayed.size(), 2);
        QCOMPARE(rig.metrics.notificationsTransient.load(), 2u);
    }

    void digestersWhoFollowNothingThereCostNoStore()
    {
        Rig rig;
        rig.preferences.load(
            {{QStringLiteral("bob"),
              PreferenceBook::entryOf(QStringLiteral("bob"),
                                      QJsonDocument::fromJson(R"({"default":{"delivery":"digest",
                                       "digest":"hourly"}})")
                                          .object())}});
        rig.follows.load(
            {{QStringLiteral("bob"), QStringLiteral("ops"), QStringLiteral("misc"), 1}});
        rig.publish({note("ops", "deploys", false)}, producer("ops"));
        rig.repository.flush(); // the channel is known from here on
        QCOMPARE(rig.repository.inserts, 1);
        rig.publish({note("ops", "deploys", false)}, producer("ops"));
        QCOMPARE(rig.repository.inserts, 1); // bob does not follow deploys: no item, no store
        QVERIFY(rig.repository.insertedDigestItems.isEmpty());

        rig.follows.add(QStringLiteral("bob"), {{QStringLiteral("ops"), {}}});
        rig.publish({note("ops", "deploys", false)}, producer("ops"));
        QCOMPARE(rig.repository.inserts, 2); // now he does: the item goes with it
        QCOMPARE(rig.repository.insertedDigestItems.size(), 1);
        QCOMPARE(rig.repository.insertedDigestItems.first().user, QStringLiteral("bob"));
    }

    void transientWaitsBehindAPublishAtTheStore()
    {
        // The ordering rule: sessions see notifications in id order, so a transient publish
        // must not overtake a persistent one that is still waiting for its commit.
        Rig rig;
        rig.publish({note("ops", "deploys", false)}, producer("ops"));
        rig.repository.flush(); // the channel is known from here on
        rig.fanOut.published.clear();
        rig.publish({note("ops", "deploys", true)}, producer("ops"));
        rig.publish({note("ops", "deploys", false)}, producer("ops"));
        QVERIFY(rig.fanOut.published.isEmpty()); // the transient one waits its turn
        QCOMPARE(rig.repository.pending(), 2);
        rig.repository.flush();
        QCOMPARE(rig.fanOut.published.size(), 2);
        QVERIFY(rig.fanOut.published[0] < rig.fanOut.published[1]);
        // Once nothing waits, transients skip the store again.
        rig.publish({note("ops", "deploys", false)}, producer("ops"));
        QCOMPARE(rig.repository.pending(), 0);
        QCOMPARE(rig.fanOut.published.size(), 3);
    }

    void newChannelOfAKnownApplicationIsMadeWithoutWaiting()
    {
        Rig rig;
        rig.publish({note("ops", "deploys", false)}, producer("ops"));
        rig.repository.flush(); // ops is known from here on
        QCOMPARE(rig.fanOut.published.size(), 1);

        // A new channel of ops: its first notifications reach the sessions and are answered at
        // once; one insert makes the channel behind them, a moment later.
        QVERIFY(rig.publish({note("ops", "builds", false)}, producer("ops")).has_value());
        QVERIFY(rig.publish({note("ops", "builds", false)}, producer("ops")).has_value());
        QCOMPARE(rig.fanOut.published.size(), 3);
        QCOMPARE(rig.repository.inserts, 1);
        waitForChannelMaking();
        QCOMPARE(rig.repository.inserts, 2);
        QCOMPARE(rig.repository.pending(), 1);
        // Later publishes are not held behind the insert.
        QVERIFY(rig.publish({note("ops", "deploys", false)}, producer("ops")).has_value());
        QCOMPARE(rig.fanOut.published.size(), 4);
        rig.repository.flush();
        QVERIFY(rig.publish({note("ops", "builds", false)}, producer("ops")).has_value());
        QCOMPARE(rig.repository.inserts, 2); // made: known now
        QCOMPARE(rig.metrics.notificationsTransient.load(), 5u);
    }

    void aChannelThatCouldNotBeMadeIsTriedAgain()
    {
        // The store refused to make it (the application deleted, perhaps by another node):
        // the application's next publishes wait for the store again, which answers them and
        // makes the channel, and the application's other channels are asked about again.
        Rig rig;
        rig.publish({note("ops", "deploys", false)}, producer("ops"));
        rig.repository.flush();
        rig.repository.failNext = Error{ErrorCode::NotFound, QStringLiteral("application: gone")};
        QVERIFY(rig.publish({note("ops", "builds", false)}, producer("ops")).has_value());
        waitForChannelMaking();
        rig.repository.flush();
        QVERIFY(!rig.publish({note("ops", "builds", false)}, producer("ops")).has_value());
        QVERIFY(!rig.publish({note("ops", "deploys", false)}, producer("ops")).has_value());
        QCOMPARE(rig.repository.inserts, 4); // through the store, each
        rig.repository.flush();
        QVERIFY(rig.m_answers.last()->has_value());
        QVERIFY(rig.publish({note("ops", "builds", false)}, producer("ops")).has_value());
        waitForChannelMaking();
        QCOMPARE(rig.repository.inserts, 4); // known again
    }

    void oneApplicationsRefusalLeavesTheOthersChannels()
    {
        Rig rig;
        for (const char *app : {"ops", "web"}) {
            rig.publish({note(app, "deploys", false)}, producer(app));
            rig.repository.flush();
        }
        rig.repository.failNext = Error{ErrorCode::NotFound, QStringLiteral("application: gone")};
        QVERIFY(rig.publish({note("ops", "builds", false)}, producer("ops")).has_value());
        QVERIFY(rig.publish({note("web", "builds", false)}, producer("web")).has_value());
        waitForChannelMaking();
        QCOMPARE(rig.repository.inserts, 4); // one insert per application
        rig.repository.flush();              // the first (ops) is refused, web's made
        QVERIFY(rig.publish({note("web", "builds", false)}, producer("web")).has_value());
        QCOMPARE(rig.repository.inserts, 4); // web's is known
        QVERIFY(!rig.publish({note("ops", "builds", false)}, producer("ops")).has_value());
        QCOMPARE(rig.repository.inserts, 5); // ops waits for the store again
    }

    void newChannelsOfOneTurnAreMadeByOneInsert()
    {
        // A producer opening many channels at once: one store operation for all that are new
        // within the delay, each channel once, and all of them known once it is committed.
        Rig rig;
        rig.publish({note("ops", "deploys", false)}, producer("ops"));
        rig.repository.flush();
        for (const char *channel : {"a", "b", "c", "a", "b"})
            QVERIFY(rig.publish({note("ops", channel, false)}, producer("ops")).has_value());
        QCOMPARE(rig.repository.inserts, 1);
        waitForChannelMaking();
        QCOMPARE(rig.repository.inserts, 2);
        QCOMPARE(rig.repository.pending(), 1);
        QCOMPARE(rig.repository.lastInserted.size(), 3);
        // One still on its way is not asked for again.
        QVERIFY(rig.publish({note("ops", "c", false)}, producer("ops")).has_value());
        waitForChannelMaking();
        QCOMPARE(rig.repository.inserts, 2);
        rig.repository.flush();
        for (const char *channel : {"a", "b", "c"})
            QVERIFY(rig.publish({note("ops", channel, false)}, producer("ops")).has_value());
        waitForChannelMaking();
        QCOMPARE(rig.repository.inserts, 2); // all three known now
    }

    void newChannelWaitsForTheStoreWhenItMayBeRefused()
    {
        // An application the store has not confirmed, or channels that are not made on first
        // publish: the store may answer 404, so the publish waits for it.
        Rig rig;
        QVERIFY(!rig.publish({note("ops", "deploys", false)}, producer("ops")).has_value());
        rig.repository.flush();
        QVERIFY(rig.m_answers.last()->has_value());
        rig.config.autoCreateChannels = false;
        QVERIFY(!rig.publish({note("ops", "builds", false)}, producer("ops")).has_value());
        QCOMPARE(rig.fanOut.published.size(), 1);
        rig.repository.flush();
        QCOMPARE(rig.fanOut.published.size(), 2);
    }

    void deletingAnApplicationForgetsItsChannels()
    {
        Rig rig;
        rig.publish({note("ops", "deploys", false)}, producer("ops"));
        rig.repository.flush();
        rig.known.forgetApplication(QStringLiteral("ops"));
        QVERIFY(!rig.publish({note("ops", "deploys", false)}, producer("ops")).has_value());
        QCOMPARE(rig.repository.inserts, 2); // through the store again, waiting for it
        QVERIFY(!rig.publish({note("ops", "builds", false)}, producer("ops")).has_value());
    }
};

QTEST_GUILESS_MAIN(TestTransientPath)
#include "tst_transientpath.moc"
