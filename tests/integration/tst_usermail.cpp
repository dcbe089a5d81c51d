// SPDX-License-Identifier: Apache-2.0
// The email agent of users' delivery preferences against a real herald-syncd and a real SMTP
// server (tests/fixtures/smtpsink.py, python3-aiosmtpd): a rule that says immediate with the
// email agent mails each notification to the address in the user's preferences, a digest with
// the email agent comes as one mail; both are well-formed multipart/alternative mails with
// List-Unsubscribe on the user's preferences, go only to users who follow the channel, are
// retried while the server answers 451, and show in /metrics under the built-in `@mail`.
#include "apihelpers.h"
#include "httpclient.h"
#include "smtpsink.h"
#include "syncdprocess.h"
#include "wait.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {
const QString App = u"ci"_s;
const QString From = u"herald@example.net"_s;
const QString PreferencesUrl = u"https://herald.example.net/settings?user=alice"_s;

QJsonObject alicesMail()
{
    return QJsonObject{
        {"email"_L1, "alice@example.org"_L1},
        {"default"_L1, QJsonObject{{"delivery"_L1, "off"_L1}}},
        {"rules"_L1, QJsonArray{QJsonObject{{"application"_L1, App},
                                            {"channel"_L1, "prod"_L1},
                                            {"delivery"_L1, "immediate"_L1},
                                            {"agents"_L1, QJsonArray{u"desktop"_s, u"email"_s}}},
                                QJsonObject{{"application"_L1, App},
                                            {"channel"_L1, "nightly"_L1},
                                            {"delivery"_L1, "digest"_L1},
                                            {"digest"_L1, "weekly@mon@09:00"_L1},
                                            {"agents"_L1, QJsonArray{u"email"_s}}}}}};
}
} // namespace

class TestUserMail : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(m_sink.start(), "smtpsink.py did not print its ports");
        m_syncd.setEnvironmentVariable(u"HERALD_SMTP_URL"_s, m_sink.url());
        m_syncd.setEnvironmentVariable(u"HERALD_SMTP_FROM"_s, From);
        m_syncd.setEnvironmentVariable(u"HERALD_SMTP_STARTTLS"_s, u"false"_s);
        m_syncd.setEnvironmentVariable(u"HERALD_SMTP_PREFERENCES_URL"_s, PreferencesUrl);
        m_syncd.setEnvironmentVariable(u"HERALD_ENDPOINTS_RETRY_INITIAL_MS"_s, u"100"_s);
        m_syncd.setEnvironmentVariable(u"HERALD_ENDPOINTS_RETRY_MAX_MS"_s, u"500"_s);
        QVERIFY2(m_syncd.start(), qPrintable(m_syncd.errorString()));
        m_admin.setBaseUrl(m_syncd.httpUrl());
        m_admin.setToken(m_syncd.createToken(u"admin"_s));
        QVERIFY(createApplication(m_admin, App, {u"prod"_s, u"nightly"_s, u"other"_s}));
        for (const QString &user : {u"alice"_s, u"bob"_s})
            QVERIFY(createUser(m_admin, user));
        m_aliceToken = m_syncd.createToken(u"user"_s, {u"--user"_s, u"alice"_s});
        m_producer.setBaseUrl(m_syncd.httpUrl());
        m_producer.setToken(m_syncd.createToken(u"producer"_s, {u"--app"_s, App}));
        QCOMPARE(m_admin.put(u"/api/v1/preferences?user=alice"_s, alicesMail()).status, 200);
        // Bob wants mail for everything but follows nothing: he gets none.
        QCOMPARE(m_admin
                     .put(u"/api/v1/preferences?user=bob"_s,
                          QJsonObject{{"email"_L1, "bob@example.org"_L1}})
                     .status,
                 200);
        // Alice follows prod and nightly (not `other`) from her session.
        QVERIFY(m_alice.connectAs(m_syncd.wsUrl(u"token="_s + m_aliceToken), u"alice"_s, App,
                                  {u"prod"_s, u"nightly"_s}));
        QTest::qWait(300);
    }
    void init() { QVERIFY(m_sink.clear()); }
    void cleanup() { m_syncd.dumpLogIfFailed(); }

    void anImmediateRuleWithTheEmailAgentMailsEachNotification()
    {
        const qint64 id =
            publish(m_producer, App, u"prod"_s, u"v2.3 is live"_s,
                    {{"title"_L1, "Deployed"_L1}, {"url"_L1, "https://ci.example.org/run/7"_L1}});
        QVERIFY(id > 0);
        publish(m_producer, App, u"other"_s, u"not followed"_s);
        QVERIFY(waitUntil([&] { return m_sink.delivered().size() == 1; }, 15000, 50));
        QTest::qWait(500); // and no second one
        QCOMPARE(m_sink.delivered().size(), 1);
        const QJsonObject mail = m_sink.delivered().first().toObject();
        QCOMPARE(mail["mailFrom"_L1].toString(), From);
        QCOMPARE(mail["rcptTos"_L1].toArray(), QJsonArray{u"alice@example.org"_s});
        QCOMPARE(mail["defects"_L1].toArray(), QJsonArray());
        QVERIFY(mail["crlf"_L1].toBool());
        QCOMPARE(mail["contentType"_L1].toString(), u"multipart/alternative"_s);
        QCOMPARE(mail["subject"_L1].toString(), u"Deployed"_s);
        const QJsonObject headers = mail["headers"_L1].toObject();
        QCOMPARE(headers["List-Unsubscribe"_L1].toString(), u"<"_s + PreferencesUrl + u">"_s);
        QCOMPARE(headers["Auto-Submitted"_L1].toString(), u"auto-generated"_s);
        QVERIFY(mail["text"_L1].toString().contains(u"v2.3 is live"_s));
        QVERIFY(mail["text"_L1].toString().contains(PreferencesUrl));
        QVERIFY(
            mail["html"_L1].toString().contains(u"<a href=\"https://ci.example.org/run/7\">"_s));
    }

    void aDigestWithTheEmailAgentIsOneMail()
    {
        QList<qint64> ids;
        for (int i = 0; i < 3; ++i)
            ids.append(publish(m_producer, App, u"nightly"_s, u"build %1"_s.arg(i),
                               {{"title"_L1, u"Build %1"_s.arg(i)}}));
        QTest::qWait(300);
        QCOMPARE(m_sink.delivered().size(), 0); // collected, not mailed one by one
        const HttpResponse run = m_admin.post(
            u"/api/v1/digests/run"_s, QJsonObject{{"user"_L1, "alice"_L1}, {"force"_L1, true}});
        QVERIFY2(run.status == 200, run.describe());
        QVERIFY(waitUntil([&] { return m_sink.delivered().size() == 1; }, 15000, 50));
        const QJsonObject mail = m_sink.delivered().first().toObject();
        QCOMPARE(mail["subject"_L1].toString(), u"Weekly digest: 3 notifications in 1 channel"_s);
        QCOMPARE(mail["contentType"_L1].toString(), u"multipart/alternative"_s);
        QCOMPARE(mail["headers"_L1]["List-Unsubscribe"_L1].toString(),
                 u"<"_s + PreferencesUrl + u">"_s);
        const QString text = mail["text"_L1].toString();
        for (int i = 0; i < 3; ++i)
            QVERIFY2(text.contains(u"Build %1"_s.arg(i)), qPrintable(text));
        QVERIFY(mail["html"_L1].toString().contains(u"<li>Build 0"_s));
        QVERIFY(m_alice.framesOfType(u"digest"_s).isEmpty()); // not the desktop agent
    }

    void aServerThatSaysTryLaterGetsTheMailLater()
    {
        QVERIFY(m_sink.configure(
            QJsonObject{{"mode"_L1, "tempfail"_L1}, {"stage"_L1, "data"_L1}, {"failFirst"_L1, 2}}));
        QVERIFY(publish(m_producer, App, u"prod"_s, u"retried"_s) > 0);
        QVERIFY(waitUntil([&] { return m_sink.delivered().size() == 1; }, 15000, 50));
        QVERIFY(m_sink.attempts().size() >= 3); // two 451s, then the mail
        const HttpResponse metrics = m_admin.get(u"/metrics"_s);
        QVERIFY2(metrics.body.contains("endpoint=\"@mail\""), metrics.body.constData());
    }

private:
    SmtpSink m_sink;
    SyncdProcess m_syncd;
    HttpClient m_admin;
    HttpClient m_producer;
    WsClient m_alice;
    QString m_aliceToken;
};

QTEST_GUILESS_MAIN(TestUserMail)
#include "tst_usermail.moc"
