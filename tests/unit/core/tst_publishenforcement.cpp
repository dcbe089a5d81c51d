// SPDX-License-Identifier: Apache-2.0
// NotificationService::publish against the applications' event types: refused publishes name
// the field and reach neither the store nor the sessions, batches are all or nothing, and a
// publish that comes before the catalog's first load waits for it in order.
#include "fakes.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::testing;

namespace {
Application deployments(bool acceptUnknownEvents = false)
{
    Application app;
    app.name = u"ops"_s;
    app.eventTypes = {
        EventType{u"deploy"_s, {}, {Level{u"started"_s, {}}, Level{u"failed"_s, {}}}}};
    app.acceptUnknownEvents = acceptUnknownEvents;
    return app;
}

Notification eventOf(const QString &code, const QString &level, bool persistent = true)
{
    Notification n;
    n.application = u"ops"_s;
    n.channel = u"deploys"_s;
    n.title = u"t"_s;
    n.code = code;
    n.level = level;
    n.persistent = persistent;
    return n;
}

Principal producer()
{
    return {TokenKind::Producer, u"ops"_s, {}, 7};
}

using Answer = std::optional<Result<QList<Notification>>>;
} // namespace

class TestPublishEnforcement : public QObject
{
    Q_OBJECT

    static Answer publish(NotificationService &service, QList<Notification> list, bool batch)
    {
        Answer answer;
        service.publish(std::move(list), batch, producer(),
                        [&answer](Result<QList<Notification>> r) { answer = std::move(r); });
        return answer;
    }

private slots:
    void registeredEventsArePublished()
    {
        CoreRig rig;
        rig.eventTypes.remember(deployments());
        QVERIFY(!publish(rig.service, {eventOf(u"deploy"_s, u"failed"_s)}, false));
        rig.repository.flush();
        QCOMPARE(rig.repository.stored.size(), 1);
        QCOMPARE(rig.fanOut.published.size(), 1);
    }

    void unknownCodeIsRefusedAndNothingStored()
    {
        CoreRig rig;
        rig.eventTypes.remember(deployments());
        const Answer answer = publish(rig.service, {eventOf(u"rollback"_s, u"started"_s)}, false);
        QVERIFY(answer && !*answer); // at once, without a trip to the store
        QCOMPARE(answer->error().code, ErrorCode::BadRequest);
        QCOMPARE(answer->error().message,
                 u"code: 'rollback' is not an event type of application 'ops' (one of: deploy)"_s);
        QCOMPARE(rig.repository.inserts, 0);
        QVERIFY(rig.fanOut.published.isEmpty());
    }

    void batchIsRefusedWholeNamingTheItem()
    {
        CoreRig rig;
        rig.eventTypes.remember(deployments());
        const Answer answer =
            publish(rig.service,
                    {eventOf(u"deploy"_s, u"started"_s), eventOf(u"deploy"_s, u"done"_s)}, true);
        QVERIFY(answer && !*answer);
        QVERIFY2(answer->error().message.startsWith(
                     u"[1].level: 'done' is not a level of event type 'deploy'"_s),
                 qPrintable(answer->error().message));
        QCOMPARE(rig.repository.inserts, 0);
        QVERIFY(rig.fanOut.published.isEmpty());
    }

    void transientPublishesAreCheckedToo()
    {
        CoreRig rig;
        rig.eventTypes.remember(deployments());
        // A confirmed channel: a transient publish would skip the store.
        Notification known = eventOf(u"deploy"_s, u"started"_s, false);
        known.applicationId = 1;
        known.channelId = 2;
        rig.known.remember({known});
        const Answer answer = publish(rig.service, {eventOf(u"oops"_s, {}, false)}, false);
        QVERIFY(answer && !*answer);
        QVERIFY(answer->error().message.startsWith(u"code: 'oops'"_s));
        QVERIFY(rig.fanOut.published.isEmpty());
        QVERIFY(rig.peers.relayed.isEmpty());
    }

    void acceptUnknownEventsLetsEverythingThrough()
    {
        CoreRig rig;
        rig.eventTypes.remember(deployments(true));
        QVERIFY(!publish(rig.service, {eventOf(u"rollback"_s, u"whatever"_s)}, false));
        rig.repository.flush();
        QCOMPARE(rig.repository.stored.size(), 1);
    }

    void applicationsWithoutEventTypesAreUnchecked()
    {
        CoreRig rig; // the catalog knows no application
        QVERIFY(!publish(rig.service, {eventOf(u"anything"_s, u"goes"_s), eventOf({}, {})}, true));
        rig.repository.flush();
        QCOMPARE(rig.repository.stored.size(), 2);
    }

    void publishesBeforeTheFirstLoadWaitInOrder()
    {
        CoreRig rig;
        EventCatalog loading; // not loaded yet
        NotificationService service{{rig.config, rig.repository, rig.fanOut, rig.peers, rig.metrics,
                                     rig.known, loading, rig.routing, rig.preferences, rig.follows,
                                     rig.arrivals, rig.liveSessions}};
        QList<QString> answers;
        for (const QString &code : {u"deploy"_s, u"rollback"_s, u"deploy"_s}) {
            service.publish({eventOf(code, u"started"_s)}, false, producer(),
                            [&answers, code](Result<QList<Notification>> r) {
                                answers << (r ? u"stored "_s : u"refused "_s) + code;
                            });
        }
        QCOMPARE(rig.repository.inserts, 0);
        loading.replaceAll({{u"ops"_s, EventTypeRules(deployments())}});
        QCOMPARE(rig.repository.inserts, 2); // checked against what was loaded
        rig.repository.flush();
        QCOMPARE(answers,
                 (QList<QString>{u"refused rollback"_s, u"stored deploy"_s, u"stored deploy"_s}));
        QCOMPARE(rig.repository.stored.size(), 2);
        QVERIFY(rig.repository.stored[0].id < rig.repository.stored[1].id);
    }

    void aFailedFirstLoadAnswersTheWaitingPublishes()
    {
        CoreRig rig;
        EventCatalog loading;
        NotificationService service{{rig.config, rig.repository, rig.fanOut, rig.peers, rig.metrics,
                                     rig.known, loading, rig.routing, rig.preferences, rig.follows,
                                     rig.arrivals, rig.liveSessions}};
        Answer answer;
        service.publish({eventOf(u"deploy"_s, u"started"_s)}, false, producer(),
                        [&answer](Result<QList<Notification>> r) { answer = std::move(r); });
        QVERIFY(!answer);
        loading.loadFailed(Error{ErrorCode::Unavailable, u"database: unreachable"_s});
        QVERIFY(answer && !*answer);
        QCOMPARE(answer->error().code, ErrorCode::Unavailable);
        QCOMPARE(rig.repository.inserts, 0);
    }

    // The cost the check adds to the publish path, on its fastest road (transient, to a
    // confirmed channel: no store). `-iterations N` for numbers; in ctest it runs once.
    void benchmarkTransientPublish_data()
    {
        QTest::addColumn<bool>("enforced");
        QTest::newRow("no event types") << false;
        QTest::newRow("event types checked") << true;
    }
    void benchmarkTransientPublish()
    {
        QFETCH(bool, enforced);
        CoreRig rig;
        if (enforced)
            rig.eventTypes.remember(deployments());
        Notification known = eventOf(u"deploy"_s, u"started"_s, false);
        known.applicationId = 1;
        known.channelId = 2;
        rig.known.remember({known});
        const QList<Notification> batch(100, eventOf(u"deploy"_s, u"failed"_s, false));
        int published = 0;
        QBENCHMARK
        {
            rig.service.publish(batch, true, producer(),
                                [&published](auto r) { published += r ? int(r->size()) : 0; });
        }
        QVERIFY(published > 0);
    }
};

QTEST_GUILESS_MAIN(TestPublishEnforcement)
#include "tst_publishenforcement.moc"
