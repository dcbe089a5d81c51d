// SPDX-License-Identifier: Apache-2.0
// `off` in a user's delivery preferences against a real herald-syncd: what a rule turns off
// (a channel, or one code of a channel) is pushed to none of that user's sessions, is not
// unseen, never comes back in a backlog and is still in the inbox; other users are not
// touched; turning it back on applies from the next notification, on the sessions already
// open. A rule without the desktop agent, or a digest, is not pushed to the sessions either.
#include "apihelpers.h"
#include "httpclient.h"
#include "syncdprocess.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {
const QString App = u"ci"_s;

QJsonObject rule(const QString &channel, const QString &delivery, const QJsonObject &more = {})
{
    QJsonObject r = more;
    r["application"_L1] = App;
    if (!channel.isEmpty())
        r["channel"_L1] = channel;
    r["delivery"_L1] = delivery;
    return r;
}

// prod: immediate except code `flaky`; noise: off; mail: immediate, email only; later: digest.
QJsonObject quietPreferences()
{
    return QJsonObject{
        {"rules"_L1,
         QJsonArray{rule(u"noise"_s, u"off"_s),
                    rule(u"prod"_s, u"off"_s, {{"code"_L1, "flaky"_L1}}),
                    rule(u"mail"_s, u"immediate"_s, {{"agents"_L1, QJsonArray{u"email"_s}}}),
                    rule(u"later"_s, u"digest"_s, {{"digest"_L1, "daily@08:00"_L1}})}}};
}

QJsonObject withCode(const QString &code)
{
    return QJsonObject{{"code"_L1, code}};
}
} // namespace

class TestDeliveryOff : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(m_syncd.start(), qPrintable(m_syncd.errorString()));
        m_admin.setBaseUrl(m_syncd.httpUrl());
        m_admin.setToken(m_syncd.createToken(u"admin"_s));
        QVERIFY(createApplication(m_admin, App, m_channels));
        for (const QString &user : {u"alice"_s, u"bob"_s})
            QVERIFY(createUser(m_admin, user));
        m_aliceToken = m_syncd.createToken(u"user"_s, {u"--user"_s, u"alice"_s});
        m_bobToken = m_syncd.createToken(u"user"_s, {u"--user"_s, u"bob"_s});
        m_alice.setBaseUrl(m_syncd.httpUrl());
        m_alice.setToken(m_aliceToken);
        m_producer.setBaseUrl(m_syncd.httpUrl());
        m_producer.setToken(m_syncd.createToken(u"producer"_s, {u"--app"_s, App}));
    }
    void cleanup() { m_syncd.dumpLogIfFailed(); }

    void offIsPushedToNoSessionNotUnseenNotInABacklogButInTheInbox()
    {
        WsClient alice;
        WsClient bob;
        QVERIFY(alice.connectAs(m_syncd.wsUrl(u"token="_s + m_aliceToken), u"alice"_s, App,
                                m_channels));
        QVERIFY(bob.connectAs(m_syncd.wsUrl(u"token="_s + m_bobToken), u"bob"_s, App, m_channels));
        QTest::qWait(300); // what a session follows is recorded within 100 ms
        const HttpResponse put = m_alice.put(u"/api/v1/preferences"_s, quietPreferences());
        QVERIFY2(put.status == 200, put.describe());
        QVERIFY(alice.waitForType(u"preferences"_s));

        const qint64 noise = publish(m_producer, App, u"noise"_s, u"n1"_s);
        const qint64 flaky = publish(m_producer, App, u"prod"_s, u"f1"_s, withCode(u"flaky"_s));
        const qint64 mailOnly = publish(m_producer, App, u"mail"_s, u"m1"_s);
        const qint64 later = publish(m_producer, App, u"later"_s, u"l1"_s);
        const qint64 shown = publish(m_producer, App, u"prod"_s, u"p1"_s, withCode(u"deploy"_s));
        const QList<qint64> all{noise, flaky, mailOnly, later, shown};
        QVERIFY(!all.contains(0));

        // Bob has no preferences: everything, in order. Alice: only the last one.
        QVERIFY2(bob.waitForNotifications(5), bob.describe());
        QCOMPARE(bob.notificationIds(), all);
        QVERIFY2(alice.waitForNotificationId(shown), alice.describe());
        QCOMPARE(alice.notificationIds(), QList<qint64>{shown});

        // Unseen: what is not off (mail-only and digest ones are unread notifications too).
        const HttpResponse count = m_alice.get(u"/api/v1/inbox/count"_s);
        QVERIFY2(count.status == 200, count.describe());
        QCOMPARE(count.object()["unseen"_L1].toInteger(), 3);
        // The inbox still holds them all (a page after a cursor: the seen cursor stays).
        const HttpResponse inbox = m_alice.get(u"/api/v1/inbox?after=%1"_s.arg(shown + 1));
        QVERIFY2(inbox.status == 200, inbox.describe());
        QList<qint64> inInbox;
        for (const QJsonValue &item : inbox.object()["notifications"_L1].toArray())
            inInbox.append(item["id"_L1].toInteger());
        for (qint64 id : all)
            QVERIFY2(inInbox.contains(id), inbox.body.constData());

        // A backlog leaves the off ones out, a fresh one and a resume alike.
        WsClient again;
        QVERIFY(again.connectAs(m_syncd.wsUrl(u"token="_s + m_aliceToken), u"alice"_s, App,
                                m_channels, 50));
        QCOMPARE(again.notificationIds(), (QList<qint64>{mailOnly, later, shown}));
        WsClient resumed;
        QVERIFY(resumed.open(m_syncd.wsUrl(u"token="_s + m_aliceToken)));
        QVERIFY(resumed.registerSession(
            WsClient::registerFrame(u"alice"_s, App, m_channels, 10, noise - 1)));
        QCOMPARE(resumed.notificationIds(), (QList<qint64>{mailOnly, later, shown}));
        // Another user's unseen count is untouched.
        const HttpResponse bobs = m_admin.get(u"/api/v1/inbox/count?user=bob"_s);
        QCOMPARE(bobs.object()["unseen"_L1].toInteger(), 5);
    }

    void turningItBackOnAppliesToOpenSessions()
    {
        WsClient alice;
        QVERIFY(alice.connectAs(m_syncd.wsUrl(u"token="_s + m_aliceToken), u"alice"_s, App,
                                m_channels));
        QCOMPARE(publish(m_producer, App, u"noise"_s, u"quiet"_s) > 0, true);
        const HttpResponse put =
            m_alice.put(u"/api/v1/preferences"_s, QJsonObject{{"rules"_L1, QJsonArray{}}});
        QVERIFY2(put.status == 200, put.describe());
        QVERIFY(alice.waitForType(u"preferences"_s));
        const qint64 loud = publish(m_producer, App, u"noise"_s, u"loud"_s);
        QVERIFY2(alice.waitForNotificationId(loud), alice.describe());
        QCOMPARE(alice.notificationIds(), QList<qint64>{loud});
        // Nothing is off any more: every unread one is unseen again, the earlier off ones too.
        const HttpResponse count = m_alice.get(u"/api/v1/inbox/count"_s);
        QCOMPARE(count.object()["unseen"_L1].toInteger(), 7);
    }

private:
    SyncdProcess m_syncd;
    HttpClient m_admin;
    HttpClient m_alice;
    HttpClient m_producer;
    QString m_aliceToken;
    QString m_bobToken;
    const QStringList m_channels{u"prod"_s, u"noise"_s, u"mail"_s, u"later"_s};
};

QTEST_GUILESS_MAIN(TestDeliveryOff)
#include "tst_deliveryoff.moc"
