// SPDX-License-Identifier: Apache-2.0
// SyncSession's publishing (PROTOCOL.md, "Publishing over the WebSocket") against the fake
// server: the register of a publishing session, the publish frames, the answers matched by
// ref, and what becomes of publishes that get no answer.
#include "fakesyncserver.h"
#include "session/syncsession.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace herald;
using namespace herald::test;
using namespace Qt::StringLiterals;
using State = SyncSession::State;

namespace {

SyncSessionConfig publishingConfig(const QUrl &server)
{
    SyncSessionConfig config;
    config.servers = {server};
    config.token = u"producer-token"_s;
    config.clientId = u"publisher"_s;
    config.fetchLast = 0;
    config.backoffMinMs = 10;
    config.backoffMaxMs = 40;
    return config; // no subscriptions: a publishing session
}

Notification buildNotification(const QString &title, bool persistent)
{
    Notification n;
    n.application = u"ci"_s;
    n.channel = u"builds"_s;
    n.title = title;
    n.persistent = persistent;
    return n;
}

QList<QJsonObject> ofType(const QList<QJsonObject> &frames, const QString &type)
{
    QList<QJsonObject> found;
    for (const QJsonObject &frame : frames) {
        if (frame.value(u"type"_s).toString() == type)
            found.append(frame);
    }
    return found;
}

QJsonObject errorFrame(const QString &code, const QString &message, const QString &ref = {})
{
    QJsonObject frame{{u"type"_s, u"error"_s}, {u"code"_s, code}, {u"message"_s, message}};
    if (!ref.isEmpty())
        frame.insert(u"ref"_s, ref);
    return frame;
}

} // namespace

class TestSyncSessionPublish : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void publishingSessionRegistersWithoutSubscriptionsAndGoesLive();
    void publishSendsAFrameAndReportsTheId();
    void errorWithRefIsAFailedPublishNotAServerError();
    void publishWhileNotRegisteredFailsUnavailable();
    void lostConnectionFailsTheUnansweredBeforeDisconnected();
    void stopFailsTheUnanswered();

private:
    std::unique_ptr<FakeSyncServer> m_server;
};

void TestSyncSessionPublish::init()
{
    m_server = std::make_unique<FakeSyncServer>();
    QVERIFY(m_server->listen());
}

void TestSyncSessionPublish::publishingSessionRegistersWithoutSubscriptionsAndGoesLive()
{
    SyncSession session(publishingConfig(m_server->url()));
    QSignalSpy backlogDone(&session, &SyncSession::backlogDone);
    session.start();
    QTRY_COMPARE(session.state(), State::Live);
    QCOMPARE(backlogDone.size(), 1);
    const QJsonObject reg = m_server->frames(0).at(0);
    QCOMPARE(reg.value(u"type"_s).toString(), u"register"_s);
    QVERIFY(reg.value(u"subscriptions"_s).isArray()); // present, as `[]`
    QCOMPARE(reg.value(u"subscriptions"_s).toArray(), QJsonArray());
    QVERIFY(!reg.contains(u"user"_s));
}

void TestSyncSessionPublish::publishSendsAFrameAndReportsTheId()
{
    SyncSession session(publishingConfig(m_server->url()));
    QSignalSpy published(&session, &SyncSession::published);
    session.start();
    QTRY_COMPARE(session.state(), State::Live);

    const QString first = session.publish(buildNotification(u"Build 1 passed"_s, false));
    const QString second = session.publish(buildNotification(u"Build 2 passed"_s, true));
    QVERIFY(first != second);
    QCOMPARE(session.unansweredPublishes(), 2);
    QTRY_COMPARE(ofType(m_server->frames(0), u"publish"_s).size(), 2);
    const QJsonObject frame = ofType(m_server->frames(0), u"publish"_s).at(0);
    QCOMPARE(frame.value(u"ref"_s).toString(), first);
    const QJsonObject notification = frame.value(u"notification"_s).toObject();
    QCOMPARE(notification.value(u"application"_s).toString(), u"ci"_s);
    QCOMPARE(notification.value(u"channel"_s).toString(), u"builds"_s);
    QCOMPARE(notification.value(u"title"_s).toString(), u"Build 1 passed"_s);
    QCOMPARE(notification.value(u"persistent"_s).toBool(true), false);

    m_server->send(0, {{u"type"_s, u"published"_s}, {u"ref"_s, second}, {u"id"_s, 1002}});
    m_server->send(0, {{u"type"_s, u"published"_s}, {u"ref"_s, first}, {u"id"_s, 1001}});
    QTRY_COMPARE(published.size(), 2);
    QCOMPARE(published.at(0).at(0).toString(), second);
    QCOMPARE(published.at(0).at(1).value<NotificationId>(), NotificationId(1002));
    QCOMPARE(published.at(1).at(0).toString(), first);
    QCOMPARE(published.at(1).at(1).value<NotificationId>(), NotificationId(1001));
    QCOMPARE(session.unansweredPublishes(), 0);
}

void TestSyncSessionPublish::errorWithRefIsAFailedPublishNotAServerError()
{
    SyncSession session(publishingConfig(m_server->url()));
    QSignalSpy failed(&session, &SyncSession::publishFailed);
    QSignalSpy errors(&session, &SyncSession::serverErrorReceived);
    session.start();
    QTRY_COMPARE(session.state(), State::Live);
    const QString ref = session.publish(buildNotification(u"x"_s, true));
    m_server->send(0, errorFrame(u"forbidden"_s, u"application: not yours"_s, ref));
    m_server->send(0, errorFrame(u"bad_request"_s, u"ref: must be 1 to 64 characters"_s));
    QTRY_COMPARE(errors.size(), 1);
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.at(0), (QList<QVariant>{ref, u"forbidden"_s, u"application: not yours"_s}));
    QCOMPARE(errors.at(0).at(0).toString(), u"bad_request"_s); // no ref: as before
    QCOMPARE(session.state(), State::Live);
}

void TestSyncSessionPublish::publishWhileNotRegisteredFailsUnavailable()
{
    SyncSession session(publishingConfig(m_server->url()));
    QSignalSpy failed(&session, &SyncSession::publishFailed);
    const QString ref = session.publish(buildNotification(u"too early"_s, true));
    QVERIFY(!ref.isEmpty());
    QCOMPARE(failed.size(), 0); // posted: the caller holds the ref first
    QVERIFY(failed.wait(1000));
    QCOMPARE(failed.at(0).at(0).toString(), ref);
    QCOMPARE(failed.at(0).at(1).toString(), u"unavailable"_s);
    QCOMPARE(session.unansweredPublishes(), 0);
    QCOMPARE(m_server->connectionCount(), 0); // neither queued nor a reason to connect
}

void TestSyncSessionPublish::lostConnectionFailsTheUnansweredBeforeDisconnected()
{
    SyncSession session(publishingConfig(m_server->url()));
    QStringList events;
    connect(&session, &SyncSession::publishFailed, this,
            [&](const QString &ref, const QString &code, const QString &message) {
                events.append(ref + u' ' + code);
                QVERIFY2(message.contains(u"unknown"_s), qPrintable(message));
            });
    connect(&session, &SyncSession::disconnected, this,
            [&](int, const QString &) { events.append(u"disconnected"_s); });
    session.start();
    QTRY_COMPARE(session.state(), State::Live);
    const QString a = session.publish(buildNotification(u"a"_s, true));
    const QString b = session.publish(buildNotification(u"b"_s, true));
    const QString c = session.publish(buildNotification(u"c"_s, true));
    QTRY_COMPARE(ofType(m_server->frames(0), u"publish"_s).size(), 3);
    m_server->send(0, {{u"type"_s, u"published"_s}, {u"ref"_s, b}, {u"id"_s, 7}});
    m_server->close(0, CloseCode::GoingAway);
    QTRY_VERIFY(events.contains(u"disconnected"_s));
    QCOMPARE(events,
             (QStringList{a + u" unavailable"_s, c + u" unavailable"_s, u"disconnected"_s}));
    QTRY_COMPARE(session.state(), State::Live); // reconnected; nothing published again
    QCOMPARE(ofType(m_server->frames(1), u"publish"_s).size(), 0);
}

void TestSyncSessionPublish::stopFailsTheUnanswered()
{
    SyncSession session(publishingConfig(m_server->url()));
    QSignalSpy failed(&session, &SyncSession::publishFailed);
    session.start();
    QTRY_COMPARE(session.state(), State::Live);
    const QString ref = session.publish(buildNotification(u"a"_s, true));
    session.stop();
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.at(0).at(0).toString(), ref);
    QCOMPARE(failed.at(0).at(1).toString(), u"unavailable"_s);
}

QTEST_GUILESS_MAIN(TestSyncSessionPublish)
#include "tst_syncsessionpublish.moc"
