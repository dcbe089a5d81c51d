// SPDX-License-Identifier: Apache-2.0
#include "fakesyncserver.h"
#include "session/syncsession.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace herald;
using namespace herald::test;
using namespace Qt::StringLiterals;
using State = SyncSession::State;

namespace {

SyncSessionConfig fastConfig(const QList<QUrl> &servers)
{
    SyncSessionConfig config;
    config.servers = servers;
    config.user = u"alice"_s;
    config.token = u"secret-token"_s;
    config.clientId = u"5b0c7a52-0c1e-4b6e-9d4e-3f0e7c1d2a9b"_s;
    config.subscriptions = {{u"app"_s, {u"c1"_s, u"c2"_s}}, {u"ci"_s, {}}};
    config.fetchLast = 7;
    config.backoffMinMs = 10;
    config.backoffMaxMs = 40;
    return config;
}

QList<NotificationId> receivedIds(const QSignalSpy &spy)
{
    QList<NotificationId> ids;
    for (const QList<QVariant> &args : spy)
        ids.append(args.at(0).value<Notification>().id);
    return ids;
}

QJsonObject firstOfType(const QList<QJsonObject> &frames, const QString &type)
{
    for (const QJsonObject &frame : frames) {
        if (frame.value(u"type"_s).toString() == type)
            return frame;
    }
    return {};
}

} // namespace

class TestSyncSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void registerFrameCarriesTheConfiguration();
    void registerResumesFromAPersistedId();
    void deliversBacklogThenLive();
    void dropsDuplicateNotifications();
    void reconnectsWithLastNotificationIdAfterServerCloses();
    void acksAreSentAtOnceWhileLive();
    void acksQueuedWhileOfflineAreSentAfterReRegister();
    void unconfirmedAcksAreResentAfterReconnect();
    void policyCloseStopsReconnecting();
    void refusedUpgrade_data();
    void refusedUpgrade();
    void tryAgainLaterWaitsAtLeastHalfTheMaximum_data();
    void tryAgainLaterWaitsAtLeastHalfTheMaximum();
    void failsOverToTheSecondServerWhenTheFirstRefuses();
    void backoffRestartsFromMinimumOnceLive();
    void registerTimeoutReconnects();
    void stopClosesWithNormalCodeAndDoesNotReconnect();
    void pingIsAnsweredWithPong();
    void forwardsAcknowledgedDeletedAndErrors();

private:
    std::unique_ptr<FakeSyncServer> m_server;
};

void TestSyncSession::init()
{
    m_server = std::make_unique<FakeSyncServer>();
    QVERIFY(m_server->listen());
}

void TestSyncSession::registerFrameCarriesTheConfiguration()
{
    SyncSession session(fastConfig({m_server->url()}));
    session.start();
    QTRY_COMPARE(session.state(), State::Live);

    const FakeConnection &c = m_server->connection(0);
    QCOMPARE(c.socket->request().rawHeader("Authorization"), QByteArray("Bearer secret-token"));
    QCOMPARE(c.socket->requestUrl().path(), u"/api/v1/ws"_s);
    QCOMPARE(c.framesBeforeRegistered, 1); // register is the first frame
    const QJsonObject reg = c.frames.at(0);
    QCOMPARE(reg.value(u"type"_s).toString(), u"register"_s);
    QCOMPARE(reg.value(u"clientId"_s).toString(), u"5b0c7a52-0c1e-4b6e-9d4e-3f0e7c1d2a9b"_s);
    QCOMPARE(reg.value(u"user"_s).toString(), u"alice"_s);
    QCOMPARE(reg.value(u"token"_s).toString(), u"secret-token"_s);
    QCOMPARE(reg.value(u"fetchLast"_s).toInt(), 7);
    QVERIFY(!reg.contains(u"lastNotificationId"_s)); // nothing to resume from yet
    const QJsonArray subs = reg.value(u"subscriptions"_s).toArray();
    QCOMPARE(subs.size(), 2);
    QCOMPARE(subs.at(0).toObject().value(u"application"_s).toString(), u"app"_s);
    QCOMPARE(subs.at(0).toObject().value(u"channels"_s).toArray(), (QJsonArray{u"c1"_s, u"c2"_s}));
    QCOMPARE(subs.at(1).toObject().value(u"application"_s).toString(), u"ci"_s);
    QCOMPARE(session.sessionId(), u"s-0"_s);
}

void TestSyncSession::registerResumesFromAPersistedId()
{
    SyncSession session(fastConfig({m_server->url()}));
    session.setLastNotificationId(42);
    session.start();
    QTRY_COMPARE(m_server->frames(0).size(), 1);
    QCOMPARE(m_server->frames(0).at(0).value(u"lastNotificationId"_s).toInteger(), qint64(42));
}

void TestSyncSession::deliversBacklogThenLive()
{
    m_server->backlog = {1, 2};
    SyncSession session(fastConfig({m_server->url()}));
    QSignalSpy states(&session, &SyncSession::stateChanged);
    QSignalSpy registered(&session, &SyncSession::registered);
    QSignalSpy received(&session, &SyncSession::notificationReceived);
    QSignalSpy backlogDone(&session, &SyncSession::backlogDone);
    session.start();
    QTRY_COMPARE(session.state(), State::Live);
    m_server->send(0, notificationFrame(3));
    QTRY_COMPARE(received.size(), 3);

    QCOMPARE(receivedIds(received), (QList<NotificationId>{1, 2, 3}));
    QCOMPARE(received.at(0).at(1).toBool(), true);
    QCOMPARE(received.at(1).at(1).toBool(), true);
    QCOMPARE(received.at(2).at(1).toBool(), false);
    QCOMPARE(received.at(2).at(0).value<Notification>().title, u"Build 3"_s);
    QCOMPARE(backlogDone.size(), 1);
    QCOMPARE(registered.size(), 1);
    QCOMPARE(registered.at(0).at(0).toString(), u"s-0"_s);
    QCOMPARE(registered.at(0).at(1).toInt(), 3);
    QList<State> seen;
    for (const QList<QVariant> &args : states)
        seen.append(args.at(0).value<State>());
    QCOMPARE(seen,
             (QList<State>{State::Connecting, State::Registering, State::Backlog, State::Live}));
    QCOMPARE(session.lastNotificationId(), NotificationId(3));
}

void TestSyncSession::dropsDuplicateNotifications()
{
    m_server->backlog = {1, 2};
    SyncSession session(fastConfig({m_server->url()}));
    QSignalSpy received(&session, &SyncSession::notificationReceived);
    session.start();
    QTRY_COMPARE(session.state(), State::Live);
    for (NotificationId id : {2, 1, 3, 3})
        m_server->send(0, notificationFrame(id));
    m_server->send(0, notificationFrame(4)); // a marker: everything before it has arrived
    QTRY_COMPARE(receivedIds(received).last(), NotificationId(4));
    QCOMPARE(receivedIds(received), (QList<NotificationId>{1, 2, 3, 4}));

    // The next session's backlog overlaps what this one delivered.
    m_server->backlog = {3, 4, 5};
    m_server->close(0, CloseCode::Normal);
    QTRY_COMPARE(m_server->connectionCount(), 2);
    QTRY_COMPARE(session.state(), State::Live);
    QCOMPARE(receivedIds(received), (QList<NotificationId>{1, 2, 3, 4, 5}));
}

void TestSyncSession::reconnectsWithLastNotificationIdAfterServerCloses()
{
    m_server->backlog = {5, 9, 7}; // ids from several nodes need not arrive in order
    SyncSession session(fastConfig({m_server->url()}));
    QSignalSpy disconnected(&session, &SyncSession::disconnected);
    QSignalSpy lastId(&session, &SyncSession::lastNotificationIdChanged);
    session.start();
    QTRY_COMPARE(session.state(), State::Live);
    QCOMPARE(session.lastNotificationId(), NotificationId(9));
    QCOMPARE(lastId.last().at(0).value<NotificationId>(), NotificationId(9));

    m_server->backlog.clear();
    m_server->close(0, 4000);
    QTRY_COMPARE(m_server->connectionCount(), 2);
    QTRY_COMPARE(session.state(), State::Live);
    QCOMPARE(disconnected.size(), 1);
    QCOMPARE(disconnected.at(0).at(0).toInt(), 4000);
    const QJsonObject reg = m_server->frames(1).at(0);
    QCOMPARE(reg.value(u"type"_s).toString(), u"register"_s);
    QCOMPARE(reg.value(u"lastNotificationId"_s).toInteger(), qint64(9));
}

void TestSyncSession::acksAreSentAtOnceWhileLive()
{
    SyncSession session(fastConfig({m_server->url()}));
    session.start();
    QTRY_COMPARE(session.state(), State::Live);
    session.acknowledge({3, 1, 3, 0, -2}); // duplicates collapse, invalid ids are dropped
    QTRY_COMPARE(m_server->frames(0).size(), 2);
    QCOMPARE(m_server->frames(0).at(1), idsFrame(u"ack"_s, {1, 3}));
}

void TestSyncSession::acksQueuedWhileOfflineAreSentAfterReRegister()
{
    SyncSession session(fastConfig({m_server->url()}));
    session.acknowledge({7}); // before the first connection
    session.start();
    QTRY_COMPARE(m_server->frames(0).size(), 2);
    QCOMPARE(m_server->frames(0).at(1), idsFrame(u"ack"_s, {7}));
    QCOMPARE(m_server->connection(0).framesBeforeRegistered, 1);
    QTRY_COMPARE(session.state(), State::Live);
    m_server->send(0, idsFrame(u"acknowledged"_s, {7}));

    m_server->autoRegister = false; // hold the next session in Registering
    m_server->close(0, CloseCode::Normal);
    QTRY_VERIFY(!session.isRegistered());
    session.acknowledge({12, 11});
    QTRY_COMPARE(m_server->frames(1).size(), 1);
    QCOMPARE(session.state(), State::Registering);
    m_server->sendRegistered(1);
    QTRY_COMPARE(m_server->frames(1).size(), 2);
    // The ack arrived after `registered` went out, not along with the register frame, and
    // the confirmed ack 7 was not sent again.
    QCOMPARE(m_server->connection(1).framesBeforeRegistered, 1);
    QCOMPARE(m_server->frames(1).at(1), idsFrame(u"ack"_s, {11, 12}));
}

void TestSyncSession::unconfirmedAcksAreResentAfterReconnect()
{
    SyncSession session(fastConfig({m_server->url()}));
    session.start();
    QTRY_COMPARE(session.state(), State::Live);
    session.acknowledge({5, 6});
    QTRY_COMPARE(m_server->frames(0).size(), 2);
    m_server->send(0, idsFrame(u"acknowledged"_s, {6})); // 5 is never confirmed
    QSignalSpy acknowledged(&session, &SyncSession::acknowledged);
    QVERIFY(acknowledged.wait());
    m_server->close(0, CloseCode::Normal);
    QTRY_COMPARE(m_server->frames(1).size(), 2);
    QCOMPARE(m_server->frames(1).at(1), idsFrame(u"ack"_s, {5}));
}

void TestSyncSession::policyCloseStopsReconnecting()
{
    SyncSession session(fastConfig({m_server->url()}));
    QSignalSpy authFailed(&session, &SyncSession::authenticationFailed);
    QSignalSpy disconnected(&session, &SyncSession::disconnected);
    session.start();
    QTRY_COMPARE(session.state(), State::Live);
    QSignalSpy newConnections(m_server->server(), &QWebSocketServer::newConnection);
    m_server->close(0, CloseCode::Policy);
    QVERIFY(authFailed.wait());
    QCOMPARE(session.state(), State::Stopped);
    QCOMPARE(disconnected.size(), 1);
    QCOMPARE(disconnected.at(0).at(0).toInt(), CloseCode::Policy);
    // Backoff is 10..40 ms here: a reconnect would come well within this wait.
    QVERIFY(!newConnections.wait(400));

    session.start(); // the user fixed the token
    QVERIFY(newConnections.wait());
    QTRY_COMPARE(session.state(), State::Live);
}

void TestSyncSession::refusedUpgrade_data()
{
    QTest::addColumn<QByteArray>("status");
    QTest::addColumn<bool>("authFailure");
    QTest::addColumn<int>("delayMs"); // of the first reconnect, with a random source of 0
    QTest::newRow("401 stops") << QByteArray("401 Unauthorized") << true << -1;
    QTest::newRow("500 retries") << QByteArray("500 Internal Server Error") << false << 0;
    QTest::newRow("503 retries later") << QByteArray("503 Service Unavailable") << false << 20;
}

void TestSyncSession::refusedUpgrade()
{
    QFETCH(QByteArray, status);
    QFETCH(bool, authFailure);
    QFETCH(int, delayMs);
    // A plain HTTP server that refuses every upgrade, as syncd does for a bad token.
    QTcpServer http;
    QVERIFY(http.listen(QHostAddress::LocalHost, 0));
    int requests = 0;
    connect(&http, &QTcpServer::newConnection, &http, [&] {
        while (QTcpSocket *socket = http.nextPendingConnection()) {
            connect(socket, &QTcpSocket::readyRead, socket, [&, socket] {
                if (!socket->peek(socket->bytesAvailable()).contains("\r\n\r\n"))
                    return;
                socket->readAll();
                ++requests;
                socket->write("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\n\r\n");
            });
        }
    });
    SyncSession session(
        fastConfig({QUrl(u"ws://127.0.0.1:%1/api/v1/ws"_s.arg(http.serverPort()))}));
    session.setBackoffRandomSource([] { return 0.0; });
    QSignalSpy authFailed(&session, &SyncSession::authenticationFailed);
    QSignalSpy scheduled(&session, &SyncSession::reconnectScheduled);
    session.start();
    if (authFailure) {
        QVERIFY(authFailed.wait());
        QCOMPARE(session.state(), State::Stopped);
        QSignalSpy newConnections(&http, &QTcpServer::newConnection);
        QVERIFY(!newConnections.wait(400));
        QCOMPARE(requests, 1);
        QCOMPARE(scheduled.size(), 0);
    } else {
        QTRY_VERIFY(requests >= 3);
        QCOMPARE(authFailed.size(), 0);
        QVERIFY(session.state() != State::Stopped);
        QCOMPARE(scheduled.at(0).at(0).toInt(), delayMs); // 503: half of the 40 ms maximum
    }
}

void TestSyncSession::tryAgainLaterWaitsAtLeastHalfTheMaximum_data()
{
    QTest::addColumn<bool>("errorFrameFirst");
    QTest::addColumn<int>("closeCode");
    QTest::newRow("close 1013") << false << int(CloseCode::TryAgainLater);
    QTest::newRow("unavailable, then close") << true << int(CloseCode::Normal);
}

void TestSyncSession::tryAgainLaterWaitsAtLeastHalfTheMaximum()
{
    QFETCH(bool, errorFrameFirst);
    QFETCH(int, closeCode);
    SyncSessionConfig config = fastConfig({m_server->url()});
    config.backoffMaxMs = 600;
    SyncSession session(config);
    session.setBackoffRandomSource([] { return 0.0; }); // ordinary delays are then 0
    QSignalSpy scheduled(&session, &SyncSession::reconnectScheduled);
    session.start();
    QTRY_COMPARE(session.state(), State::Live);

    m_server->close(0, CloseCode::Normal); // the control: no floor
    QVERIFY(scheduled.wait());
    QCOMPARE(scheduled.last().at(0).toInt(), 0);
    QTRY_COMPARE(session.state(), State::Live);

    QElapsedTimer elapsed;
    elapsed.start();
    if (errorFrameFirst) {
        m_server->send(1, {{u"type"_s, u"error"_s},
                           {u"code"_s, u"unavailable"_s},
                           {u"message"_s, u"overloaded"_s}});
    }
    m_server->close(1, closeCode);
    QVERIFY(scheduled.wait());
    QCOMPARE(scheduled.last().at(0).toInt(), 300);
    QTRY_COMPARE(m_server->connectionCount(), 3);
    QVERIFY2(elapsed.elapsed() >= 280, qPrintable(QString::number(elapsed.elapsed())));
}

void TestSyncSession::failsOverToTheSecondServerWhenTheFirstRefuses()
{
    QTcpServer closed; // a port that was free a moment ago and now refuses
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const QUrl refusing(u"ws://127.0.0.1:%1/api/v1/ws"_s.arg(closed.serverPort()));
    closed.close();

    SyncSession session(fastConfig({refusing, m_server->url()}));
    QSignalSpy disconnected(&session, &SyncSession::disconnected);
    QSignalSpy scheduled(&session, &SyncSession::reconnectScheduled);
    QCOMPARE(session.currentServer(), refusing);
    session.start();
    QTRY_COMPARE(session.state(), State::Live);
    QCOMPARE(session.currentServer(), m_server->url());
    QCOMPARE(m_server->connectionCount(), 1);
    QCOMPARE(disconnected.size(), 1);
    QCOMPARE(disconnected.at(0).at(0).toInt(), 1006);
    QCOMPARE(scheduled.at(0).at(1).toUrl(), m_server->url());
}

void TestSyncSession::backoffRestartsFromMinimumOnceLive()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const QUrl refusing(u"ws://127.0.0.1:%1/api/v1/ws"_s.arg(closed.serverPort()));
    closed.close();

    SyncSession session(fastConfig({refusing, m_server->url()}));
    session.setBackoffRandomSource([] { return 1.0; }); // every delay is the cap
    QSignalSpy scheduled(&session, &SyncSession::reconnectScheduled);
    session.start();
    QTRY_COMPARE(session.state(), State::Live);
    m_server->close(0, CloseCode::Normal);
    QTRY_COMPARE(scheduled.size(), 2);
    // 10 after the refusal (the cap then doubles), 10 again after a session that worked.
    QCOMPARE(scheduled.at(0).at(0).toInt(), 10);
    QCOMPARE(scheduled.at(1).at(0).toInt(), 10);
    QCOMPARE(scheduled.at(1).at(1).toUrl(), m_server->url()); // it worked: stay there
}

void TestSyncSession::registerTimeoutReconnects()
{
    m_server->autoRegister = false;
    SyncSessionConfig config = fastConfig({m_server->url()});
    config.registerTimeoutMs = 200;
    SyncSession session(config);
    QSignalSpy disconnected(&session, &SyncSession::disconnected);
    session.start();
    QTRY_COMPARE(session.state(), State::Registering);
    QTRY_COMPARE(m_server->connectionCount(), 2);
    QTRY_VERIFY(m_server->connection(0).closeCode != -1); // the first one was dropped
    QCOMPARE(disconnected.at(0).at(1).toString(), u"register timeout"_s);
    m_server->sendRegistered(1);
    QTRY_COMPARE(session.state(), State::Live);
}

void TestSyncSession::stopClosesWithNormalCodeAndDoesNotReconnect()
{
    SyncSession session(fastConfig({m_server->url()}));
    session.start();
    QTRY_COMPARE(session.state(), State::Live);
    QSignalSpy newConnections(m_server->server(), &QWebSocketServer::newConnection);
    session.stop();
    QCOMPARE(session.state(), State::Stopped);
    QTRY_COMPARE(m_server->connection(0).closeCode, int(CloseCode::Normal));
    QVERIFY(!newConnections.wait(400));
}

void TestSyncSession::pingIsAnsweredWithPong()
{
    SyncSession session(fastConfig({m_server->url()}));
    QVERIFY(!session.ping()); // not registered: nothing to send on
    QSignalSpy pong(&session, &SyncSession::pongReceived);
    session.start();
    QTRY_COMPARE(session.state(), State::Live);
    QVERIFY(session.ping());
    QVERIFY(pong.wait());
    QCOMPARE(firstOfType(m_server->frames(0), u"ping"_s), (QJsonObject{{u"type"_s, u"ping"_s}}));
}

void TestSyncSession::forwardsAcknowledgedDeletedAndErrors()
{
    SyncSession session(fastConfig({m_server->url()}));
    QSignalSpy acknowledged(&session, &SyncSession::acknowledged);
    QSignalSpy deleted(&session, &SyncSession::deleted);
    QSignalSpy errors(&session, &SyncSession::serverErrorReceived);
    session.start();
    QTRY_COMPARE(session.state(), State::Live);
    m_server->send(0, idsFrame(u"acknowledged"_s, {1, 2}));
    m_server->send(0, idsFrame(u"deleted"_s, {3}));
    m_server->send(0, {{u"type"_s, u"error"_s},
                       {u"code"_s, u"bad_request"_s},
                       {u"message"_s, u"ids: too many"_s}});
    QTRY_COMPARE(errors.size(), 1);
    QCOMPARE(acknowledged.size(), 1);
    QCOMPARE(acknowledged.at(0).at(0).value<QList<NotificationId>>(),
             (QList<NotificationId>{1, 2}));
    QCOMPARE(deleted.at(0).at(0).value<QList<NotificationId>>(), QList<NotificationId>{3});
    QCOMPARE(errors.at(0).at(0).toString(), u"bad_request"_s);
    QCOMPARE(errors.at(0).at(1).toString(), u"ids: too many"_s);
    QCOMPARE(session.state(), State::Live); // an error frame does not end the session
}

QTEST_GUILESS_MAIN(TestSyncSession)
#include "tst_syncsession.moc"
