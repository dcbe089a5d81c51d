// SPDX-License-Identifier: Apache-2.0
// Publishing and delivery: live frames, the register backlog, acknowledgements, transient
// notifications, recipients and batches, against a real herald-syncd started with --no-auth.
#include "apihelpers.h"
#include "httpclient.h"
#include "syncdprocess.h"
#include "wait.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {
const QString App = u"shop"_s;

bool isSafeInteger(const QJsonValue &value)
{
    const double d = value.toDouble(-1);
    return value.isDouble() && d > 0 && d < 9007199254740992.0 && d == double(qint64(d));
}
} // namespace

class TestPublishDelivery : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void deliversLiveNotificationWithFullShape();
    void backlogSendsOnlyLastNOldestFirst();
    void backlogStartsAfterLastNotificationId();
    void backlogLeavesOutAcknowledged();
    void transientIsDeliveredLiveButNeverStored();
    void transientToADeletedApplicationIsNotFound();
    void transientToANewChannelMakesTheChannel();
    void recipientsRestrictDeliveryAndListing();
    void backlogHoldsNotificationsForTheirRecipientsOnly();
    void batchPublishStoresAndDeliversAll();
    void batchPublishIsAllOrNothing();
    void expiredNotificationIsTakenFromSessionsAtItsExpiry();
    void everyEventLoopDeliversToItsOwnSessions();

private:
    std::unique_ptr<WsClient> session(const QString &user, const QString &channel,
                                      int fetchLast = 0);
    QList<qint64> publishMany(const QString &channel, int count);

    SyncdProcess m_syncd;
    HttpClient m_http;
};

void TestPublishDelivery::initTestCase()
{
    QVERIFY2(m_syncd.start({u"--no-auth"_s}), qPrintable(m_syncd.errorString()));
    m_http.setBaseUrl(m_syncd.httpUrl());
    // The application declares the event type and level that the full-shape test publishes
    // with, as a real producer's would. The other tests publish without a code, so the
    // application takes unknown events (tst_eventtypes checks the enforcement); here only that
    // code and level are stored and delivered as given.
    const QJsonArray eventTypes{QJsonObject{
        {"id"_L1, "order"_L1},
        {"title"_L1, "Order"_L1},
        {"levels"_L1, QJsonArray{QJsonObject{{"id"_L1, "info"_L1}, {"title"_L1, "Info"_L1}}}}}};
    const HttpResponse app =
        m_http.put(u"/api/v1/applications/"_s + App, QJsonObject{{"title"_L1, "Shop"_L1},
                                                                 {"eventTypes"_L1, eventTypes},
                                                                 {"acceptUnknownEvents"_L1, true}});
    QVERIFY2(app.status == 201, app.describe());
    for (const QString &channel :
         {u"live"_s, u"backlog"_s, u"resume"_s, u"acked"_s, u"transient"_s, u"private"_s,
          u"addressed"_s, u"batch"_s, u"batchbad"_s, u"expiring"_s})
        QVERIFY(createChannel(m_http, App, channel));
    QVERIFY(createUser(m_http, u"alice"_s));
    QVERIFY(createUser(m_http, u"bob"_s));
}

void TestPublishDelivery::cleanup()
{
    m_syncd.dumpLogIfFailed();
}

std::unique_ptr<WsClient> TestPublishDelivery::session(const QString &user, const QString &channel,
                                                       int fetchLast)
{
    auto ws = std::make_unique<WsClient>();
    if (!ws->connectAs(m_syncd.wsUrl(), user, App, {channel}, fetchLast)) {
        qWarning("session of %s on %s: %s", qPrintable(user), qPrintable(channel),
                 ws->describe().constData());
        return nullptr;
    }
    return ws;
}

QList<qint64> TestPublishDelivery::publishMany(const QString &channel, int count)
{
    QList<qint64> ids;
    for (int i = 0; i < count; ++i)
        ids.append(publish(m_http, App, channel, u"%1 #%2"_s.arg(channel).arg(i)));
    return ids;
}

void TestPublishDelivery::deliversLiveNotificationWithFullShape()
{
    WsClient ws;
    QVERIFY2(ws.open(m_syncd.wsUrl()), ws.describe());
    ws.sendJson(WsClient::registerFrame(u"alice"_s, App, {u"live"_s}, 10));
    const auto registered = ws.waitForType(u"registered"_s);
    QVERIFY2(registered, ws.describe());
    QVERIFY(!registered->value("sessionId"_L1).toString().isEmpty());
    QVERIFY(registered->value("node"_L1).isDouble());
    const QRegularExpression rfc3339(QString::fromLatin1(Rfc3339MillisPattern));
    QVERIFY2(rfc3339.match(registered->value("serverTime"_L1).toString()).hasMatch(),
             qPrintable(registered->value("serverTime"_L1).toString()));
    QVERIFY2(ws.waitForType(u"backlogDone"_s), ws.describe());
    QCOMPARE(ws.types(), QStringList({u"registered"_s, u"backlogDone"_s}));
    ws.clearFrames();

    const QJsonObject body{
        {"application"_L1, App},
        {"channel"_L1, "live"_L1},
        {"code"_L1, "order"_L1},
        {"title"_L1, "Order shipped"_L1},
        {"message"_L1, u"Your order 42 has shipped \u2708"_s},
        {"persistent"_L1, true},
        {"priority"_L1, "high"_L1},
        {"level"_L1, "info"_L1},
        {"tags"_L1, QJsonObject{{"order"_L1, "42"_L1}, {"carrier"_L1, "dhl"_L1}}},
        {"url"_L1, "https://shop.example/orders/42"_L1},
        {"actions"_L1, QJsonArray{QJsonObject{{"id"_L1, "track"_L1},
                                              {"label"_L1, "Track"_L1},
                                              {"url"_L1, "https://shop.example/track/42"_L1}}}},
    };
    const HttpResponse created = m_http.post(u"/api/v1/notifications"_s, body);
    QVERIFY2(created.status == 201, created.describe());
    const QJsonObject stored = created.object();
    QVERIFY2(isSafeInteger(stored.value("id"_L1)), created.describe());
    QVERIFY2(rfc3339.match(stored.value("time"_L1).toString()).hasMatch(), created.describe());
    QVERIFY2(stored.value("node"_L1).isDouble(), created.describe());
    for (auto it = body.begin(); it != body.end(); ++it)
        QVERIFY2(stored.value(it.key()) == it.value(), qPrintable(u"stored "_s + it.key()));

    QVERIFY2(ws.waitForNotificationId(idOf(stored)), ws.describe());
    const QJsonObject frame = ws.framesOfType(u"notification"_s).constFirst();
    QCOMPARE(frame.keys(), QStringList({u"data"_s, u"type"_s}));
    const QJsonObject data = frame.value("data"_L1).toObject();
    QCOMPARE(data.value("id"_L1).toInteger(), idOf(stored));
    QCOMPARE(data.value("time"_L1).toString(), stored.value("time"_L1).toString());
    QCOMPARE(data.value("node"_L1), stored.value("node"_L1));
    for (auto it = body.begin(); it != body.end(); ++it)
        QVERIFY2(data.value(it.key()) == it.value(), qPrintable(u"frame data "_s + it.key()));
    // No recipients were given: absent or empty, never someone else's list.
    QVERIFY(data.value("recipients"_L1).toArray().isEmpty());
}

void TestPublishDelivery::backlogSendsOnlyLastNOldestFirst()
{
    const QList<qint64> ids = publishMany(u"backlog"_s, 5);
    QVERIFY(!ids.contains(0));
    WsClient ws;
    QVERIFY2(ws.open(m_syncd.wsUrl()), ws.describe());
    QVERIFY2(ws.registerSession(WsClient::registerFrame(u"alice"_s, App, {u"backlog"_s}, 3)),
             ws.describe());
    QCOMPARE(ws.types(), QStringList({u"registered"_s, u"notification"_s, u"notification"_s,
                                      u"notification"_s, u"backlogDone"_s}));
    QCOMPARE(ws.notificationIds(), ids.mid(2));
}

void TestPublishDelivery::backlogStartsAfterLastNotificationId()
{
    const QList<qint64> ids = publishMany(u"resume"_s, 5);
    QVERIFY(!ids.contains(0));
    WsClient ws;
    QVERIFY2(ws.open(m_syncd.wsUrl()), ws.describe());
    QVERIFY2(
        ws.registerSession(WsClient::registerFrame(u"alice"_s, App, {u"resume"_s}, 10, ids.at(1))),
        ws.describe());
    QCOMPARE(ws.notificationIds(), ids.mid(2));
    QCOMPARE(ws.types().constLast(), u"backlogDone"_s);
}

void TestPublishDelivery::backlogLeavesOutAcknowledged()
{
    const QList<qint64> ids = publishMany(u"acked"_s, 3);
    QVERIFY(!ids.contains(0));
    const HttpResponse ack =
        m_http.post(u"/api/v1/acks"_s, QJsonObject{{"ids"_L1, QJsonArray{double(ids.at(1))}},
                                                   {"user"_L1, "alice"_L1}});
    QVERIFY2(ack.status == 200, ack.describe());
    QCOMPARE(ack.object().value("acknowledged"_L1).toArray(), QJsonArray{double(ids.at(1))});

    auto alice = session(u"alice"_s, u"acked"_s, 10);
    QVERIFY(alice);
    QCOMPARE(alice->notificationIds(), (QList<qint64>{ids.at(0), ids.at(2)}));
    // Acknowledged is per user: bob still gets all three.
    auto bob = session(u"bob"_s, u"acked"_s, 10);
    QVERIFY(bob);
    QCOMPARE(bob->notificationIds(), ids);
}

void TestPublishDelivery::transientIsDeliveredLiveButNeverStored()
{
    auto live = session(u"alice"_s, u"transient"_s);
    QVERIFY(live);
    const qint64 transientId = publish(m_http, App, u"transient"_s, u"build 7 is running"_s,
                                       QJsonObject{{"persistent"_L1, false}});
    QVERIFY(transientId > 0);
    QVERIFY2(live->waitForNotificationId(transientId), live->describe());
    const QJsonObject data =
        live->framesOfType(u"notification"_s).constFirst().value("data"_L1).toObject();
    QCOMPARE(data.value("persistent"_L1), QJsonValue(false));

    // A persistent one after it proves the listing and the backlog work at all.
    const qint64 persistentId = publish(m_http, App, u"transient"_s, u"build 7 finished"_s);
    QVERIFY(persistentId > transientId);
    const Listing listing = listAll(m_http, u"user=alice&application=shop&channel=transient"_s);
    QVERIFY2(listing.ok, listing.error);
    QCOMPARE(listing.ids(), QList<qint64>{persistentId});

    auto later = session(u"alice"_s, u"transient"_s, 10);
    QVERIFY(later);
    QCOMPARE(later->notificationIds(), QList<qint64>{persistentId});
}

void TestPublishDelivery::transientToADeletedApplicationIsNotFound()
{
    // Transient publishes to a known channel skip the store; deleting the application must
    // end that at once.
    QVERIFY(createApplication(m_http, u"shortlived"_s, {u"c"_s}));
    const QJsonObject transient{{"persistent"_L1, false}};
    QVERIFY(publish(m_http, u"shortlived"_s, u"c"_s, u"first"_s, transient) > 0);
    QVERIFY(publish(m_http, u"shortlived"_s, u"c"_s, u"second"_s, transient) > 0);
    const HttpResponse removed = m_http.del(u"/api/v1/applications/shortlived"_s);
    QVERIFY2(removed.status == 204, removed.describe());
    const HttpResponse refused =
        m_http.post(u"/api/v1/notifications"_s,
                    notificationBody(u"shortlived"_s, u"c"_s, u"third"_s, transient));
    QCOMPARE(refused.status, 404);
    QVERIFY2(refused.body.contains("application"), refused.body.constData());
    // Nor is a new channel of it made without asking the store.
    const HttpResponse newChannel =
        m_http.post(u"/api/v1/notifications"_s,
                    notificationBody(u"shortlived"_s, u"other"_s, u"fourth"_s, transient));
    QCOMPARE(newChannel.status, 404);
}

void TestPublishDelivery::transientToANewChannelMakesTheChannel()
{
    // The first transient notification on a new channel of a known application is delivered
    // without waiting for the channel's row; the row is made behind it.
    const QJsonObject transient{{"persistent"_L1, false}};
    QVERIFY(publish(m_http, App, u"known"_s, u"confirms shop"_s, transient) > 0);
    auto live = session(u"alice"_s, u"brand-new"_s);
    QVERIFY(live);
    const qint64 id = publish(m_http, App, u"brand-new"_s, u"first on it"_s, transient);
    QVERIFY(id > 0);
    QVERIFY2(live->waitForNotificationId(id), live->describe());
    const auto listsTheChannel = [&] {
        const HttpResponse channels = m_http.get(u"/api/v1/applications/shop/channels"_s);
        return channels.status == 200 && channels.body.contains("\"brand-new\"");
    };
    QVERIFY(waitUntil(listsTheChannel, 5000));
}

void TestPublishDelivery::recipientsRestrictDeliveryAndListing()
{
    auto alice = session(u"alice"_s, u"private"_s);
    auto bob = session(u"bob"_s, u"private"_s);
    QVERIFY(alice && bob);
    const qint64 forBob = publish(m_http, App, u"private"_s, u"for bob only"_s,
                                  QJsonObject{{"recipients"_L1, QJsonArray{"bob"_L1}}});
    QVERIFY(forBob > 0);
    // Delivery is in id order: once alice has the later marker, she would have had forBob.
    const qint64 marker = publish(m_http, App, u"private"_s, u"for everyone"_s);
    QVERIFY(marker > forBob);
    QVERIFY2(alice->waitForNotificationId(marker), alice->describe());
    QVERIFY2(bob->waitForNotificationId(marker), bob->describe());
    QCOMPARE(alice->notificationIds(), QList<qint64>{marker});
    QCOMPARE(bob->notificationIds(), (QList<qint64>{forBob, marker}));

    const Listing aliceList = listAll(m_http, u"user=alice&application=shop&channel=private"_s);
    QVERIFY2(aliceList.ok, aliceList.error);
    QCOMPARE(aliceList.ids(), QList<qint64>{marker});
    const Listing bobList = listAll(m_http, u"user=bob&application=shop&channel=private"_s);
    QVERIFY2(bobList.ok, bobList.error);
    QCOMPARE(bobList.ids(), (QList<qint64>{marker, forBob}));

    auto aliceLater = session(u"alice"_s, u"private"_s, 10);
    QVERIFY(aliceLater);
    QCOMPARE(aliceLater->notificationIds(), QList<qint64>{marker});
}

// Mutation caught: a backlog query that drops every notification with recipients.
void TestPublishDelivery::backlogHoldsNotificationsForTheirRecipientsOnly()
{
    // Published while nobody is connected: bob and alice see them only through the backlog.
    const qint64 forBob = publish(m_http, App, u"addressed"_s, u"for bob only"_s,
                                  QJsonObject{{"recipients"_L1, QJsonArray{"bob"_L1}}});
    const qint64 forAll = publish(m_http, App, u"addressed"_s, u"for everyone"_s);
    QVERIFY(forBob > 0 && forAll > forBob);

    auto bob = session(u"bob"_s, u"addressed"_s, 10);
    QVERIFY(bob);
    QCOMPARE(bob->notificationIds(), (QList<qint64>{forBob, forAll}));
    const QJsonObject data =
        bob->framesOfType(u"notification"_s).constFirst().value("data"_L1).toObject();
    QCOMPARE(data.value("recipients"_L1).toArray(), QJsonArray{"bob"_L1});

    auto alice = session(u"alice"_s, u"addressed"_s, 10);
    QVERIFY(alice);
    QCOMPARE(alice->notificationIds(), QList<qint64>{forAll});
}

void TestPublishDelivery::batchPublishStoresAndDeliversAll()
{
    auto ws = session(u"alice"_s, u"batch"_s);
    QVERIFY(ws);
    QJsonArray batch;
    for (int i = 0; i < 3; ++i)
        batch.append(notificationBody(App, u"batch"_s, u"batch item %1"_s.arg(i)));
    const HttpResponse created = m_http.post(u"/api/v1/notifications"_s, batch);
    QVERIFY2(created.status == 201, created.describe());
    const QJsonArray stored = created.array();
    QCOMPARE(stored.size(), 3);
    QList<qint64> ids;
    for (int i = 0; i < 3; ++i) {
        const QJsonObject item = stored.at(i).toObject();
        QCOMPARE(item.value("message"_L1).toString(), u"batch item %1"_s.arg(i));
        ids.append(idOf(item));
    }
    QVERIFY2(ids.at(0) > 0 && ids.at(0) < ids.at(1) && ids.at(1) < ids.at(2), created.describe());
    QVERIFY2(ws->waitForNotifications(3), ws->describe());
    QCOMPARE(ws->notificationIds(), ids);
    const Listing listing = listAll(m_http, u"user=alice&application=shop&channel=batch"_s);
    QVERIFY2(listing.ok, listing.error);
    QCOMPARE(listing.ids(), (QList<qint64>{ids.at(2), ids.at(1), ids.at(0)}));
}

void TestPublishDelivery::batchPublishIsAllOrNothing()
{
    auto ws = session(u"alice"_s, u"batchbad"_s);
    QVERIFY(ws);
    QJsonArray batch;
    for (int i = 0; i < 3; ++i)
        batch.append(notificationBody(App, u"batchbad"_s, u"batch item %1"_s.arg(i)));
    // The last item breaks the title limit: none of the three may be stored or sent.
    QJsonObject bad = batch.at(2).toObject();
    bad.insert("title"_L1, QString(257, u'x'));
    batch.replace(2, bad);
    const HttpResponse rejected = m_http.post(u"/api/v1/notifications"_s, batch);
    QCOMPARE(rejected.status, 400);
    QCOMPARE(rejected.errorCode(), u"bad_request"_s);
    QVERIFY2(rejected.errorMessage().contains("title"_L1), rejected.describe());

    const qint64 marker = publish(m_http, App, u"batchbad"_s, u"after the bad batch"_s);
    QVERIFY(marker > 0);
    QVERIFY2(ws->waitForNotificationId(marker), ws->describe());
    QCOMPARE(ws->notificationIds(), QList<qint64>{marker});
    const Listing listing = listAll(m_http, u"user=alice&application=shop&channel=batchbad"_s);
    QVERIFY2(listing.ok, listing.error);
    QCOMPARE(listing.ids(), QList<qint64>{marker});
}

void TestPublishDelivery::expiredNotificationIsTakenFromSessionsAtItsExpiry()
{
    auto alice = session(u"alice"_s, u"expiring"_s);
    QVERIFY(alice);
    alice->clearFrames();
    // Expiry to the millisecond: the daemon runs on this machine's clock.
    const QDateTime expiresAt = QDateTime::currentDateTimeUtc().addMSecs(1500);
    const HttpResponse created =
        m_http.post(u"/api/v1/notifications"_s,
                    QJsonObject{{"application"_L1, App},
                                {"channel"_L1, "expiring"_L1},
                                {"title"_L1, "Flash sale ends soon"_L1},
                                {"expiresAt"_L1, expiresAt.toString(Qt::ISODateWithMs)}});
    QVERIFY2(created.status == 201, created.describe());
    const qint64 id = created.object().value("id"_L1).toInteger();
    const qint64 kept = publish(m_http, App, u"expiring"_s, u"stays"_s);
    QVERIFY2(alice->waitForNotificationId(kept), alice->describe());

    const auto deleted = alice->waitForType(u"deleted"_s, 5000);
    const qint64 heardAtMs = QDateTime::currentMSecsSinceEpoch();
    QVERIFY2(deleted, alice->describe());
    QCOMPARE(deleted->value("ids"_L1).toArray(), QJsonArray{id});
    // Not before its time, and not a purge interval after it (the daemon wakes at the expiry).
    QVERIFY2(heardAtMs >= expiresAt.toMSecsSinceEpoch(), qPrintable(QString::number(heardAtMs)));
    QVERIFY2(heardAtMs - expiresAt.toMSecsSinceEpoch() < 1500,
             qPrintable(u"%1 ms late"_s.arg(heardAtMs - expiresAt.toMSecsSinceEpoch())));
    QCOMPARE(alice->framesOfType(u"deleted"_s).size(), 1); // the other one stays

    const HttpResponse listed =
        m_http.get(u"/api/v1/notifications?user=alice&application=shop&channel=expiring"_s);
    QVERIFY2(listed.status == 200, listed.describe());
    const QJsonArray items = listed.object().value("notifications"_L1).toArray();
    QCOMPARE(items.size(), 1);
    QCOMPARE(items.first().toObject().value("id"_L1).toInteger(), kept);
    const HttpResponse metrics = m_http.get(u"/metrics"_s);
    const QRegularExpression expiredOne(u"\\nherald_notifications_expired_total\\{[^}]*\\} 1\\n"_s);
    QVERIFY2(expiredOne.match(QString::fromUtf8(metrics.body)).hasMatch(),
             metrics.body.constData());
}

void TestPublishDelivery::everyEventLoopDeliversToItsOwnSessions()
{
    // More event loops than the cap: the daemon says so and runs 64. Sessions are spread over
    // the loops in turn, so these land on several; one publish must reach every follower of
    // its channel on every loop, and no one else.
    SyncdProcess wide;
    QVERIFY2(wide.start({u"--no-auth"_s, u"--worker-threads"_s, u"70"_s}),
             qPrintable(wide.errorString()));
    QVERIFY2(wide.log().contains("WebSocket event loops capped at 64 (asked for 70 )"),
             wide.log().constData());
    QVERIFY2(wide.log().contains("WebSocket sessions spread over 64 event loops"),
             wide.log().constData());
    HttpClient http;
    http.setBaseUrl(wide.httpUrl());
    QVERIFY(createApplication(http, App, {u"spread"_s, u"other"_s}));
    QVERIFY(createUser(http, u"alice"_s));
    std::vector<std::unique_ptr<WsClient>> followers;
    std::vector<std::unique_ptr<WsClient>> others;
    for (int i = 0; i < 6; ++i) {
        for (auto *list : {&followers, &others}) {
            auto ws = std::make_unique<WsClient>();
            const QString channel = list == &followers ? u"spread"_s : u"other"_s;
            QVERIFY2(ws->connectAs(wide.wsUrl(), u"alice"_s, App, {channel}, 0),
                     ws->describe().constData());
            list->push_back(std::move(ws));
        }
    }
    const qint64 id =
        publish(http, App, u"spread"_s, u"to every loop"_s, QJsonObject{{"persistent"_L1, false}});
    QVERIFY(id > 0);
    for (const auto &ws : followers)
        QVERIFY2(ws->waitForNotificationId(id), ws->describe().constData());
    const qint64 marker = publish(http, App, u"other"_s, u"marker"_s);
    for (const auto &ws : others) {
        QVERIFY2(ws->waitForNotificationId(marker), ws->describe().constData());
        QCOMPARE(ws->notificationIds(), QList<qint64>{marker});
    }
}

QTEST_GUILESS_MAIN(TestPublishDelivery)
#include "tst_publishdelivery.moc"
