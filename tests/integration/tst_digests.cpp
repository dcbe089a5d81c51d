// SPDX-License-Identifier: Apache-2.0
// Digests against a real herald-syncd (PROTOCOL.md, Delivery policy): notifications a user's
// rule puts in a digest are not pushed live but collected; the digest goes to every session of
// the user as one `digest` frame when its period ends (or when an operator runs it), once:
// never an item twice, none lost over a restart or a kill -9, and a digest overdue after a
// downtime is sent once with the next period counted from then, not as a burst.
#include "apihelpers.h"
#include "httpclient.h"
#include "storepeek.h"
#include "syncdprocess.h"
#include "wsclient.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {
const QString App = u"ci"_s;
constexpr qint64 DayMs = 24 * 3600 * 1000;

QJsonObject nightlyInADigest()
{
    return QJsonObject{
        {"timezone"_L1, "Europe/Berlin"_L1},
        {"rules"_L1, QJsonArray{QJsonObject{{"application"_L1, App},
                                            {"channel"_L1, "nightly"_L1},
                                            {"delivery"_L1, "digest"_L1},
                                            {"digest"_L1, "daily@08:00"_L1},
                                            {"agents"_L1, QJsonArray{u"desktop"_s}}}}}};
}

QList<qint64> itemIds(const QJsonObject &data)
{
    QList<qint64> ids;
    for (const QJsonValue &item : data["items"_L1].toArray())
        ids.append(item["id"_L1].toInteger());
    return ids;
}
} // namespace

class TestDigests : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(m_syncd.start(), qPrintable(m_syncd.errorString()));
        connectClients();
        QVERIFY(createApplication(m_admin, App, {u"prod"_s, u"nightly"_s}));
        for (const QString &user : {u"alice"_s, u"bob"_s})
            QVERIFY(createUser(m_admin, user));
        m_aliceToken = m_syncd.createToken(u"user"_s, {u"--user"_s, u"alice"_s});
        m_bobToken = m_syncd.createToken(u"user"_s, {u"--user"_s, u"bob"_s});
        m_producerToken = m_syncd.createToken(u"producer"_s, {u"--app"_s, App});
        connectClients();
        const HttpResponse put =
            m_admin.put(u"/api/v1/preferences?user=alice"_s, nightlyInADigest());
        QVERIFY2(put.status == 200, put.describe());
    }
    void cleanup() { m_syncd.dumpLogIfFailed(); }

    void aDigestCollectsWhatItsRuleSaysAndIsSentOnce()
    {
        WsClient alice;
        WsClient bob;
        QVERIFY(alice.connectAs(aliceUrl(), u"alice"_s, App, {u"prod"_s, u"nightly"_s}));
        QVERIFY(bob.connectAs(m_syncd.wsUrl(u"token="_s + m_bobToken), u"bob"_s, App,
                              {u"prod"_s, u"nightly"_s}));
        QTest::qWait(300); // what a session follows is recorded within 100 ms
        QList<qint64> nightly;
        for (int i = 0; i < 3; ++i)
            nightly.append(publish(m_producer, App, u"nightly"_s, u"build %1"_s.arg(i)));
        const qint64 prod = publish(m_producer, App, u"prod"_s, u"deployed"_s);
        QVERIFY(!nightly.contains(0) && prod != 0);
        QVERIFY2(alice.waitForNotificationId(prod), alice.describe());
        QCOMPARE(alice.notificationIds(), QList<qint64>{prod}); // the nightly ones wait
        QVERIFY2(bob.waitForNotifications(4), bob.describe());  // bob has no digest

        const QJsonArray sent = run(u"alice"_s, true);
        QCOMPARE(sent.size(), 1);
        QCOMPARE(sent[0]["count"_L1].toInteger(), 3);
        QCOMPARE(sent[0]["period"_L1].toString(), u"daily@08:00"_s);
        const auto frame = alice.waitForType(u"digest"_s);
        QVERIFY2(frame, alice.describe());
        const QJsonObject data = (*frame)["data"_L1].toObject();
        QCOMPARE(data["id"_L1].toString(), sent[0]["id"_L1].toString());
        QCOMPARE(data["count"_L1].toInteger(), 3);
        QCOMPARE(itemIds(data), nightly);
        QCOMPARE(data["items"_L1][0]["message"_L1].toString(), u"build 0"_s);
        QVERIFY(bob.framesOfType(u"digest"_s).isEmpty());

        // Nothing new: nothing sent. One more: a digest of that one alone.
        QCOMPARE(run(u"alice"_s, true).size(), 0);
        const qint64 next = publish(m_producer, App, u"nightly"_s, u"build 3"_s);
        const QJsonArray again = run(u"alice"_s, true);
        QCOMPARE(again.size(), 1);
        QCOMPARE(again[0]["count"_L1].toInteger(), 1);
        QVERIFY(QTest::qWaitFor([&] { return alice.framesOfType(u"digest"_s).size() == 2; }));
        QCOMPARE(itemIds(alice.framesOfType(u"digest"_s).last()["data"_L1].toObject()),
                 QList<qint64>{next});
    }

    void anOverdueDigestIsSentOnceAndTheNextPeriodCountsFromNow()
    {
        WsClient alice;
        QVERIFY(alice.connectAs(aliceUrl(), u"alice"_s, App, {u"prod"_s, u"nightly"_s}));
        const qint64 first = publish(m_producer, App, u"nightly"_s, u"late 1"_s);
        const qint64 second = publish(m_producer, App, u"nightly"_s, u"late 2"_s);
        StorePeek store(m_syncd.database());
        QVERIFY2(store.isOpen(), qPrintable(store.errorString()));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        // As if the daemon had been down for three days.
        QVERIFY2(store.exec(u"UPDATE digest_runs SET due_ms = ?, send_after_ms = ? "
                            "WHERE user_name = 'alice'"_s,
                            {now - 3 * DayMs, now - 3 * DayMs}),
                 qPrintable(store.errorString()));
        const QJsonArray sent = run(QString(), false);
        QCOMPARE(sent.size(), 1);
        QCOMPARE(sent[0]["count"_L1].toInteger(), 2);
        QVERIFY(alice.waitForType(u"digest"_s));
        QCOMPARE(itemIds(alice.framesOfType(u"digest"_s).last()["data"_L1].toObject()),
                 (QList<qint64>{first, second}));
        const qint64 due =
            store.scalar(u"SELECT due_ms FROM digest_runs WHERE user_name = 'alice'"_s)
                .toLongLong();
        QVERIFY2(due > now && due <= now + DayMs + 3600 * 1000, qPrintable(QString::number(due)));
        QCOMPARE(run(QString(), false).size(), 0); // caught up: not one per missed day
    }

    void aDueDigestIsSentByTheDaemonItself()
    {
        const qint64 id = publish(m_producer, App, u"nightly"_s, u"while away"_s);
        StorePeek store(m_syncd.database());
        const qint64 due = QDateTime::currentMSecsSinceEpoch() - 1000;
        QVERIFY(store.exec(u"UPDATE digest_runs SET due_ms = ?, send_after_ms = ? "
                           "WHERE user_name = 'alice'"_s,
                           {due, due}));
        // A daemon sends what is due as it starts (and then when each digest is due).
        QVERIFY(m_syncd.restart());
        connectClients();
        QVERIFY(QTest::qWaitFor(
            [&] { return sentFrames(store).join(u' ').contains(QString::number(id)); }, 10000));
    }

    void aKillDuringARunLosesNothingAndRepeatsNothing()
    {
        QList<qint64> ids;
        for (int i = 0; i < 20; ++i)
            ids.append(publish(m_producer, App, u"nightly"_s, u"k %1"_s.arg(i)));
        StorePeek before(m_syncd.database());
        const qint64 digestsBefore = before.scalar(u"SELECT COUNT(*) FROM digests"_s).toLongLong();
        // The run's answer is not waited for: the daemon dies while it may be under way.
        QNetworkAccessManager nam;
        QNetworkRequest request(m_syncd.httpUrl(u"/api/v1/digests/run"_s));
        request.setRawHeader("Authorization", "Bearer " + m_adminToken.toUtf8());
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        QNetworkReply *reply = nam.post(request, R"({"user":"alice","force":true})");
        QTest::qWait(5);
        ::kill(pid_t(m_syncd.pid()), SIGKILL);
        QTest::qWait(200);
        reply->deleteLater();
        QVERIFY(m_syncd.restart());
        connectClients();
        run(u"alice"_s, true); // whatever the first run did not send
        // Every item in exactly one digest, each digest recorded once.
        StorePeek store(m_syncd.database());
        QVERIFY(store.isOpen());
        QStringList frames = sentFrames(store);
        frames = frames.mid(int(digestsBefore));
        QList<qint64> delivered;
        for (const QString &frame : std::as_const(frames))
            delivered += itemIds(QJsonDocument::fromJson(frame.toUtf8())["data"_L1].toObject());
        std::sort(delivered.begin(), delivered.end());
        QCOMPARE(delivered, ids);
        QCOMPARE(store.scalar(u"SELECT COUNT(*) FROM digest_items"_s).toLongLong(), 0);
    }

    void aDigestForTheFeedAgentIsAFeedEntry()
    {
        const QJsonObject feedDigest{
            {"rules"_L1, QJsonArray{QJsonObject{{"application"_L1, App},
                                                {"channel"_L1, "nightly"_L1},
                                                {"delivery"_L1, "digest"_L1},
                                                {"digest"_L1, "hourly"_L1},
                                                {"agents"_L1, QJsonArray{u"feed"_s}}}}}};
        QCOMPARE(m_admin.put(u"/api/v1/preferences?user=bob"_s, feedDigest).status, 200);
        WsClient bob;
        QVERIFY(
            bob.connectAs(m_syncd.wsUrl(u"token="_s + m_bobToken), u"bob"_s, App, {u"nightly"_s}));
        QTest::qWait(300);
        QVERIFY(publish(m_producer, App, u"nightly"_s, u"for the feed"_s,
                        {{"title"_L1, "Feed build"_L1}}) > 0);
        const QJsonArray sent = run(u"bob"_s, true);
        QCOMPARE(sent.size(), 1);
        const HttpResponse feed = m_admin.get(u"/api/v1/users/bob/feed.atom"_s);
        QVERIFY2(feed.status == 200, feed.describe());
        const QByteArray entryId = ":digest:" + sent[0]["id"_L1].toString().toUtf8();
        QVERIFY2(feed.body.contains(entryId), feed.body.constData());
        QVERIFY(feed.body.contains("Hourly digest: 1 notification in 1 channel"));
        QVERIFY(feed.body.contains("- Feed build (ci/nightly)"));
        QVERIFY(bob.framesOfType(u"digest"_s).isEmpty()); // not the desktop agent
    }

    void onlyAdminsRunDigestsAndBadBodiesAreRefused()
    {
        HttpClient alice(m_syncd.httpUrl());
        alice.setToken(m_aliceToken);
        QCOMPARE(alice.post(u"/api/v1/digests/run"_s, QJsonObject{}).status, 403);
        QCOMPARE(m_producer.post(u"/api/v1/digests/run"_s, QJsonObject{}).status, 403);
        const HttpResponse badForce =
            m_admin.post(u"/api/v1/digests/run"_s, QJsonObject{{"force"_L1, "yes"_L1}});
        QCOMPARE(badForce.status, 400);
        QVERIFY2(badForce.body.contains("force: "), badForce.body.constData());
        QCOMPARE(m_admin.post(u"/api/v1/digests/run"_s, QJsonObject{{"force"_L1, true}}).status,
                 400); // force names a user
    }

private:
    QUrl aliceUrl() const { return m_syncd.wsUrl(u"token="_s + m_aliceToken); }

    // After a (re)start the port changes.
    void connectClients()
    {
        if (m_adminToken.isEmpty())
            m_adminToken = m_syncd.createToken(u"admin"_s);
        m_admin.setBaseUrl(m_syncd.httpUrl());
        m_admin.setToken(m_adminToken);
        m_producer.setBaseUrl(m_syncd.httpUrl());
        m_producer.setToken(m_producerToken);
    }

    QJsonArray run(const QString &user, bool force)
    {
        QJsonObject body;
        if (!user.isEmpty())
            body["user"_L1] = user;
        if (force)
            body["force"_L1] = true;
        const HttpResponse answer = m_admin.post(u"/api/v1/digests/run"_s, body);
        if (answer.status != 200)
            qWarning() << "digests/run:" << answer.describe();
        return answer.object()["digests"_L1].toArray();
    }

    // Every digest frame recorded, oldest first.
    static QStringList sentFrames(StorePeek &store)
    {
        QStringList frames;
        const qint64 count = store.scalar(u"SELECT COUNT(*) FROM digests"_s).toLongLong();
        for (qint64 i = 0; i < count; ++i)
            frames.append(store
                              .scalar(u"SELECT frame FROM digests ORDER BY sent_ms, id "
                                      "LIMIT 1 OFFSET ?"_s,
                                      {i})
                              .toString());
        return frames;
    }

    SyncdProcess m_syncd;
    HttpClient m_admin;
    HttpClient m_producer;
    QString m_adminToken;
    QString m_aliceToken;
    QString m_bobToken;
    QString m_producerToken;
};

QTEST_GUILESS_MAIN(TestDigests)
#include "tst_digests.moc"
