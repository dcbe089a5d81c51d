// SPDX-License-Identifier: Apache-2.0
// Publishing over the WebSocket (PROTOCOL.md) against a real herald-syncd: who may open a
// publishing session; pipelined publishes answered once each by ref, in id order, and seen by
// subscribers in that order; refusals with the REST publish's codes and field names, the
// session staying open; a `published` persistent notification surviving `kill -9`; far more
// frames than the window slowed down, never refused; the token's request rate.
#include "apihelpers.h"
#include "httpclient.h"
#include "syncdprocess.h"
#include "wait.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QSet>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {
const QString App = u"ci"_s;
const QStringList Channels{u"builds"_s, u"deploys"_s};

QJsonObject publishFrame(const QString &ref, const QJsonObject &notification)
{
    return {{"type"_L1, "publish"_L1}, {"ref"_L1, ref}, {"notification"_L1, notification}};
}

QJsonObject build(int i, bool persistent = false, const QString &channel = u"builds"_s)
{
    return notificationBody(App, channel, u"build %1"_s.arg(i), {{"persistent"_L1, persistent}});
}

QJsonObject publishingRegister()
{
    return {{"type"_L1, "register"_L1},
            {"clientId"_L1, "producer-1"_L1},
            {"subscriptions"_L1, QJsonArray{}}};
}

// The answers (`published` or `error` with a ref) a session got, by ref.
QHash<QString, QJsonObject> answersByRef(const WsClient &ws)
{
    QHash<QString, QJsonObject> answers;
    for (const QJsonObject &frame : ws.frames()) {
        if (frame.contains("ref"_L1))
            answers.insert(frame.value("ref"_L1).toString(), frame);
    }
    return answers;
}

qsizetype answerCount(const WsClient &ws)
{
    return std::count_if(ws.frames().cbegin(), ws.frames().cend(),
                         [](const QJsonObject &f) { return f.contains("ref"_L1); });
}
} // namespace

class TestWsPublish : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(m_syncd.start(), qPrintable(m_syncd.errorString()));
        m_admin.setBaseUrl(m_syncd.httpUrl());
        m_adminToken = m_syncd.createToken(u"admin"_s);
        m_admin.setToken(m_adminToken);
        QVERIFY(createApplication(m_admin, App, Channels));
        QVERIFY(createApplication(m_admin, u"other"_s, {u"c"_s}));
        QVERIFY(createUser(m_admin, u"alice"_s));
        m_producerToken = m_syncd.createToken(u"producer"_s, {u"--app"_s, App});
        m_aliceToken = m_syncd.createToken(u"user"_s, {u"--user"_s, u"alice"_s});
    }
    void cleanup() { m_syncd.dumpLogIfFailed(); }

    void pipelinedPublishesAreAnsweredOnceAndArriveInOrder()
    {
        WsClient alice;
        QVERIFY(
            alice.connectAs(m_syncd.wsUrl(u"token="_s + m_aliceToken), u"alice"_s, App, Channels));
        WsClient producer;
        QVERIFY(producer.open(m_syncd.wsUrl(), m_producerToken));
        QVERIFY(producer.registerSession(publishingRegister()));
        QCOMPARE(producer.types(), (QStringList{u"registered"_s, u"backlogDone"_s}));

        constexpr int Count = 500;
        for (int i = 0; i < Count; ++i)
            producer.sendJson(publishFrame(u"r%1"_s.arg(i), build(i, i % 5 == 0)));
        QVERIFY(waitUntil([&] { return answerCount(producer) >= Count; }, 30000));
        const QHash<QString, QJsonObject> answers = answersByRef(producer);
        QCOMPARE(answers.size(), Count); // each ref answered, and once
        QList<qint64> ids;
        for (int i = 0; i < Count; ++i) {
            const QJsonObject answer = answers.value(u"r%1"_s.arg(i));
            QCOMPARE(answer.value("type"_L1).toString(), u"published"_s);
            ids.append(answer.value("id"_L1).toInteger());
        }
        QVERIFY(std::is_sorted(ids.cbegin(), ids.cend())); // ids in the order of the frames
        QCOMPARE(QSet<qint64>(ids.cbegin(), ids.cend()).size(), Count);

        QVERIFY(alice.waitForNotifications(Count, 30000));
        QCOMPARE(alice.notificationIds(), ids); // the subscriber sees them in that order
        // The persistent ones are stored; the producer session got nothing but answers.
        const Listing stored = listAll(m_admin, u"user=alice&channel=builds"_s);
        QVERIFY(stored.ok);
        for (int i = 0; i < Count; i += 5)
            QVERIFY(stored.find(ids.at(i)));
        QCOMPARE(producer.framesOfType(u"notification"_s).size(), 0);
    }

    void aBurstToNewChannelsMakesThemTogether()
    {
        // Transient publishes to channels the node has never seen: answered at once, and the
        // channels made behind them by a few store operations, not one each.
        WsClient producer;
        QVERIFY(producer.open(m_syncd.wsUrl(), m_producerToken));
        QVERIFY(producer.registerSession(publishingRegister()));
        // Once the store has confirmed the application (its first publish here waits for that),
        // new channels of it no longer hold their notifications back.
        producer.sendJson(publishFrame(u"first"_s, build(0)));
        QVERIFY(waitUntil([&] { return answerCount(producer) == 1; }, 10000));
        const QString operationsSample = u"herald_store_operations_total{node=\"0\"}"_s;
        const double operationsBefore = metric(operationsSample);
        QVERIFY(operationsBefore >= 0);
        constexpr int Count = 200;
        for (int i = 0; i < Count; ++i)
            producer.sendJson(publishFrame(u"n%1"_s.arg(i), build(i, false, u"new-%1"_s.arg(i))));
        QVERIFY(waitUntil([&] { return answerCount(producer) >= Count + 1; }, 30000));
        for (const QJsonObject &answer : answersByRef(producer))
            QCOMPARE(answer.value("type"_L1).toString(), u"published"_s);
        auto newChannels = [this] {
            const HttpResponse listed =
                m_admin.get(u"/api/v1/applications/"_s + App + u"/channels"_s);
            const QJsonArray channels = listed.array();
            return std::count_if(channels.cbegin(), channels.cend(), [](const QJsonValue &c) {
                return c.toObject().value("name"_L1).toString().startsWith(u"new-"_s);
            });
        };
        QVERIFY2(waitUntil([&] { return newChannels() == Count; }, 10000),
                 qPrintable(u"%1 of %2 channels made"_s.arg(newChannels()).arg(Count)));
        const double operations = metric(operationsSample) - operationsBefore;
        QVERIFY2(
            operations > 0 && operations <= Count / 4,
            qPrintable(u"%1 store operations for %2 new channels"_s.arg(operations).arg(Count)));
    }

    void refusalsCarryTheRefAndTheSessionStaysOpen()
    {
        WsClient producer;
        QVERIFY(producer.open(m_syncd.wsUrl(), m_producerToken));
        QVERIFY(producer.registerSession(publishingRegister()));
        QJsonObject loud = build(1);
        loud["priority"_L1] = "loud"_L1;
        producer.sendJson(publishFrame(u"bad-field"_s, loud));
        producer.sendJson(
            publishFrame(u"other-app"_s, notificationBody(u"other"_s, u"c"_s, u"x"_s)));
        producer.sendJson(publishFrame(
            u"no-title"_s, QJsonObject{{"application"_L1, App}, {"channel"_L1, "builds"_L1}}));
        producer.sendJson(QJsonObject{{"type"_L1, "publish"_L1}, {"notification"_L1, build(2)}});
        producer.sendJson(publishFrame(u"fine"_s, build(3)));
        QVERIFY(waitUntil([&] { return answerCount(producer) >= 4; }, 10000));
        QVERIFY(producer.waitForType(u"published"_s));

        const auto answers = answersByRef(producer);
        const auto expect = [&](const QString &ref, const QString &code, const QString &prefix) {
            const QJsonObject a = answers.value(ref);
            QVERIFY2(a.value("type"_L1) == "error"_L1, qPrintable(ref));
            QCOMPARE(a.value("code"_L1).toString(), code);
            QVERIFY2(a.value("message"_L1).toString().startsWith(prefix),
                     qPrintable(a.value("message"_L1).toString()));
        };
        expect(u"bad-field"_s, u"bad_request"_s, u"priority: "_s);
        expect(u"other-app"_s, u"forbidden"_s, u"application: "_s);
        expect(u"no-title"_s, u"bad_request"_s, u"message: "_s);
        QCOMPARE(answers.value(u"fine"_s).value("type"_L1).toString(), u"published"_s);
        // A frame without a ref is answered without one.
        const auto refless = std::find_if(
            producer.frames().cbegin(), producer.frames().cend(), [](const QJsonObject &f) {
                return f.value("type"_L1) == "error"_L1 && !f.contains("ref"_L1);
            });
        QVERIFY(refless != producer.frames().cend());
        QVERIFY(refless->value("message"_L1).toString().startsWith(u"ref: "_s));

        producer.sendJson(QJsonObject{{"type"_L1, "ping"_L1}});
        QVERIFY(producer.waitForType(u"pong"_s));
        QVERIFY(!producer.isClosed());
        QVERIFY(metric(u"herald_ws_publishes_total{node=\"0\",result=\"refused\"}"_s) >= 3);
    }

    void anAdminPublishesAnywhereAndStoreRefusalsNameTheField()
    {
        WsClient admin;
        QVERIFY(admin.open(m_syncd.wsUrl(), m_adminToken));
        QVERIFY(admin.registerSession(publishingRegister()));
        admin.sendJson(publishFrame(u"other"_s, notificationBody(u"other"_s, u"c"_s, u"x"_s)));
        admin.sendJson(publishFrame(u"nowhere"_s, notificationBody(u"nosuchapp"_s, u"c"_s, u"x"_s,
                                                                   {{"persistent"_L1, true}})));
        QVERIFY(waitUntil([&] { return answerCount(admin) >= 2; }, 10000));
        const auto answers = answersByRef(admin);
        QCOMPARE(answers.value(u"other"_s).value("type"_L1).toString(), u"published"_s);
        const QJsonObject nowhere = answers.value(u"nowhere"_s);
        QCOMPARE(nowhere.value("code"_L1).toString(), u"not_found"_s);
        // As a single REST publish names it: no batch index.
        QVERIFY2(nowhere.value("message"_L1).toString().startsWith(u"application: unknown"_s),
                 qPrintable(nowhere.value("message"_L1).toString()));
    }

    void whoMayOpenAPublishingSession_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QJsonObject>("frame");
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("closeCode");
        QJsonObject producerWithUser = publishingRegister();
        producerWithUser["user"_L1] = "alice"_L1;
        QTest::newRow("user token, no subscriptions")
            << u"user"_s << publishingRegister() << u"bad_request"_s << 1003;
        QTest::newRow("producer token, subscriptions")
            << u"producer"_s << WsClient::registerFrame({}, App, Channels) << u"unauthorized"_s
            << 1008;
        QTest::newRow("producer token naming a user")
            << u"producer"_s << producerWithUser << u"unauthorized"_s << 1008;
    }

    void whoMayOpenAPublishingSession()
    {
        QFETCH(QString, kind);
        QFETCH(QJsonObject, frame);
        QFETCH(QString, code);
        QFETCH(int, closeCode);
        WsClient ws;
        QVERIFY(ws.open(m_syncd.wsUrl(), kind == u"user" ? m_aliceToken : m_producerToken));
        ws.sendJson(frame);
        const auto error = ws.waitForType(u"error"_s);
        QVERIFY(error);
        QCOMPARE(error->value("code"_L1).toString(), code);
        QVERIFY(ws.waitForClosed());
        QCOMPARE(ws.closeCode(), closeCode);
    }

    void aUserSessionMayNotPublish()
    {
        WsClient alice;
        QVERIFY(
            alice.connectAs(m_syncd.wsUrl(u"token="_s + m_aliceToken), u"alice"_s, App, Channels));
        alice.sendJson(publishFrame(u"mine"_s, build(1)));
        const auto error = alice.waitForType(u"error"_s);
        QVERIFY(error);
        QCOMPARE(error->value("ref"_L1).toString(), u"mine"_s);
        QCOMPARE(error->value("code"_L1).toString(), u"forbidden"_s);
        QVERIFY(!alice.isClosed());
    }

    void farMoreFramesThanTheWindowAreSlowedNotRefused()
    {
        WsClient producer;
        QVERIFY(producer.open(m_syncd.wsUrl(), m_producerToken));
        QVERIFY(producer.registerSession(publishingRegister()));
        constexpr int Count = 5000; // 20 windows of 256
        // Persistent: each answer waits for its commit, so the window fills whatever the
        // machine's speed (transient ones could be answered as fast as they are read).
        for (int i = 0; i < Count; ++i)
            producer.sendJson(publishFrame(QString::number(i), build(i, true, u"deploys"_s)));
        QVERIFY(waitUntil([&] { return answerCount(producer) >= Count; }, 60000));
        QCOMPARE(producer.framesOfType(u"published"_s).size(), Count);
        // The server did stop reading this session at least once on the way.
        QVERIFY(metric(u"herald_ws_publish_pauses_total{node=\"0\"}"_s) >= 1);
    }

    void aPublishedPersistentNotificationSurvivesKill9()
    {
        WsClient producer;
        QVERIFY(producer.open(m_syncd.wsUrl(), m_producerToken));
        QVERIFY(producer.registerSession(publishingRegister()));
        constexpr int Count = 300;
        for (int i = 0; i < Count; ++i)
            producer.sendJson(publishFrame(QString::number(i), build(i, true, u"deploys"_s)));
        // Killed while answers are still coming: every one that came must be stored.
        QVERIFY(waitUntil([&] { return answerCount(producer) >= Count / 3; }, 30000));
        m_syncd.kill();
        const QList<QJsonObject> published = producer.framesOfType(u"published"_s);
        QVERIFY(published.size() >= Count / 3);
        QVERIFY2(m_syncd.restart(), qPrintable(m_syncd.errorString()));
        m_admin.setBaseUrl(m_syncd.httpUrl());
        const Listing stored = listAll(m_admin, u"user=alice&channel=deploys"_s);
        QVERIFY(stored.ok);
        for (const QJsonObject &answer : published)
            QVERIFY2(stored.find(answer.value("id"_L1).toInteger()),
                     qPrintable(answer.value("ref"_L1).toString()));
    }

    void eachFrameTakesOneOfTheTokensRequests()
    {
        SyncdProcess limited;
        QVERIFY2(limited.start({u"--token-rate"_s, u"1"_s, u"--token-burst"_s, u"20"_s}),
                 qPrintable(limited.errorString()));
        HttpClient admin;
        admin.setBaseUrl(limited.httpUrl());
        admin.setToken(limited.createToken(u"admin"_s));
        QVERIFY(createApplication(admin, App, Channels));
        const QString token = limited.createToken(u"producer"_s, {u"--app"_s, App});
        WsClient producer;
        QVERIFY(producer.open(limited.wsUrl(), token)); // the upgrade takes one
        QVERIFY(producer.registerSession(publishingRegister()));
        for (int i = 0; i < 40; ++i)
            producer.sendJson(publishFrame(QString::number(i), build(i)));
        QVERIFY(waitUntil([&] { return answerCount(producer) >= 40; }, 10000));
        const QList<QJsonObject> refused = producer.framesOfType(u"error"_s);
        const qsizetype published = producer.framesOfType(u"published"_s).size();
        // 19 from the burst (the upgrade took one), one more a second while the frames arrive:
        // without the limit all 40 would be published.
        QVERIFY2(published >= 19 && published <= 30, qPrintable(QString::number(published)));
        QCOMPARE(refused.size(), 40 - published);
        QCOMPARE(refused.first().value("code"_L1).toString(), u"rate_limited"_s);
        QVERIFY(refused.first().value("message"_L1).toString().contains(u"try again in"_s));
    }

    // The last test: it restarts the daemon (m_admin follows it to its new port). The channels
    // the store holds are known from the start: transient publishes to them, the first ones
    // included, make no store operation (without them the first waits for the store, and the
    // rest make their channels again behind it).
    // Mutation caught: learnStoredChannels remembering nothing -> 21 store operations.
    void afterARestartStoredChannelsNeedNoStoreOperation()
    {
        QVERIFY2(m_syncd.restart(), qPrintable(m_syncd.errorString()));
        m_admin.setBaseUrl(m_syncd.httpUrl());
        QVERIFY2(m_syncd.log().contains("stored channel(s): transient publishes to them skip the "
                                        "store"),
                 m_syncd.log().right(2000).constData());
        WsClient producer;
        QVERIFY(producer.open(m_syncd.wsUrl(), m_producerToken));
        QVERIFY(producer.registerSession(publishingRegister()));
        const QString operationsSample = u"herald_store_operations_total{node=\"0\"}"_s;
        const double before = metric(operationsSample);
        QVERIFY(before >= 0);
        constexpr int Count = 40; // to builds, deploys and the burst test's new-N channels
        for (int i = 0; i < Count; ++i) {
            const QString channel = i == 0   ? u"builds"_s
                                    : i == 1 ? u"deploys"_s
                                             : u"new-%1"_s.arg(i);
            producer.sendJson(publishFrame(u"after-%1"_s.arg(i), build(i, false, channel)));
        }
        QVERIFY(waitUntil([&] { return answerCount(producer) >= Count; }, 10000));
        for (const QJsonObject &answer : answersByRef(producer))
            QCOMPARE(answer.value("type"_L1).toString(), u"published"_s);
        QTest::qWait(200); // channels to make would go to the store within 10 ms
        // Background work may take one now and then (on a shared database the revoked tokens
        // are polled every 250 ms); without the channels read at start these publishes alone
        // take about 20.
        const double operations = metric(operationsSample) - before;
        QVERIFY2(operations <= 4, qPrintable(u"%1 store operations"_s.arg(operations)));
    }

private:
    double metric(const QString &sample)
    {
        const HttpResponse response = m_admin.get(u"/metrics"_s);
        const QByteArray prefix = sample.toUtf8() + ' ';
        for (const QByteArray &line : response.body.split('\n')) {
            if (line.startsWith(prefix))
                return line.mid(prefix.size()).toDouble();
        }
        return -1;
    }

    SyncdProcess m_syncd;
    HttpClient m_admin;
    QString m_adminToken;
    QString m_producerToken;
    QString m_aliceToken;
};

QTEST_GUILESS_MAIN(TestWsPublish)
#include "tst_wspublish.moc"
