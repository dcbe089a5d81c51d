// SPDX-License-Identifier: Apache-2.0
// Delivery preferences against a real herald-syncd: GET answers the defaults until a PUT, a PUT
// reads back as it was written and survives a restart, bad bodies are refused naming the
// field and change nothing, every session of the user (and only that user) gets the
// `preferences` frame, and tokens reach only their own user's preferences.
#include "apihelpers.h"
#include "httpclient.h"
#include "syncdprocess.h"
#include "wsclient.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {
const QString App = u"ci"_s;

QJsonObject alicesChoice()
{
    return QJsonObject{
        {"timezone"_L1, "Europe/Berlin"_L1},
        {"email"_L1, "alice@example.org"_L1},
        {"default"_L1, QJsonObject{{"delivery"_L1, "digest"_L1}, {"digest"_L1, "daily@08:00"_L1}}},
        {"rules"_L1, QJsonArray{QJsonObject{{"application"_L1, App},
                                            {"channel"_L1, "prod"_L1},
                                            {"delivery"_L1, "immediate"_L1},
                                            {"agents"_L1, QJsonArray{u"desktop"_s}}}}}};
}
} // namespace

class TestPreferencesApi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(m_syncd.start(), qPrintable(m_syncd.errorString()));
        m_admin.setBaseUrl(m_syncd.httpUrl());
        m_admin.setToken(m_syncd.createToken(u"admin"_s));
        QVERIFY(createApplication(m_admin, App, {u"prod"_s}));
        for (const QString &user : {u"alice"_s, u"bob"_s})
            QVERIFY(createUser(m_admin, user));
        m_alice.setBaseUrl(m_syncd.httpUrl());
        m_aliceToken = m_syncd.createToken(u"user"_s, {u"--user"_s, u"alice"_s});
        m_alice.setToken(m_aliceToken);
        m_bobToken = m_syncd.createToken(u"user"_s, {u"--user"_s, u"bob"_s});
    }
    void cleanup() { m_syncd.dumpLogIfFailed(); }

    void theDefaultsUntilAPut()
    {
        const HttpResponse got = m_admin.get(u"/api/v1/preferences?user=bob"_s);
        QCOMPARE(got.status, 200);
        QCOMPARE(got.object()["timezone"_L1].toString(), u"UTC"_s);
        QCOMPARE(got.object()["default"_L1]["delivery"_L1].toString(), u"immediate"_s);
        QCOMPARE(got.object()["rules"_L1].toArray().size(), 0);
    }

    void aPutReachesEverySessionOfTheUserOnly()
    {
        WsClient phone;
        WsClient laptop;
        WsClient bob;
        QVERIFY(phone.connectAs(m_syncd.wsUrl(u"token="_s + m_aliceToken), u"alice"_s, App,
                                {u"prod"_s}));
        QVERIFY(laptop.connectAs(m_syncd.wsUrl(u"token="_s + m_aliceToken), u"alice"_s, App,
                                 {u"prod"_s}));
        QVERIFY(bob.connectAs(m_syncd.wsUrl(u"token="_s + m_bobToken), u"bob"_s, App, {u"prod"_s}));
        const HttpResponse put = m_alice.put(u"/api/v1/preferences"_s, alicesChoice());
        QVERIFY2(put.status == 200, put.describe());
        QCOMPARE(put.object()["default"_L1]["digest"_L1].toString(), u"daily@08:00"_s);
        for (WsClient *session : {&phone, &laptop}) {
            const auto frame = session->waitForType(u"preferences"_s);
            QVERIFY2(frame, session->describe());
            QCOMPARE((*frame)["data"_L1].toObject(), put.object());
        }
        QTest::qWait(300);
        QVERIFY2(bob.framesOfType(u"preferences"_s).isEmpty(), bob.describe());
        QCOMPARE(m_alice.get(u"/api/v1/preferences"_s).object(), put.object());
        QCOMPARE(m_admin.get(u"/api/v1/preferences?user=alice"_s).object(), put.object());
    }

    void badBodiesNameTheFieldAndChangeNothing()
    {
        const QJsonObject before = m_alice.get(u"/api/v1/preferences"_s).object();
        QJsonObject bad = alicesChoice();
        bad["rules"_L1] = QJsonArray{QJsonObject{{"application"_L1, App},
                                                 {"delivery"_L1, "digest"_L1},
                                                 {"digest"_L1, "daily@24:00"_L1}}};
        const HttpResponse refused = m_alice.put(u"/api/v1/preferences"_s, bad);
        QCOMPARE(refused.status, 400);
        QVERIFY2(refused.body.contains("rules[0].digest: "), refused.body.constData());
        bad = alicesChoice();
        bad["timezone"_L1] = u"Atlantis/Central"_s;
        QCOMPARE(m_alice.put(u"/api/v1/preferences"_s, bad).status, 400);
        QCOMPARE(m_alice.get(u"/api/v1/preferences"_s).object(), before);
    }

    void tokensReachOnlyTheirOwnUser()
    {
        QCOMPARE(m_alice.get(u"/api/v1/preferences?user=bob"_s).status, 403);
        QCOMPARE(m_alice.put(u"/api/v1/preferences?user=bob"_s, alicesChoice()).status, 403);
        HttpClient producer(m_syncd.httpUrl());
        producer.setToken(m_syncd.createToken(u"producer"_s, {u"--app"_s, App}));
        QCOMPARE(producer.get(u"/api/v1/preferences?user=alice"_s).status, 403);
        QCOMPARE(m_admin.get(u"/api/v1/preferences"_s).status, 400); // an admin names the user
    }

    void operatorsUseTheCommandLine()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(u"carol.json"_s);
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(R"({"timezone":"Asia/Tokyo","default":{"delivery":"off"}})");
        out.close();
        QVERIFY(createUser(m_admin, u"carol"_s));
        const QStringList server{u"--server"_s, m_syncd.httpUrl().toString(),
                                 u"--token"_s,  m_admin.token(),
                                 u"--user"_s,   u"carol"_s};
        const CliResult set =
            m_syncd.cli(QStringList{u"prefs"_s, u"set"_s} + server + QStringList{file});
        QVERIFY2(set.exitCode == 0, set.err.constData());
        const CliResult got = m_syncd.cli(QStringList{u"prefs"_s, u"get"_s} + server);
        QCOMPARE(got.exitCode, 0);
        const QJsonObject shown = QJsonDocument::fromJson(got.out).object();
        QCOMPARE(shown["timezone"_L1].toString(), u"Asia/Tokyo"_s);
        QCOMPARE(shown["default"_L1]["delivery"_L1].toString(), u"off"_s);
        out.open(QIODevice::WriteOnly | QIODevice::Truncate);
        out.write(R"({"timezone":"Asia/Nowhere"})");
        out.close();
        const CliResult bad =
            m_syncd.cli(QStringList{u"prefs"_s, u"set"_s} + server + QStringList{file});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("timezone: "), bad.err.constData());
    }

    void preferencesSurviveARestart()
    {
        const QJsonObject before = m_alice.get(u"/api/v1/preferences"_s).object();
        QCOMPARE(before["timezone"_L1].toString(), u"Europe/Berlin"_s);
        QVERIFY(m_syncd.restart());
        m_alice.setBaseUrl(m_syncd.httpUrl());
        m_admin.setBaseUrl(m_syncd.httpUrl());
        QCOMPARE(m_alice.get(u"/api/v1/preferences"_s).object(), before);
    }

private:
    SyncdProcess m_syncd;
    HttpClient m_admin;
    HttpClient m_alice;
    QString m_aliceToken;
    QString m_bobToken;
};

QTEST_GUILESS_MAIN(TestPreferencesApi)
#include "tst_preferencesapi.moc"
