// SPDX-License-Identifier: Apache-2.0
// Event types enforced at publish, against a real herald-syncd with real tokens: producers
// register their own application (and no other), publishes outside the registration are
// refused naming the field on every publish route and store nothing, acceptUnknownEvents opts
// out, a change made on the database by someone else reaches the daemon, and a notification
// relayed from a peer is never refused by the event types of the node it reaches.
#include "apihelpers.h"
#include "httpclient.h"
#include "syncdprocess.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {
const QString App = u"deployer"_s;
const QString Channel = u"prod"_s;

// {"eventTypes":[{"id":"deploy","levels":[started, succeeded, failed]},{"id":"note"}]}
QJsonObject registration(bool acceptUnknownEvents = false)
{
    auto levels = [](const QStringList &ids) {
        QJsonArray array;
        for (const QString &id : ids)
            array.append(QJsonObject{{"id"_L1, id}, {"title"_L1, id}});
        return array;
    };
    QJsonObject body{
        {"title"_L1, "Deployer"_L1},
        {"eventTypes"_L1,
         QJsonArray{QJsonObject{{"id"_L1, "deploy"_L1},
                                {"title"_L1, "Deploy"_L1},
                                {"levels"_L1, levels({u"started"_s, u"succeeded"_s, u"failed"_s})}},
                    QJsonObject{{"id"_L1, "note"_L1}, {"title"_L1, "Note"_L1}}}}};
    if (acceptUnknownEvents)
        body.insert("acceptUnknownEvents"_L1, true);
    return body;
}

QJsonObject eventBody(const QString &code, const QString &level = {})
{
    QJsonObject body{{"application"_L1, App}, {"channel"_L1, Channel}, {"message"_L1, "m"_L1}};
    if (!code.isEmpty())
        body.insert("code"_L1, code);
    if (!level.isEmpty())
        body.insert("level"_L1, level);
    return body;
}
} // namespace

class TestEventTypes : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void producerRegistersItsOwnApplicationOnly();
    void registeredEventsArePublished();
    void unknownCodeIsRefusedOnEveryRouteAndNothingStored();
    void unknownLevelIsRefused();
    void batchIsRefusedWholeNamingTheItem();
    void acceptUnknownEventsOptsOut();
    void applicationsWithoutEventTypesTakeAnything();
    void changesMadeOnTheDatabaseReachTheDaemon();
    void relayedNotificationsAreNotRefusedByThePeersEventTypes();

private:
    int storedCount();
    HttpResponse publishAsProducer(const QJsonValue &body);

    SyncdProcess m_syncd;
    HttpClient m_admin;
    HttpClient m_producer;
};

void TestEventTypes::initTestCase()
{
    QVERIFY2(m_syncd.start(), qPrintable(m_syncd.errorString()));
    m_admin.setBaseUrl(m_syncd.httpUrl());
    m_admin.setToken(m_syncd.createToken(u"admin"_s));
    QVERIFY(createApplication(m_admin, App, {Channel}));
    QVERIFY(createApplication(m_admin, u"other"_s));
    QVERIFY(createUser(m_admin, u"alice"_s));
    m_producer.setBaseUrl(m_syncd.httpUrl());
    m_producer.setToken(m_syncd.createToken(u"producer"_s, {u"--app"_s, App}));
    QVERIFY(!m_producer.token().isEmpty());
}

void TestEventTypes::init()
{
    // Every test starts from the registration, as a producer does at its start.
    const HttpResponse put = m_producer.put(u"/api/v1/applications/"_s + App, registration());
    QVERIFY2(put.status == 200 || put.status == 201, put.describe());
}

void TestEventTypes::cleanup()
{
    m_syncd.dumpLogIfFailed();
}

int TestEventTypes::storedCount()
{
    const Listing listing = listAll(m_admin, u"user=alice&application="_s + App);
    if (!listing.ok) {
        qWarning("%s", listing.error.constData());
        return -1;
    }
    return int(listing.items.size());
}

HttpResponse TestEventTypes::publishAsProducer(const QJsonValue &body)
{
    return m_producer.post(u"/api/v1/notifications"_s, body);
}

void TestEventTypes::producerRegistersItsOwnApplicationOnly()
{
    const HttpResponse own = m_producer.put(u"/api/v1/applications/"_s + App, registration());
    QVERIFY2(own.status == 200, own.describe());
    QCOMPARE(own.object().value("name"_L1).toString(), App);
    QCOMPARE(own.object().value("eventTypes"_L1).toArray().size(), 2);
    QCOMPARE(own.object().value("acceptUnknownEvents"_L1), QJsonValue(false));

    const HttpResponse other = m_producer.put(u"/api/v1/applications/other"_s, registration());
    QVERIFY2(other.status == 403, other.describe());
    QCOMPARE(other.errorCode(), u"forbidden"_s);
    // Nothing changed there.
    const HttpResponse untouched = m_admin.get(u"/api/v1/applications/other"_s);
    QCOMPARE(untouched.object().value("eventTypes"_L1).toArray().size(), 0);
    // Still no admin rights otherwise.
    QCOMPARE(m_producer.post(u"/api/v1/users"_s, QJsonObject{{"name"_L1, "mallory"_L1}}).status,
             403);

    // A producer whose application was deleted registers it again.
    const HttpResponse gone = m_producer.del(u"/api/v1/applications/"_s + App);
    QVERIFY2(gone.status == 204, gone.describe());
    const HttpResponse again = m_producer.put(u"/api/v1/applications/"_s + App, registration());
    QVERIFY2(again.status == 201, again.describe());
    QVERIFY(createChannel(m_admin, App, Channel));
}

void TestEventTypes::registeredEventsArePublished()
{
    const int before = storedCount();
    for (const QJsonObject &body : {eventBody(u"deploy"_s, u"started"_s),
                                    eventBody(u"deploy"_s, u"failed"_s), eventBody(u"note"_s)}) {
        const HttpResponse published = publishAsProducer(body);
        QVERIFY2(published.status == 201, published.describe());
        QCOMPARE(published.object().value("code"_L1), body.value("code"_L1));
    }
    QCOMPARE(storedCount(), before + 3);
}

void TestEventTypes::unknownCodeIsRefusedOnEveryRouteAndNothingStored()
{
    const int before = storedCount();
    const QString expected =
        u"code: 'rollback' is not an event type of application 'deployer' (one of: deploy, note)"_s;

    const HttpResponse single = publishAsProducer(eventBody(u"rollback"_s, u"started"_s));
    QVERIFY2(single.status == 400, single.describe());
    QCOMPARE(single.errorCode(), u"bad_request"_s);
    QCOMPARE(single.errorMessage(), expected);

    const HttpResponse hermes =
        m_producer.post(u"/api/notifications"_s, QJsonObject{{"applicationName"_L1, App},
                                                             {"channelName"_L1, Channel},
                                                             {"code"_L1, "rollback"_L1},
                                                             {"message"_L1, "m"_L1}});
    QVERIFY2(hermes.status == 400, hermes.describe());
    QCOMPARE(hermes.errorMessage(), expected);

    const HttpResponse plain =
        m_producer.request("POST", u"/api/v1/publish/%1/%2"_s.arg(App, Channel), "m",
                           {{"Content-Type", "text/plain"}, {"Code", "rollback"}});
    QVERIFY2(plain.status == 400, plain.describe());
    QCOMPARE(plain.errorMessage(), expected);

    const HttpResponse missing = publishAsProducer(eventBody({}));
    QVERIFY2(missing.status == 400, missing.describe());
    QVERIFY2(missing.errorMessage().startsWith(u"code: is required"_s),
             qPrintable(missing.errorMessage()));

    QCOMPARE(storedCount(), before);
}

void TestEventTypes::unknownLevelIsRefused()
{
    const HttpResponse wrong = publishAsProducer(eventBody(u"deploy"_s, u"exploded"_s));
    QVERIFY2(wrong.status == 400, wrong.describe());
    QCOMPARE(wrong.errorMessage(),
             u"level: 'exploded' is not a level of event type 'deploy' of application 'deployer' "
             "(one of: started, succeeded, failed)"_s);
    const HttpResponse none = publishAsProducer(eventBody(u"note"_s, u"started"_s));
    QVERIFY2(none.status == 400, none.describe());
    QCOMPARE(none.errorMessage(),
             u"level: event type 'note' of application 'deployer' has no levels"_s);
}

void TestEventTypes::batchIsRefusedWholeNamingTheItem()
{
    const int before = storedCount();
    const HttpResponse batch =
        publishAsProducer(QJsonArray{eventBody(u"deploy"_s, u"started"_s), eventBody(u"note"_s),
                                     eventBody(u"deploy"_s, u"done"_s)});
    QVERIFY2(batch.status == 400, batch.describe());
    QVERIFY2(batch.errorMessage().startsWith(u"[2].level: 'done'"_s),
             qPrintable(batch.errorMessage()));
    QCOMPARE(storedCount(), before);
}

void TestEventTypes::acceptUnknownEventsOptsOut()
{
    const HttpResponse open = m_producer.put(u"/api/v1/applications/"_s + App, registration(true));
    QVERIFY2(open.status == 200, open.describe());
    QCOMPARE(open.object().value("acceptUnknownEvents"_L1), QJsonValue(true));
    const HttpResponse taken = publishAsProducer(eventBody(u"rollback"_s, u"whatever"_s));
    QVERIFY2(taken.status == 201, taken.describe());
    QCOMPARE(m_admin.get(u"/api/v1/applications/"_s + App).object().value("acceptUnknownEvents"_L1),
             QJsonValue(true));

    // Registering again without it checks again: a registration replaces everything.
    QCOMPARE(m_producer.put(u"/api/v1/applications/"_s + App, registration()).status, 200);
    QCOMPARE(publishAsProducer(eventBody(u"rollback"_s)).status, 400);
}

void TestEventTypes::applicationsWithoutEventTypesTakeAnything()
{
    QVERIFY(createApplication(m_admin, u"plain"_s, {u"c"_s}));
    const HttpResponse published =
        m_admin.post(u"/api/v1/notifications"_s, QJsonObject{{"application"_L1, "plain"_L1},
                                                             {"channel"_L1, "c"_L1},
                                                             {"code"_L1, "anything"_L1},
                                                             {"level"_L1, "goes"_L1},
                                                             {"message"_L1, "m"_L1}});
    QVERIFY2(published.status == 201, published.describe());
}

void TestEventTypes::changesMadeOnTheDatabaseReachTheDaemon()
{
    QCOMPARE(publishAsProducer(eventBody(u"rollback"_s)).status, 400);
    // The command line replaces the application without event types, behind the daemon's back
    // (as another daemon on a shared database would change it).
    const CliResult cli = m_syncd.cli({u"app"_s, u"create"_s, u"--database"_s,
                                       m_syncd.databasePath(), App, u"--title"_s, u"CLI"_s});
    QVERIFY2(cli.exitCode == 0, cli.err.constData());
    QTRY_COMPARE_WITH_TIMEOUT(publishAsProducer(eventBody(u"rollback"_s)).status, 201, 5000);
}

void TestEventTypes::relayedNotificationsAreNotRefusedByThePeersEventTypes()
{
    // Two nodes with their own databases. The receiving node registers event types under which
    // the origin's notification would be refused; it must take it anyway: it was checked where
    // it was published.
    const QStringList cluster{u"--no-auth"_s, u"--cluster"_s, u"intake"_s, u"--cluster-secret"_s,
                              u"event-types-relay-secret"_s};
    SyncdProcess receiving;
    QVERIFY2(receiving.start(cluster + QStringList{u"--node-id"_s, u"2"_s}),
             qPrintable(receiving.errorString()));
    SyncdProcess origin;
    QVERIFY2(origin.start(cluster + QStringList{u"--node-id"_s, u"1"_s, u"--peer"_s,
                                                u"ws://127.0.0.1:%1"_s.arg(receiving.port())}),
             qPrintable(origin.errorString()));
    HttpClient there(receiving.httpUrl());
    HttpClient here(origin.httpUrl());
    QVERIFY(createApplication(here, App, {Channel}));
    QCOMPARE(here.put(u"/api/v1/applications/"_s + App, registration()).status, 200);
    QVERIFY(createApplication(there, App, {Channel}));
    QJsonObject strict{{"eventTypes"_L1, QJsonArray{QJsonObject{{"id"_L1, "audit"_L1}}}}};
    QCOMPARE(there.put(u"/api/v1/applications/"_s + App, strict).status, 200);
    QCOMPARE(there.post(u"/api/v1/notifications"_s, eventBody(u"deploy"_s, u"started"_s)).status,
             400); // refused when published there

    WsClient session;
    QVERIFY2(session.connectAs(receiving.wsUrl(), u"alice"_s, App, {Channel}), session.describe());
    const HttpResponse persistent =
        here.post(u"/api/v1/notifications"_s, eventBody(u"deploy"_s, u"started"_s));
    QVERIFY2(persistent.status == 201, persistent.describe());
    QJsonObject transientBody = eventBody(u"deploy"_s, u"failed"_s);
    transientBody.insert("persistent"_L1, false);
    const HttpResponse transient = here.post(u"/api/v1/notifications"_s, transientBody);
    QVERIFY2(transient.status == 201, transient.describe());

    QVERIFY2(session.waitForNotificationId(idOf(persistent.object()), 15000), session.describe());
    QVERIFY2(session.waitForNotificationId(idOf(transient.object()), 15000), session.describe());
    const Listing stored = listAll(there, u"user=alice&application="_s + App);
    QVERIFY2(stored.ok, stored.error.constData());
    QVERIFY(stored.find(idOf(persistent.object())));
}

QTEST_GUILESS_MAIN(TestEventTypes)
#include "tst_eventtypes.moc"
