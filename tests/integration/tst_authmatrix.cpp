// SPDX-License-Identifier: Apache-2.0
// Who may do what: every REST endpoint against every kind of caller, and the WebSocket's
// token checks. Tokens come from the CLI (`herald-syncd token create`); no --no-auth here.
#include "apihelpers.h"
#include "httpclient.h"
#include "syncdprocess.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QUrlQuery>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {
// Expected outcome: any 2xx, or exactly this status.
constexpr int Ok = 2;
constexpr int Unauthorized = 401;
constexpr int Forbidden = 403;

// Callers, in the order of the expectation columns below.
// "feed" is alice's feed token: it reads her Atom feed and nothing else.
const QStringList Principals = {u"none"_s, u"admin"_s,     u"producerOwn"_s, u"producerOther"_s,
                                u"user"_s, u"userOther"_s, u"feed"_s};

struct Endpoint
{
    const char *name;
    QByteArray method;
    QString path; // placeholders: see resolve()
    QByteArray body;
    QList<int> expected;    // per principal
    QByteArray contentType; // of the body; empty: application/json
};

QByteArray upgradeRequest(quint16 port, const QString &pathAndQuery, const QByteArray &extra = {})
{
    return "GET " + pathAndQuery.toUtf8() +
           " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) +
           "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
           extra + "\r\n";
}
} // namespace

class TestAuthMatrix : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void restEndpoint_data();
    void restEndpoint();
    void restRejectsUnknownToken();
    void revokedTokensStopWorking();

    void webSocketRegister_data();
    void webSocketRegister();
    void webSocketAcceptsTokenInRegisterFrame();
    void webSocketRefusesBadTokenOnUpgrade_data();
    void webSocketRefusesBadTokenOnUpgrade();
    void webSocketClosesOnBadTokenInRegisterFrame();

private:
    QString tokenFor(const QString &principal) const;
    QString freshName() { return u"fresh%1"_s.arg(++m_fresh); }
    // Replaces the placeholders of a row; may create what the row acts on.
    bool resolve(const QString &principal, QString *path, QByteArray *body, QString *token);

    SyncdProcess m_syncd;
    HttpClient m_admin;
    QHash<QString, QString> m_tokens; // principal -> token
    int m_fresh = 0;
};

void TestAuthMatrix::initTestCase()
{
    QVERIFY2(m_syncd.start(), qPrintable(m_syncd.errorString()));
    // Tokens made by the CLI while the daemon runs are valid at once (API-NOTES.md).
    m_tokens[u"admin"_s] = m_syncd.createToken(u"admin"_s);
    QVERIFY(!m_tokens[u"admin"_s].isEmpty());
    m_admin.setBaseUrl(m_syncd.httpUrl());
    m_admin.setToken(m_tokens[u"admin"_s]);
    QVERIFY(createApplication(m_admin, u"shop"_s, {u"orders"_s}));
    QVERIFY(createApplication(m_admin, u"other"_s, {u"news"_s}));
    QVERIFY(createUser(m_admin, u"alice"_s));
    QVERIFY(createUser(m_admin, u"bob"_s));
    m_tokens[u"producerOwn"_s] = m_syncd.createToken(u"producer"_s, {u"--app"_s, u"shop"_s});
    m_tokens[u"producerOther"_s] = m_syncd.createToken(u"producer"_s, {u"--app"_s, u"other"_s});
    m_tokens[u"user"_s] = m_syncd.createToken(u"user"_s, {u"--user"_s, u"alice"_s});
    m_tokens[u"userOther"_s] = m_syncd.createToken(u"user"_s, {u"--user"_s, u"bob"_s});
    m_tokens[u"feed"_s] = m_syncd.createToken(u"feed"_s, {u"--user"_s, u"alice"_s});
    for (const QString &principal : Principals.mid(1))
        QVERIFY2(!m_tokens.value(principal).isEmpty(), qPrintable(principal));
}

void TestAuthMatrix::cleanup()
{
    m_syncd.dumpLogIfFailed();
}

QString TestAuthMatrix::tokenFor(const QString &principal) const
{
    return m_tokens.value(principal);
}

bool TestAuthMatrix::resolve(const QString &principal, QString *path, QByteArray *body,
                             QString *token)
{
    // "user" acts for itself; everyone else names alice, so "userOther" is bob acting on
    // alice's behalf.
    const bool self = principal == "user"_L1;
    path->replace(u"{asAlice}"_s, self ? QString() : u"user=alice"_s);
    body->replace("{asAlice}", self ? "" : ",\"user\":\"alice\"");
    if (path->contains("{fresh}"_L1) || body->contains("{fresh}")) {
        const QString name = freshName();
        path->replace(u"{fresh}"_s, name);
        body->replace("{fresh}", name.toUtf8());
    }
    if (path->contains("{freshApp}"_L1)) {
        const QString app = freshName();
        if (!createApplication(m_admin, app))
            return false;
        path->replace(u"{freshApp}"_s, app);
        if (principal == "producerOwn"_L1)
            *token = m_syncd.createToken(u"producer"_s, {u"--app"_s, app});
    }
    if (path->contains("{freshId}"_L1) || body->contains("{freshId}")) {
        const qint64 id = publish(m_admin, u"shop"_s, u"orders"_s, u"to be removed"_s);
        if (id == 0)
            return false;
        path->replace(u"{freshId}"_s, QString::number(id));
        body->replace("{freshId}", QByteArray::number(id));
    }
    if (path->contains("{freshTokenId}"_L1)) {
        const HttpResponse created = m_admin.post(
            u"/api/v1/tokens"_s, QJsonObject{{"kind"_L1, "user"_L1}, {"user"_L1, "alice"_L1}});
        if (created.status != 201 || !created.object().value("id"_L1).isDouble()) {
            qWarning("POST /api/v1/tokens -> %s", created.describe().constData());
            return false;
        }
        path->replace(u"{freshTokenId}"_s,
                      QString::number(created.object().value("id"_L1).toInteger()));
    }
    return true;
}

void TestAuthMatrix::restEndpoint_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QString>("principal");
    QTest::addColumn<int>("expected");

    const int U = Unauthorized;
    const int F = Forbidden;
    // Columns: none, admin, producer (own app), producer (other app), user, user (other user),
    // feed (alice's).
    const QList<Endpoint> endpoints = {
        {"healthz", "GET", u"/healthz"_s, {}, {Ok, Ok, Ok, Ok, Ok, Ok, Ok}},
        {"metrics", "GET", u"/metrics"_s, {}, {Ok, Ok, Ok, Ok, Ok, Ok, Ok}}, // loopback
        // A producer registers its own application (self-registration), no other.
        {"putApplication",
         "PUT",
         u"/api/v1/applications/shop"_s,
         R"({"title":"Shop","eventTypes":[]})",
         {U, Ok, Ok, F, F, F, F}},
        {"putNewApplication",
         "PUT",
         u"/api/v1/applications/{fresh}"_s,
         R"({"title":"New","eventTypes":[]})",
         {U, Ok, F, F, F, F, F}},
        // Users read the catalog to choose what to follow; producers see their own application.
        {"listApplications", "GET", u"/api/v1/applications"_s, {}, {U, Ok, Ok, Ok, Ok, Ok, F}},
        {"getApplication", "GET", u"/api/v1/applications/shop"_s, {}, {U, Ok, Ok, F, Ok, Ok, F}},
        {"deleteApplication",
         "DELETE",
         u"/api/v1/applications/{freshApp}"_s,
         {},
         {U, Ok, Ok, F, F, F, F}},
        {"putChannel",
         "PUT",
         u"/api/v1/applications/shop/channels/{fresh}"_s,
         R"({"title":"Fresh","description":"made by the auth matrix"})",
         {U, Ok, Ok, F, F, F, F}},
        {"listChannels",
         "GET",
         u"/api/v1/applications/shop/channels"_s,
         {},
         {U, Ok, Ok, F, Ok, Ok, F}},
        {"publish",
         "POST",
         u"/api/v1/notifications"_s,
         R"({"application":"shop","channel":"orders","title":"T","message":"m"})",
         {U, Ok, Ok, F, F, F, F}},
        {"publishBatch",
         "POST",
         u"/api/v1/notifications"_s,
         R"([{"application":"shop","channel":"orders","title":"T","message":"m"}])",
         {U, Ok, Ok, F, F, F, F}},
        {"publishHermes",
         "POST",
         u"/api/notifications"_s,
         R"({"applicationName":"shop","channelName":"orders","code":"c","message":"m","persistent":true})",
         {U, Ok, Ok, F, F, F, F}},
        {"publishPlainText",
         "POST",
         u"/api/v1/publish/shop/orders"_s,
         "Backup done",
         {U, Ok, Ok, F, F, F, F},
         "text/plain"},
        {"alertmanagerWebhook",
         "POST",
         u"/api/v1/integrations/alertmanager/shop?channel=orders"_s,
         R"({"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"A"}}]})",
         {U, Ok, Ok, F, F, F, F}},
        {"deleteNotification",
         "DELETE",
         u"/api/v1/notifications/{freshId}"_s,
         {},
         {U, Ok, Ok, F, F, F, F}},
        {"createUser", "POST", u"/api/v1/users"_s, R"({"name":"{fresh}"})", {U, Ok, F, F, F, F, F}},
        {"createToken",
         "POST",
         u"/api/v1/tokens"_s,
         R"({"kind":"user","user":"alice"})",
         {U, Ok, F, F, F, F, F}},
        {"deleteToken", "DELETE", u"/api/v1/tokens/{freshTokenId}"_s, {}, {U, Ok, F, F, F, F, F}},
        {"dropUser", "POST", u"/api/v1/users/alice/drop"_s, {}, {U, Ok, F, F, F, F, F}},
        {"listNotifications",
         "GET",
         u"/api/v1/notifications?{asAlice}"_s,
         {},
         {U, Ok, F, F, Ok, F, F}},
        {"ack",
         "POST",
         u"/api/v1/acks"_s,
         R"({"ids":[{freshId}]{asAlice}})",
         {U, Ok, F, F, Ok, F, F}},
        {"inbox", "GET", u"/api/v1/inbox?{asAlice}"_s, {}, {U, Ok, F, F, Ok, F, F}},
        {"inboxCount", "GET", u"/api/v1/inbox/count?{asAlice}"_s, {}, {U, Ok, F, F, Ok, F, F}},
        {"preferences", "GET", u"/api/v1/preferences?{asAlice}"_s, {}, {U, Ok, F, F, Ok, F, F}},
        // The one route a feed token opens: alice's feed, read by her tokens and admins.
        {"feedAtom", "GET", u"/api/v1/users/alice/feed.atom"_s, {}, {U, Ok, F, F, Ok, F, Ok}},
    };
    for (const Endpoint &endpoint : endpoints) {
        for (int i = 0; i < Principals.size(); ++i) {
            QTest::addRow("%s/%s", endpoint.name, qPrintable(Principals.at(i)))
                << endpoint.method << endpoint.path << endpoint.body << endpoint.contentType
                << Principals.at(i) << endpoint.expected.at(i);
        }
    }
}

void TestAuthMatrix::restEndpoint()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(QString, principal);
    QFETCH(int, expected);

    QString token = tokenFor(principal);
    QVERIFY(resolve(principal, &path, &body, &token));
    HttpClient client(m_syncd.httpUrl());
    client.setToken(token);
    Headers headers;
    if (!contentType.isEmpty())
        headers.append({"Content-Type", contentType});
    const HttpResponse response = client.request(method, path, body, headers);
    const QByteArray what =
        method + ' ' + path.toUtf8() + " as " + principal.toUtf8() + " -> " + response.describe();
    if (expected == Ok) {
        QVERIFY2(response.status / 100 == 2, what);
    } else {
        QVERIFY2(response.status == expected, what);
        QCOMPARE(response.errorCode(),
                 expected == Unauthorized ? u"unauthorized"_s : u"forbidden"_s);
    }
}

void TestAuthMatrix::restRejectsUnknownToken()
{
    HttpClient client(m_syncd.httpUrl());
    client.setToken(u"not-a-token-this-daemon-issued"_s);
    for (const QString &path : {u"/api/v1/notifications"_s, u"/api/v1/applications"_s}) {
        const HttpResponse response = client.get(path);
        QVERIFY2(response.status == 401, response.describe());
        QCOMPARE(response.errorCode(), u"unauthorized"_s);
    }
    const HttpResponse malformed = client.request("GET", u"/api/v1/notifications"_s, {},
                                                  {{"Authorization", "Basic YWxpY2U6c2VjcmV0"}});
    QVERIFY2(malformed.status == 401, malformed.describe());
}

void TestAuthMatrix::revokedTokensStopWorking()
{
    // One revoked through the CLI on the database (effective within 30 s), one through REST.
    QList<qint64> ids;
    QStringList tokens;
    for (int i = 0; i < 2; ++i) {
        const HttpResponse created = m_admin.post(
            u"/api/v1/tokens"_s, QJsonObject{{"kind"_L1, "user"_L1}, {"user"_L1, "alice"_L1}});
        QVERIFY2(created.status == 201, created.describe());
        ids.append(created.object().value("id"_L1).toInteger());
        tokens.append(created.object().value("token"_L1).toString());
        HttpClient client(m_syncd.httpUrl());
        client.setToken(tokens.last());
        QCOMPARE(client.get(u"/api/v1/notifications"_s).status, 200);
    }
    const CliResult revoked = m_syncd.cli({u"token"_s, u"revoke"_s, u"--database"_s,
                                           m_syncd.databasePath(), QString::number(ids.at(0))});
    QVERIFY2(revoked.exitCode == 0, revoked.err);
    const HttpResponse deleted = m_admin.del(u"/api/v1/tokens/%1"_s.arg(ids.at(1)));
    QCOMPARE(deleted.status, 204);
    for (const QString &token : tokens) {
        HttpClient client(m_syncd.httpUrl());
        client.setToken(token);
        QTRY_COMPARE_WITH_TIMEOUT(client.get(u"/api/v1/notifications"_s).status, 401, 40000);
    }
}

void TestAuthMatrix::webSocketRegister_data()
{
    QTest::addColumn<QString>("principal");
    QTest::addColumn<bool>("accepted");
    // Everyone registers as alice; only admin and alice herself may.
    QTest::newRow("none") << u"none"_s << false;
    QTest::newRow("admin") << u"admin"_s << true;
    QTest::newRow("producerOwn") << u"producerOwn"_s << false;
    QTest::newRow("producerOther") << u"producerOther"_s << false;
    QTest::newRow("user") << u"user"_s << true;
    QTest::newRow("userOther") << u"userOther"_s << false;
    QTest::newRow("feed") << u"feed"_s << false; // in the register frame: the upgrade refuses it
}

void TestAuthMatrix::webSocketRegister()
{
    QFETCH(QString, principal);
    QFETCH(bool, accepted);
    const bool inFrame = principal == "feed"_L1;
    QUrlQuery query;
    if (!tokenFor(principal).isEmpty() && !inFrame)
        query.addQueryItem(u"token"_s, tokenFor(principal));
    WsClient ws;
    // No token at all is still a valid upgrade: the register frame may carry it.
    QVERIFY2(ws.open(m_syncd.wsUrl(query.toString(QUrl::FullyEncoded))), ws.describe());
    QJsonObject frame = WsClient::registerFrame(u"alice"_s, u"shop"_s, {u"orders"_s});
    if (inFrame)
        frame.insert("token"_L1, tokenFor(principal));
    ws.sendJson(frame);
    if (accepted) {
        QVERIFY2(ws.waitForType(u"backlogDone"_s), ws.describe());
        QVERIFY(ws.isConnected());
    } else {
        QVERIFY2(ws.waitForClosed(), ws.describe());
        QVERIFY2(ws.framesOfType(u"registered"_s).isEmpty(), ws.describe());
        QVERIFY2(ws.closeCode() == 1008, ws.describe());
    }
}

void TestAuthMatrix::webSocketAcceptsTokenInRegisterFrame()
{
    WsClient ws;
    QVERIFY2(ws.open(m_syncd.wsUrl()), ws.describe());
    QJsonObject frame = WsClient::registerFrame({}, u"shop"_s, {u"orders"_s});
    frame.insert("token"_L1, tokenFor(u"user"_s));
    QVERIFY2(ws.registerSession(frame), ws.describe());
}

void TestAuthMatrix::webSocketRefusesBadTokenOnUpgrade_data()
{
    QTest::addColumn<QString>("pathAndQuery");
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<int>("expected");
    const QString path = u"/api/v1/ws"_s;
    const QByteArray good = tokenFor(u"user"_s).toUtf8();
    QTest::newRow("bad token in query") << path + u"?token=bogus"_s << QByteArray() << 401;
    QTest::newRow("bad bearer header")
        << path << QByteArray("Authorization: Bearer bogus\r\n") << 401;
    // Controls: the same request with a valid token is upgraded.
    QTest::newRow("good token in query")
        << QString(path + u"?token="_s + QString::fromUtf8(good)) << QByteArray() << 101;
    QTest::newRow("good bearer header")
        << path << QByteArray("Authorization: Bearer " + good + "\r\n") << 101;
    // A feed token is valid, but may not open a WebSocket at all.
    const QByteArray feed = tokenFor(u"feed"_s).toUtf8();
    QTest::newRow("feed token in query")
        << QString(path + u"?token="_s + QString::fromUtf8(feed)) << QByteArray() << 403;
    QTest::newRow("feed bearer header")
        << path << QByteArray("Authorization: Bearer " + feed + "\r\n") << 403;
}

void TestAuthMatrix::webSocketRefusesBadTokenOnUpgrade()
{
    QFETCH(QString, pathAndQuery);
    QFETCH(QByteArray, headers);
    QFETCH(int, expected);
    const HttpResponse response = HttpClient::rawRequest(
        u"127.0.0.1"_s, m_syncd.port(), upgradeRequest(m_syncd.port(), pathAndQuery, headers));
    QVERIFY2(response.status == expected, response.describe());
}

void TestAuthMatrix::webSocketClosesOnBadTokenInRegisterFrame()
{
    WsClient ws;
    QVERIFY2(ws.open(m_syncd.wsUrl()), ws.describe());
    QJsonObject frame = WsClient::registerFrame(u"alice"_s, u"shop"_s, {u"orders"_s});
    frame.insert("token"_L1, u"bogus"_s);
    ws.sendJson(frame);
    QVERIFY2(ws.waitForClosed(), ws.describe());
    QVERIFY2(ws.framesOfType(u"registered"_s).isEmpty(), ws.describe());
    QVERIFY2(ws.closeCode() == 1008, ws.describe());
}

QTEST_GUILESS_MAIN(TestAuthMatrix)
#include "tst_authmatrix.moc"
