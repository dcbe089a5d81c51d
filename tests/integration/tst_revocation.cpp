// SPDX-License-Identifier: Apache-2.0
// Revocation that bites: revoking a token (API or command line) or deleting its user stops
// REST requests with it and closes the WebSocket sessions opened with it (1008) within a
// second; other tokens' sessions stay. The daemon runs with auth on.
//
// Caught mutations: a revocation that only forgets the token cache (sessions stay open); the
// watcher not started (command-line revocations only take effect after the cache's 30 s).
#include "apihelpers.h"
#include "httpclient.h"
#include "syncdprocess.h"
#include "wsclient.h"

#include <QElapsedTimer>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {
const QString App = u"shop"_s;
constexpr int WithinMs = 1000;
} // namespace

class TestRevocation : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void apiRevocationClosesOnlyThatTokensSessions();
    void cliRevocationTakesEffectWithinASecond();
    void deletingAUserRevokesTokensAndClosesSessions();
    void cliUserDeleteClosesSessionsWithinASecond();
    void onlyAdminsDeleteUsers();

private:
    // A user token made through the API: {id, secret}.
    QPair<qint64, QString> userToken(const QString &user);
    std::unique_ptr<WsClient> session(const QString &token, const QString &user = {});
    // Milliseconds until `ws` closes (-1: not within 5 s), and its code must be 1008.
    qint64 msUntilPolicyClose(WsClient &ws, const QElapsedTimer &since);
    int restStatus(const QString &token);

    SyncdProcess m_syncd;
    HttpClient m_admin;
    QString m_adminToken;
};

void TestRevocation::initTestCase()
{
    QVERIFY2(m_syncd.start(), qPrintable(m_syncd.errorString()));
    m_adminToken = m_syncd.createToken(u"admin"_s);
    QVERIFY(!m_adminToken.isEmpty());
    m_admin.setBaseUrl(m_syncd.httpUrl());
    m_admin.setToken(m_adminToken);
    QVERIFY(createApplication(m_admin, App, {u"orders"_s}));
    for (const QString &user : {u"alice"_s, u"bob"_s, u"carol"_s, u"dave"_s})
        QVERIFY(createUser(m_admin, user));
}

void TestRevocation::cleanup()
{
    m_syncd.dumpLogIfFailed();
}

QPair<qint64, QString> TestRevocation::userToken(const QString &user)
{
    const HttpResponse made =
        m_admin.post(u"/api/v1/tokens"_s, QJsonObject{{"kind"_L1, "user"_L1}, {"user"_L1, user}});
    if (made.status != 201) {
        qWarning("token for %s: %s", qPrintable(user), made.describe().constData());
        return {};
    }
    return {qint64(made.object().value("id"_L1).toDouble()),
            made.object().value("token"_L1).toString()};
}

std::unique_ptr<WsClient> TestRevocation::session(const QString &token, const QString &user)
{
    auto ws = std::make_unique<WsClient>();
    if (!ws->open(m_syncd.wsUrl(), token) ||
        !ws->registerSession(WsClient::registerFrame(user, App, {u"orders"_s}))) {
        qWarning("session: %s", ws->describe().constData());
        return nullptr;
    }
    return ws;
}

qint64 TestRevocation::msUntilPolicyClose(WsClient &ws, const QElapsedTimer &since)
{
    if (!ws.waitForClosed(5000))
        return -1;
    const qint64 elapsed = since.elapsed();
    if (ws.closeCode() != 1008) {
        qWarning("closed with %d (%s), expected 1008", ws.closeCode(),
                 qPrintable(ws.closeReason()));
        return -1;
    }
    return elapsed;
}

int TestRevocation::restStatus(const QString &token)
{
    HttpClient http(m_syncd.httpUrl());
    http.setToken(token);
    return http.get(u"/api/v1/applications/shop"_s).status;
}

void TestRevocation::apiRevocationClosesOnlyThatTokensSessions()
{
    const auto [revokedId, revoked] = userToken(u"alice"_s);
    const auto [keptId, kept] = userToken(u"alice"_s);
    QVERIFY(revokedId > 0 && keptId > 0);
    QCOMPARE(restStatus(revoked), 200); // cached from now on
    auto doomed = session(revoked);
    auto doomedToo = session(revoked);
    auto survivor = session(kept);
    QVERIFY(doomed && doomedToo && survivor);

    QElapsedTimer clock;
    clock.start();
    const HttpResponse revoke = m_admin.del(u"/api/v1/tokens/%1"_s.arg(revokedId));
    QVERIFY2(revoke.status == 204, revoke.describe());
    const qint64 first = msUntilPolicyClose(*doomed, clock);
    const qint64 second = msUntilPolicyClose(*doomedToo, clock);
    QVERIFY2(first >= 0 && first < WithinMs, qPrintable(u"closed after %1 ms"_s.arg(first)));
    QVERIFY2(second >= 0 && second < WithinMs, qPrintable(u"closed after %1 ms"_s.arg(second)));
    QCOMPARE(doomed->closeReason(), u"token revoked"_s);
    qInfo("sessions of a token revoked through the API closed after %lld and %lld ms", first,
          second);
    QCOMPARE(restStatus(revoked), 401);

    // The other token of the same user is untouched and still receives.
    QCOMPARE(restStatus(kept), 200);
    const qint64 id = publish(m_admin, App, u"orders"_s, u"still here"_s);
    QVERIFY2(survivor->waitForNotificationId(id), survivor->describe().constData());
    QVERIFY(!survivor->isClosed());
}

void TestRevocation::cliRevocationTakesEffectWithinASecond()
{
    const auto [id, token] = userToken(u"bob"_s);
    QVERIFY(id > 0);
    QCOMPARE(restStatus(token), 200); // the daemon caches it now
    auto ws = session(token);
    QVERIFY(ws);

    QElapsedTimer clock;
    clock.start();
    const CliResult revoked = m_syncd.cli(
        {u"token"_s, u"revoke"_s, u"--database"_s, m_syncd.databasePath(), QString::number(id)});
    QVERIFY2(revoked.exitCode == 0, revoked.err.constData());
    const qint64 cliMs = clock.elapsed();
    clock.restart();
    const qint64 closedMs = msUntilPolicyClose(*ws, clock);
    QVERIFY2(closedMs >= 0 && closedMs < WithinMs,
             qPrintable(u"closed %1 ms after the command returned"_s.arg(closedMs)));
    qInfo("command-line revocation (%lld ms to run) closed the session %lld ms after it returned",
          cliMs, closedMs);
    // The cache learned it too, long before its 30 s lifetime.
    QCOMPARE(restStatus(token), 401);
}

void TestRevocation::deletingAUserRevokesTokensAndClosesSessions()
{
    const auto [id, token] = userToken(u"carol"_s);
    QVERIFY(id > 0);
    const qint64 readId = publish(m_admin, App, u"orders"_s, u"for carol"_s);
    QCOMPARE(m_admin
                 .post(u"/api/v1/acks"_s,
                       QJsonObject{{"ids"_L1, QJsonArray{double(readId)}}, {"user"_L1, "carol"_L1}})
                 .status,
             200);
    auto own = session(token);
    auto viaAdmin = session(m_adminToken, u"carol"_s); // an admin token acting as carol
    auto other = session(m_adminToken, u"alice"_s);
    QVERIFY(own && viaAdmin && other);

    QElapsedTimer clock;
    clock.start();
    const HttpResponse deleted = m_admin.del(u"/api/v1/users/carol"_s);
    QVERIFY2(deleted.status == 204, deleted.describe());
    const qint64 ownMs = msUntilPolicyClose(*own, clock);
    const qint64 adminMs = msUntilPolicyClose(*viaAdmin, clock);
    QVERIFY2(ownMs >= 0 && ownMs < WithinMs, qPrintable(u"%1 ms"_s.arg(ownMs)));
    QVERIFY2(adminMs >= 0 && adminMs < WithinMs, qPrintable(u"%1 ms"_s.arg(adminMs)));
    QCOMPARE(restStatus(token), 401);
    QVERIFY(!m_admin.get(u"/api/v1/users"_s).array().contains(u"carol"_s));
    const HttpResponse tokens = m_admin.get(u"/api/v1/tokens"_s);
    for (const QJsonValue &t : tokens.array())
        QVERIFY2(t.toObject().value("user"_L1) != u"carol"_s, tokens.body.constData());
    QCOMPARE(m_admin.del(u"/api/v1/users/carol"_s).status, 404);
    QVERIFY(!other->isClosed());

    // A new carol starts with nothing read.
    QVERIFY(createUser(m_admin, u"carol"_s));
    const Listing listing = listAll(m_admin, u"user=carol&application=shop&channel=orders"_s);
    QVERIFY2(listing.ok, listing.error);
    QCOMPARE(listing.find(readId)->value("acknowledged"_L1), QJsonValue(false));
}

void TestRevocation::cliUserDeleteClosesSessionsWithinASecond()
{
    const auto [id, token] = userToken(u"dave"_s);
    QVERIFY(id > 0);
    auto ws = session(token);
    QVERIFY(ws);
    const CliResult deleted =
        m_syncd.cli({u"user"_s, u"delete"_s, u"--database"_s, m_syncd.databasePath(), u"dave"_s});
    QVERIFY2(deleted.exitCode == 0, deleted.err.constData());
    QVERIFY2(deleted.out.contains("1 token(s)"), deleted.out.constData());
    QElapsedTimer clock;
    clock.start();
    const qint64 closedMs = msUntilPolicyClose(*ws, clock);
    QVERIFY2(closedMs >= 0 && closedMs < WithinMs, qPrintable(u"%1 ms"_s.arg(closedMs)));
    QCOMPARE(restStatus(token), 401);
    const CliResult again =
        m_syncd.cli({u"user"_s, u"delete"_s, u"--database"_s, m_syncd.databasePath(), u"dave"_s});
    QCOMPARE(again.exitCode, 1);
    QVERIFY2(again.err.contains("no user 'dave'"), again.err.constData());
}

void TestRevocation::onlyAdminsDeleteUsers()
{
    const auto [id, token] = userToken(u"alice"_s);
    QVERIFY(id > 0);
    HttpClient asAlice(m_syncd.httpUrl());
    asAlice.setToken(token);
    const HttpResponse refused = asAlice.del(u"/api/v1/users/alice"_s);
    QCOMPARE(refused.status, 403);
    QVERIFY(m_admin.get(u"/api/v1/users"_s).array().contains(u"alice"_s));
    QCOMPARE(restStatus(token), 200);
}

QTEST_GUILESS_MAIN(TestRevocation)
#include "tst_revocation.moc"
