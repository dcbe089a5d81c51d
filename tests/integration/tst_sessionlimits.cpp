// SPDX-License-Identifier: Apache-2.0
// The limits that apply after a WebSocket upgrade (PROTOCOL.md, Limits), against a real
// daemon: the share of sessions one client address may hold (counted by the real client
// behind a trusted proxy), and the failed-auth budget, which `register` frames spend together
// with REST and upgrades.
//
// Each test names the mutation it was checked against: with that change made to the daemon,
// the test fails.
#include "apihelpers.h"
#include "httpclient.h"
#include "limitprobes.h"
#include "syncdprocess.h"
#include "wait.h"
#include "wsclient.h"

#include <QtTest>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {
// The error frame a session got before its close, or {} if none came.
QJsonObject refusalOf(WsClient &ws)
{
    const auto error = ws.waitForType(u"error"_s);
    if (!error)
        return {};
    ws.waitForClosed();
    return *error;
}
} // namespace

class TestSessionLimits : public QObject
{
    Q_OBJECT

private slots:
    void cleanup();

    void webSocketsPerAddressAreCappedAndFreed();
    void clientsBehindATrustedProxyHaveTheirOwnShare();
    void registerTokensSpendTheFailedAuthBudget();

private:
    SyncdProcess *start(const QStringList &args) { return m_daemons.start(args); }

    StartedDaemons m_daemons;
};

void TestSessionLimits::cleanup()
{
    m_daemons.clear();
}

// Mutation: SessionQuota::reserve passes `false` for origin.capped -> the third session
// registers.
void TestSessionLimits::webSocketsPerAddressAreCappedAndFreed()
{
    SyncdProcess *started = start({u"--no-auth"_s, u"--websockets-per-address"_s, u"2"_s});
    QVERIFY(started);
    SyncdProcess &syncd = *started;
    WsClient first, second, third;
    QVERIFY2(first.connectAs(syncd.wsUrl(), u"alice"_s, u"shop"_s, {u"orders"_s}),
             first.describe());
    QVERIFY2(second.connectAs(syncd.wsUrl(), u"bob"_s, u"shop"_s, {u"orders"_s}),
             second.describe());
    third.open(syncd.wsUrl()); // the upgrade completes, the refusal follows at once
    const QJsonObject refusal = refusalOf(third);
    QVERIFY2(refusal.value("code"_L1).toString() == "rate_limited"_L1, third.describe());
    QVERIFY2(refusal.value("message"_L1).toString().contains("more than 2 WebSockets"_L1),
             third.describe());
    QVERIFY(third.waitForClosed());
    QCOMPARE(metric(syncd, "herald_sessions_rejected_address_full_total"), 1.0);
    QCOMPARE(metric(syncd, "herald_sessions_rejected_total"), 0.0);
    // REST from the same address is not counted against it.
    QCOMPARE(raw(syncd, get("/healthz")).status, 200);

    // A session that ends gives its place back.
    first.close();
    QVERIFY(waitUntil([&] { return metric(syncd, "herald_sessions_open") == 1.0; }, 5000));
    WsClient again;
    QVERIFY2(again.connectAs(syncd.wsUrl(), u"alice"_s, u"shop"_s, {u"orders"_s}),
             again.describe());
}

// Mutation: HttpRequest::setPeer sets clientCappable to true always -> the proxy's own third
// session is refused.
void TestSessionLimits::clientsBehindATrustedProxyHaveTheirOwnShare()
{
    SyncdProcess *started = start({u"--no-auth"_s, u"--websockets-per-address"_s, u"1"_s,
                                   u"--trusted-proxies"_s, u"127.0.0.1/32"_s});
    QVERIFY(started);
    SyncdProcess &syncd = *started;
    std::vector<std::unique_ptr<WsClient>> held;
    auto connectFor = [&](const QByteArray &client) {
        held.push_back(std::make_unique<WsClient>());
        if (!client.isEmpty())
            held.back()->setUpgradeHeader("X-Forwarded-For", client);
        return held.back()->connectAs(syncd.wsUrl(), u"alice"_s, u"shop"_s, {u"orders"_s});
    };
    QVERIFY(connectFor("203.0.113.1"));
    QVERIFY(connectFor("203.0.113.2"));
    QVERIFY(!connectFor("203.0.113.1"));
    QCOMPARE(refusalOf(*held.back()).value("code"_L1).toString(), u"rate_limited"_s);
    // The proxy itself, naming nobody, speaks for many clients: no share applies to it.
    for (int i = 0; i < 3; ++i)
        QVERIFY2(connectFor({}), held.back()->describe());
    QCOMPARE(metric(syncd, "herald_sessions_rejected_address_full_total"), 1.0);
}

// Mutation: RegisterFlow::mayLookUp returns true at once -> the fourth bad register token is
// looked up and answered `unauthorized`.
void TestSessionLimits::registerTokensSpendTheFailedAuthBudget()
{
    SyncdProcess *started =
        start({u"--auth-failures"_s, u"3"_s, u"--auth-failure-window-ms"_s, u"60000"_s});
    QVERIFY(started);
    SyncdProcess &syncd = *started;
    HttpClient admin(syncd.httpUrl());
    admin.setToken(syncd.createToken(u"admin"_s));
    QVERIFY(createUser(admin, u"alice"_s));
    const QString known = syncd.createToken(u"user"_s, {u"--user"_s, u"alice"_s});
    QCOMPARE(withToken(syncd, known).status, 200); // now in the node's cache

    auto registerWith = [&](WsClient &ws, const QString &token) {
        if (!ws.open(syncd.wsUrl())) // no token on the upgrade: `register` carries it
            return false;
        QJsonObject frame = WsClient::registerFrame({}, u"shop"_s, {u"orders"_s});
        frame.insert("token"_L1, token);
        return ws.registerSession(frame);
    };
    for (int i = 0; i < 3; ++i) {
        WsClient bad;
        QVERIFY(!registerWith(bad, u"hrd_wrong%1"_s.arg(i)));
        QCOMPARE(refusalOf(bad).value("code"_L1).toString(), u"unauthorized"_s);
    }
    const double lookups = metric(syncd, "herald_auth_store_lookups_total");
    WsClient limited;
    QVERIFY(!registerWith(limited, u"hrd_wrong3"_s));
    const QJsonObject refusal = refusalOf(limited);
    QVERIFY2(refusal.value("code"_L1).toString() == "rate_limited"_L1, limited.describe());
    QVERIFY2(refusal.value("message"_L1).toString().contains("too many invalid tokens"_L1),
             limited.describe());
    QCOMPARE(metric(syncd, "herald_auth_store_lookups_total"), lookups);
    QCOMPARE(metric(syncd, "herald_auth_failures_total"), 3.0);
    // One budget for the address: REST is held back by the failures of register frames.
    verifyRetryLater(withToken(syncd, u"hrd_wrong4"_s), 429, u"rate_limited"_s, 15, 20);
    QCOMPARE(metric(syncd, "herald_rate_limited_total", ",limit=\"auth_failures\""), 2.0);
    // A token the node knows without the store still registers from there.
    WsClient alice;
    QVERIFY2(registerWith(alice, known), alice.describe());
}

QTEST_GUILESS_MAIN(TestSessionLimits)
#include "tst_sessionlimits.moc"
