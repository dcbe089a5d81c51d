// SPDX-License-Identifier: Apache-2.0
// Routing to endpoints in the core: behaviour groups as PUT (Behavior::fromJson, field-named
// errors), which notifications a group matches (channels, codes, a minimum level in the
// application's registered order), the RoutingTable's endpoints per notification (enabled only,
// each once), and NotificationService::publish storing one outbox job per notification and
// endpoint with the notifications, transient ones included.
#include "core/behavior.h"
#include "core/eventtyperules.h"
#include "fakes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::testing;

namespace {

Application operations()
{
    Application app;
    app.name = u"ops"_s;
    app.eventTypes = {
        EventType{u"deploy"_s,
                  {},
                  {Level{u"info"_s, {}}, Level{u"warning"_s, {}}, Level{u"error"_s, {}}}},
        EventType{u"backup"_s, {}, {Level{u"error"_s, {}}, Level{u"info"_s, {}}}}};
    return app;
}

Notification eventOf(const QString &channel, const QString &code, const QString &level,
                     bool persistent = true)
{
    Notification n;
    n.application = u"ops"_s;
    n.channel = channel;
    n.title = u"t"_s;
    n.code = code;
    n.level = level;
    n.persistent = persistent;
    return n;
}

Behavior behaviorOf(const QString &name, const QByteArray &json)
{
    auto parsed = Behavior::fromJson(u"ops"_s, name, QJsonDocument::fromJson(json).object());
    if (!parsed)
        qFatal("behaviour '%s' does not parse: %s", qPrintable(name),
               qPrintable(parsed.error().message));
    return *parsed;
}

Principal producer()
{
    return {TokenKind::Producer, u"ops"_s, {}, 7};
}

} // namespace

class TestRouting : public QObject
{
    Q_OBJECT

private slots:
    void badBehaviorsNameTheField_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("field");
        QTest::newRow("no endpoints") << QByteArray(R"({"match":{}})") << u"endpoints"_s;
        QTest::newRow("empty endpoints") << QByteArray(R"({"endpoints":[]})") << u"endpoints"_s;
        QTest::newRow("bad endpoint")
            << QByteArray(R"({"endpoints":["ok","no spaces"]})") << u"endpoints[1]"_s;
        QTest::newRow("match not object")
            << QByteArray(R"({"match":[],"endpoints":["a"]})") << u"match"_s;
        QTest::newRow("unknown match field")
            << QByteArray(R"({"match":{"level":"x"},"endpoints":["a"]})") << u"match.level"_s;
        QTest::newRow("codes not names")
            << QByteArray(R"({"match":{"codes":["a",3]},"endpoints":["a"]})")
            << u"match.codes[1]"_s;
        QTest::newRow("channels not array")
            << QByteArray(R"({"match":{"channels":"c"},"endpoints":["a"]})") << u"match.channels"_s;
        QTest::newRow("minLevel not a name")
            << QByteArray(R"({"match":{"minLevel":7},"endpoints":["a"]})") << u"match.minLevel"_s;
        QTest::newRow("unknown field")
            << QByteArray(R"({"endpoints":["a"],"filter":{}})") << u"filter"_s;
        QTest::newRow("another name")
            << QByteArray(R"({"name":"c","endpoints":["a"]})") << u"name"_s;
        QTest::newRow("another application")
            << QByteArray(R"({"application":"x","endpoints":["a"]})") << u"application"_s;
    }

    void badBehaviorsNameTheField()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, field);
        auto parsed = Behavior::fromJson(u"ops"_s, u"b"_s, QJsonDocument::fromJson(json).object());
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, ErrorCode::BadRequest);
        QVERIFY2(parsed.error().message.startsWith(field + u": "_s),
                 qPrintable(parsed.error().message));
    }

    void aBehaviorReadsBackAsItWasPut()
    {
        const Behavior b = behaviorOf(
            u"errors"_s,
            R"({"match":{"channels":["prod","prod","api"],"minLevel":"warning"},"endpoints":["pager","chat"]})");
        QCOMPARE(b.channels.size(), 2); // repeats taken once
        const QJsonObject json = b.toJson();
        QCOMPARE(json.value(u"match").toObject().value(u"channels").toArray(),
                 QJsonArray({u"api"_s, u"prod"_s}));
        QCOMPARE(json.value(u"endpoints").toArray(), QJsonArray({u"pager"_s, u"chat"_s}));
        auto again = Behavior::fromJson(u"ops"_s, u"errors"_s, json);
        QVERIFY(again);
        QCOMPARE(again->toJson(), json);
    }

    void matchingFollowsChannelsCodesAndTheRegisteredLevelOrder()
    {
        const EventTypeRules rules(operations());
        const Behavior b = behaviorOf(
            u"b"_s,
            R"({"match":{"channels":["prod"],"codes":["deploy"],"minLevel":"warning"},"endpoints":["e"]})");
        QVERIFY(b.matches(eventOf(u"prod"_s, u"deploy"_s, u"warning"_s), rules));
        QVERIFY(b.matches(eventOf(u"prod"_s, u"deploy"_s, u"error"_s), rules));
        QVERIFY(!b.matches(eventOf(u"prod"_s, u"deploy"_s, u"info"_s), rules));
        QVERIFY(!b.matches(eventOf(u"test"_s, u"deploy"_s, u"error"_s), rules));
        QVERIFY(!b.matches(eventOf(u"prod"_s, u"backup"_s, u"error"_s), rules));
        Notification elsewhere = eventOf(u"prod"_s, u"deploy"_s, u"error"_s);
        elsewhere.application = u"other"_s;
        QVERIFY(!b.matches(elsewhere, rules));
        // Each code has its own order: for backups "error" comes first, so it does not reach
        // "info"; a level the code does not register reaches no minimum.
        const Behavior backups =
            behaviorOf(u"b"_s, R"({"match":{"minLevel":"info"},"endpoints":["e"]})");
        QVERIFY(backups.matches(eventOf(u"x"_s, u"backup"_s, u"info"_s), rules));
        QVERIFY(!backups.matches(eventOf(u"x"_s, u"backup"_s, u"error"_s), rules));
        QVERIFY(!backups.matches(eventOf(u"x"_s, u"backup"_s, u"fatal"_s), rules));
        QVERIFY(!backups.matches(eventOf(u"x"_s, u"unknown"_s, u"info"_s), rules));
        // Without a minimum, any level of any code.
        const Behavior all = behaviorOf(u"b"_s, R"({"endpoints":["e"]})");
        QVERIFY(all.matches(eventOf(u"x"_s, u"unknown"_s, u"whatever"_s), rules));
    }

    void theTableNamesEnabledEndpointsOnceInGroupOrder()
    {
        EventCatalog catalog;
        catalog.replaceAll({{u"ops"_s, EventTypeRules(operations())}});
        RoutingTable table;
        QVERIFY(!table.routesAnything());
        table.replaceAll(
            {behaviorOf(u"z-all"_s, R"({"endpoints":["chat","audit"]})"),
             behaviorOf(u"a-errors"_s,
                        R"({"match":{"minLevel":"error"},"endpoints":["pager","chat"]})")},
            {u"chat"_s, u"pager"_s, u"audit"_s});
        QCOMPARE(table.endpointsFor(eventOf(u"c"_s, u"deploy"_s, u"error"_s), catalog),
                 (QStringList{u"pager"_s, u"chat"_s, u"audit"_s}));
        QCOMPARE(table.endpointsFor(eventOf(u"c"_s, u"deploy"_s, u"info"_s), catalog),
                 (QStringList{u"chat"_s, u"audit"_s}));
        table.setEndpointEnabled(u"chat"_s, false);
        QCOMPARE(table.endpointsFor(eventOf(u"c"_s, u"deploy"_s, u"info"_s), catalog),
                 (QStringList{u"audit"_s}));
        table.remove(u"ops"_s, u"z-all"_s);
        QCOMPARE(table.endpointsFor(eventOf(u"c"_s, u"deploy"_s, u"info"_s), catalog),
                 QStringList());
        table.forgetApplication(u"ops"_s);
        QVERIFY(!table.routesAnything());
    }

    void publishStoresAJobPerNotificationAndEndpointWithIt()
    {
        CoreRig rig;
        rig.eventTypes.remember(operations());
        rig.routing.replaceAll(
            {behaviorOf(u"errors"_s, R"({"match":{"minLevel":"error"},"endpoints":["a","b"]})")},
            {u"a"_s, u"b"_s});
        QSignalSpy added(&rig.service, &NotificationService::deliveriesAdded);
        std::optional<Result<QList<Notification>>> answer;
        rig.service.publish(
            {eventOf(u"c"_s, u"deploy"_s, u"error"_s), eventOf(u"c"_s, u"deploy"_s, u"info"_s),
             eventOf(u"c"_s, u"deploy"_s, u"error"_s, false)},
            true, producer(), [&answer](Result<QList<Notification>> r) { answer = std::move(r); });
        QCOMPARE(added.count(), 0); // not before the commit
        rig.repository.flush();
        QVERIFY(answer && *answer);
        QCOMPARE(added.count(), 1);
        const QList<DeliveryJob> &jobs = rig.repository.insertedJobs;
        QCOMPARE(jobs.size(), 4); // two notifications (one transient) times two endpoints
        QSet<QString> ids;
        for (const DeliveryJob &job : jobs) {
            ids.insert(job.id);
            QCOMPARE(job.node, 5);
            QCOMPARE(job.status, DeliveryStatus::Pending);
            QVERIFY(job.nextAttemptMs <= QDateTime::currentMSecsSinceEpoch());
            const QJsonObject payload = QJsonDocument::fromJson(job.payload).object();
            QCOMPARE(payload.value(u"id").toInteger(), job.notificationId);
            QCOMPARE(payload.value(u"level").toString(), u"error"_s);
        }
        QCOMPARE(ids.size(), 4); // a Herald-Delivery id per job
        QCOMPARE(jobs[0].notificationId, (*answer)->at(0).id);
        QCOMPARE(jobs[2].notificationId, (*answer)->at(2).id);
    }

    void aRoutedTransientPublishGoesThroughTheStore()
    {
        CoreRig rig;
        rig.eventTypes.remember(operations());
        rig.known.remember({[] {
            Notification n = eventOf(u"c"_s, u"deploy"_s, u"info"_s);
            n.applicationId = 1;
            n.channelId = 2;
            return n;
        }()});
        std::optional<Result<QList<Notification>>> answer;
        auto publish = [&](const QString &level) {
            rig.service.publish(
                {eventOf(u"c"_s, u"deploy"_s, level, false)}, false, producer(),
                [&answer](Result<QList<Notification>> r) { answer = std::move(r); });
        };
        publish(u"info"_s);
        QVERIFY(answer && *answer); // known channel, nothing routed: straight to the sessions
        QCOMPARE(rig.repository.inserts, 0);
        rig.routing.replaceAll({behaviorOf(u"all"_s, R"({"endpoints":["a"]})")}, {u"a"_s});
        answer.reset();
        publish(u"info"_s);
        QVERIFY(!answer); // its job must be committed first
        QCOMPARE(rig.repository.inserts, 1);
        rig.repository.flush();
        QVERIFY(answer && *answer);
        QCOMPARE(rig.repository.insertedJobs.size(), 1);
        QCOMPARE(rig.repository.stored.size(), 0); // the notification itself is not stored
    }
};

QTEST_GUILESS_MAIN(TestRouting)
#include "tst_routing.moc"
