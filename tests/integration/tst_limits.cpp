// SPDX-License-Identifier: Apache-2.0
// Limits against floods (PROTOCOL.md, Limits), each against a real daemon with low limits:
// connection caps answered at once and their descriptors freed, the failed-auth limiter that
// stops token lookups, rates per token and per address with Retry-After, X-Forwarded-For
// believed only from trusted proxies, the counters in /metrics, and `?token=` refused on REST
// but taken on the WebSocket upgrade.
//
// Each test names the mutation it was checked against: with that change made to the daemon,
// the test fails.
#include "apihelpers.h"
#include "httpclient.h"
#include "limitprobes.h"
#include "syncdprocess.h"
#include "wait.h"
#include "wsclient.h"

#include <QElapsedTimer>
#include <QtTest>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace herald::test;

class TestLimits : public QObject
{
    Q_OBJECT

private slots:
    void cleanup();

    void connectionsPerAddressAreCappedAndFreed();
    void connectionsPastTheNodeCapGet503();
    void silentConnectionsAreClosedAtTheRequestTimeout();
    void webSocketsPastTheirShareGet1013AndRestGoesOn();
    void webSocketsAndHttpShareTheDescriptors();
    void failedAuthLimiterAnswers429WithoutLookups();
    void tokenRateAnswers429AndRecovers();
    void addressRateCoversRequestsAndUpgrades();
    void forwardedForCountsOnlyFromTrustedProxies();
    void metricsShowTheLimits();
    void queryTokenRefusedOnRestTakenOnUpgrade();

private:
    SyncdProcess *start(const QStringList &args, int openFileLimit = 0)
    {
        return m_daemons.start(args, openFileLimit);
    }
    QString tokenFor(SyncdProcess &syncd, const QString &user);

    StartedDaemons m_daemons;
};

void TestLimits::cleanup()
{
    m_daemons.clear();
}

// A user token for `user` (created with the user), from the command line.
QString TestLimits::tokenFor(SyncdProcess &syncd, const QString &user)
{
    HttpClient admin(syncd.httpUrl());
    admin.setToken(syncd.createToken(u"admin"_s));
    if (!createUser(admin, user))
        return {};
    return syncd.createToken(u"user"_s, {u"--user"_s, user});
}

// Mutation: ConnectionSlots::admit ignores m_maxPerAddress (`false &&`) -> the fifth
// connection gets 200.
void TestLimits::connectionsPerAddressAreCappedAndFreed()
{
    SyncdProcess *started = start({u"--connections-per-address"_s, u"4"_s});
    QVERIFY(started);
    SyncdProcess &syncd = *started;
    const int before = settledDescriptorsOf(syncd);
    auto held = silentConnections(syncd, 4);
    QVERIFY(waitUntil([&] { return descriptorsOf(syncd) >= before + 4; }, 5000));

    // Answered at once, before the request is read, and closed.
    QElapsedTimer clock;
    clock.start();
    const HttpResponse refused = raw(syncd, get("/healthz"));
    verifyRetryLater(refused, 429, u"rate_limited"_s, 1, 1);
    QVERIFY2(refused.header("connection").toLower() == "close", refused.describe());
    QVERIFY2(refused.errorMessage().contains("(4)"_L1), refused.describe());
    QVERIFY2(clock.elapsed() < 2000, qPrintable(QString::number(clock.elapsed())));

    // One of the address's own closes: its slot (and descriptor) is free again.
    held.pop_back();
    QVERIFY(waitUntil([&] { return descriptorsOf(syncd) <= before + 3; }, 5000));
    QCOMPARE(raw(syncd, get("/healthz")).status, 200);
    held.clear();
    // Every descriptor comes back, the refused connection's too.
    QVERIFY2(waitUntil([&] { return descriptorsOf(syncd) <= before; }, 5000),
             qPrintable(u"%1 descriptors, %2 before"_s.arg(descriptorsOf(syncd)).arg(before)));
    QCOMPARE(metric(syncd, "herald_http_connections_refused_total", ",reason=\"address_full\""),
             1.0);
}

// Mutation: ConnectionSlots::admit ignores m_maxTotal (`false &&`) -> the fourth connection
// gets 200.
void TestLimits::connectionsPastTheNodeCapGet503()
{
    // 127.0.0.1 as a trusted proxy has no per-address cap: the node's cap is what bites.
    SyncdProcess *started =
        start({u"--max-http-connections"_s, u"3"_s, u"--connections-per-address"_s, u"1"_s,
               u"--trusted-proxies"_s, Loopback});
    QVERIFY(started);
    SyncdProcess &syncd = *started;
    const int before = settledDescriptorsOf(syncd);
    auto held = silentConnections(syncd, 3);
    QVERIFY(waitUntil([&] { return descriptorsOf(syncd) >= before + 3; }, 5000));
    const HttpResponse refused = raw(syncd, get("/healthz"));
    verifyRetryLater(refused, 503, u"unavailable"_s, 5, 5);
    held.clear();
    QVERIFY(waitUntil([&] { return descriptorsOf(syncd) <= before; }, 5000));
    QCOMPARE(raw(syncd, get("/healthz")).status, 200);
    QCOMPARE(metric(syncd, "herald_http_connections_refused_total", ",reason=\"server_full\""),
             1.0);
    QCOMPARE(metric(syncd, "herald_http_connections_max"), 3.0);
}

// Mutation: HttpServer::onOverdue hands the connection to HttpConnection as before (serveHttp)
// -> the silent one is held for the idle timeout (30 s) more.
void TestLimits::silentConnectionsAreClosedAtTheRequestTimeout()
{
    SyncdProcess *started = start({u"--http-request-timeout-ms"_s, u"1000"_s});
    QVERIFY(started);
    SyncdProcess &syncd = *started;
    auto silent = silentConnections(syncd, 1);
    QTcpSocket partial;
    partial.connectToHost(Loopback, syncd.port());
    QVERIFY(partial.waitForConnected(5000));
    partial.write("GET /healthz HTTP/1.1\r\nHost: x\r\n"); // never ends
    QElapsedTimer clock;
    clock.start();
    QVERIFY(waitUntil(
        [&] {
            return silent.front()->state() == QAbstractSocket::UnconnectedState &&
                   partial.state() == QAbstractSocket::UnconnectedState;
        },
        5000));
    qInfo("closed after %lld ms", clock.elapsed());
    QVERIFY(silent.front()->readAll().isEmpty()); // nothing to answer
    QVERIFY(partial.readAll().startsWith("HTTP/1.1 408"));
}

// Mutation: Daemon::start gives the SessionQuota 1000000 instead of maxConnections -> the
// second session gets no error frame.
void TestLimits::webSocketsPastTheirShareGet1013AndRestGoesOn()
{
    SyncdProcess *started = start({u"--no-auth"_s, u"--max-connections"_s, u"1"_s});
    QVERIFY(started);
    SyncdProcess &syncd = *started;
    WsClient first;
    QVERIFY2(first.connectAs(syncd.wsUrl(), u"alice"_s, u"shop"_s, {u"orders"_s}),
             first.describe());
    WsClient second;
    // The upgrade completes, then the refusal comes at once (maybe before open() returns).
    second.open(syncd.wsUrl());
    const auto error = second.waitForType(u"error"_s);
    QVERIFY2(error && error->value("code"_L1).toString() == "unavailable"_L1, second.describe());
    QVERIFY(second.waitForClosed());
    // REST has its own share.
    QCOMPARE(raw(syncd, get("/healthz")).status, 200);
    QCOMPARE(metric(syncd, "herald_sessions_rejected_total"), 1.0);
    QCOMPARE(metric(syncd, "herald_sessions_max"), 1.0);
}

// With an open-file limit of 400 the daemon has 200 descriptors for connections, HTTP's cap is
// 64 and its floor 16: WebSockets may take 184, more than the budget less HTTP's cap (136), and
// HTTP then gets what they leave.
// Mutations: Daemon::start leaving WebSockets the budget less HTTP's cap -> the log says 136
// and session 137 gets 1013; HttpServer::onDescriptor without the shared check -> connection
// 51 is served.
void TestLimits::webSocketsAndHttpShareTheDescriptors()
{
    SyncdProcess *started =
        start({u"--no-auth"_s, u"--http-request-timeout-ms"_s, u"60000"_s}, 400);
    QVERIFY(started);
    SyncdProcess &syncd = *started;
    QVERIFY2(syncd.log().contains("holding up to 184 WebSockets and 64 HTTP connections (200 "
                                  "descriptors for connections, shared; at least 16 kept for "
                                  "HTTP)"),
             syncd.log().constData());
    QCOMPARE(metric(syncd, "herald_sessions_max"), 184.0);

    constexpr int Sessions = 150;
    std::vector<std::unique_ptr<WsClient>> sessions;
    for (int i = 0; i < Sessions; ++i) {
        sessions.push_back(std::make_unique<WsClient>());
        QVERIFY2(sessions.back()->open(syncd.wsUrl()), sessions.back()->describe().constData());
    }
    QVERIFY(waitUntil([&] { return metric(syncd, "herald_sessions_open") == Sessions; }, 10000));
    QCOMPARE(metric(syncd, "herald_sessions_rejected_total"), 0.0);

    // HTTP holds what the sessions leave of the 200, fewer than its cap of 64.
    const int before = settledDescriptorsOf(syncd);
    auto held = silentConnections(syncd, 200 - Sessions);
    QVERIFY(waitUntil([&] { return descriptorsOf(syncd) >= before + 200 - Sessions; }, 5000));
    const HttpResponse refused = raw(syncd, get("/healthz"));
    verifyRetryLater(refused, 503, u"unavailable"_s, 5, 5);
    QVERIFY2(refused.body.contains("descriptors allow (200, WebSockets included)"),
             refused.describe());
    for (const auto &session : sessions)
        QVERIFY(session->isConnected() && !session->isClosed()); // the refusal took none

    // A session closed leaves a place for HTTP.
    sessions.pop_back();
    QVERIFY(waitUntil([&] { return descriptorsOf(syncd) < before + 200 - Sessions; }, 5000));
    QCOMPARE(raw(syncd, get("/healthz")).status, 200);
    held.clear();
    QVERIFY(waitUntil([&] { return descriptorsOf(syncd) <= before - 1; }, 5000));
    QCOMPARE(metric(syncd, "herald_sessions_open"), double(Sessions - 1));
    QCOMPARE(metric(syncd, "herald_http_connections_refused_total", ",reason=\"server_full\""),
             1.0);
}

// Mutation: RequestLimits::authenticate skips the m_failures.check() test (`false &&`) -> the
// fourth bad token gets 401 after a lookup.
void TestLimits::failedAuthLimiterAnswers429WithoutLookups()
{
    SyncdProcess *started =
        start({u"--auth-failures"_s, u"3"_s, u"--auth-failure-window-ms"_s, u"60000"_s});
    QVERIFY(started);
    SyncdProcess &syncd = *started;
    const QString known = tokenFor(syncd, u"alice"_s);
    const QString unused = syncd.createToken(u"user"_s, {u"--user"_s, u"alice"_s});
    QVERIFY(!known.isEmpty() && !unused.isEmpty());
    QCOMPARE(withToken(syncd, known).status, 200); // now in the cache

    for (int i = 0; i < 3; ++i) {
        const HttpResponse bad = withToken(syncd, u"hrd_wrong%1"_s.arg(i));
        QVERIFY2(bad.status == 401, bad.describe());
    }
    const double lookups = metric(syncd, "herald_auth_store_lookups_total");
    QVERIFY(lookups >= 4);
    // One failure comes back every 20 s.
    verifyRetryLater(withToken(syncd, u"hrd_wrong3"_s), 429, u"rate_limited"_s, 15, 20);
    for (int i = 0; i < 20; ++i)
        QCOMPARE(withToken(syncd, u"hrd_more%1"_s.arg(i)).status, 429);
    // The upgrade path is under the same limiter.
    const HttpResponse upgrade =
        raw(syncd, get("/api/v1/ws?token=hrd_wrong",
                       "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"));
    QVERIFY2(upgrade.status == 429, upgrade.describe());
    QCOMPARE(metric(syncd, "herald_auth_store_lookups_total"), lookups);
    QCOMPARE(metric(syncd, "herald_rate_limited_total", ",limit=\"auth_failures\""), 22.0);
    QCOMPARE(metric(syncd, "herald_auth_failures_total"), 3.0);
    // A token the node knows without the store still works from there; one it would have to
    // look up waits like the bad ones.
    QCOMPARE(withToken(syncd, known).status, 200);
    QCOMPARE(withToken(syncd, unused).status, 429);
}

// Mutation: RequestLimits::accepted skips the per-token bucket (`false &&`) -> the fifth
// request gets 200.
void TestLimits::tokenRateAnswers429AndRecovers()
{
    SyncdProcess *started = start({u"--token-rate"_s, u"1"_s, u"--token-burst"_s, u"4"_s});
    QVERIFY(started);
    SyncdProcess &syncd = *started;
    const QString alice = tokenFor(syncd, u"alice"_s);
    const QString bob = tokenFor(syncd, u"bob"_s);
    QVERIFY(!alice.isEmpty() && !bob.isEmpty());
    for (int i = 0; i < 4; ++i)
        QCOMPARE(withToken(syncd, alice).status, 200);
    QElapsedTimer clock;
    clock.start();
    const HttpResponse limited = withToken(syncd, alice);
    verifyRetryLater(limited, 429, u"rate_limited"_s, 1, 1);
    QVERIFY2(limited.errorMessage().contains("token"_L1), limited.describe());
    QCOMPARE(withToken(syncd, bob).status, 200); // every token has its own budget
    // A token comes back every second; refused requests spend none. (waitUntil asks once more
    // at the end: the first 200 is remembered, not asked for again.)
    bool recovered = false;
    QVERIFY(waitUntil(
        [&] {
            recovered = recovered || withToken(syncd, alice).status == 200;
            return recovered;
        },
        3000));
    QVERIFY2(clock.elapsed() >= 100, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(metric(syncd, "herald_rate_limited_total", ",limit=\"token\"") >= 1);
}

// Mutation: RequestLimits::admit always returns nullopt (`true ||`) -> the sixth request gets
// 200.
void TestLimits::addressRateCoversRequestsAndUpgrades()
{
    SyncdProcess *started =
        start({u"--no-auth"_s, u"--address-rate"_s, u"1"_s, u"--address-burst"_s, u"5"_s});
    QVERIFY(started);
    SyncdProcess &syncd = *started;
    for (int i = 0; i < 5; ++i)
        QCOMPARE(raw(syncd, get("/healthz")).status, 200);
    verifyRetryLater(raw(syncd, get("/healthz")), 429, u"rate_limited"_s, 1, 1);
    WsClient ws;
    QVERIFY(!ws.open(syncd.wsUrl()));
    QVERIFY2(ws.errorString().contains("429"_L1), qPrintable(ws.errorString()));
}

// Mutations: HttpRequest::setPeer ignores X-Forwarded-For (`false &&`: client = peer) -> the
// second forwarded client shares the first one's budget; TrustedProxies::contains returns true
// for every address -> the untrusted daemon counts the forwarded clients apart.
void TestLimits::forwardedForCountsOnlyFromTrustedProxies()
{
    const QStringList rate = {u"--address-rate"_s, u"1"_s, u"--address-burst"_s, u"3"_s};
    SyncdProcess *behindProxyProcess =
        start(rate + QStringList{u"--trusted-proxies"_s, u"127.0.0.1/32"_s});
    QVERIFY(behindProxyProcess);
    SyncdProcess &behindProxy = *behindProxyProcess;
    for (const QByteArray client : {"203.0.113.1", "2001:db8::1"}) {
        for (int i = 0; i < 3; ++i)
            QCOMPARE(asForwarded(behindProxy, client).status, 200);
        QCOMPARE(asForwarded(behindProxy, client).status, 429);
    }
    // The proxy's own requests are a client of their own; /metrics is loopback-only for the
    // client, not for the proxy.
    QCOMPARE(raw(behindProxy, get("/healthz")).status, 200);
    const HttpResponse metrics =
        raw(behindProxy, get("/metrics", "X-Forwarded-For: 203.0.113.7\r\n"));
    QVERIFY2(metrics.status == 401, metrics.describe());
    QCOMPARE(metric(behindProxy, "herald_rate_limited_total", ",limit=\"address\""), 2.0);

    SyncdProcess *untrustedProcess =
        start(rate + QStringList{u"--trusted-proxies"_s, u"10.0.0.1"_s});
    QVERIFY(untrustedProcess);
    SyncdProcess &untrusted = *untrustedProcess;
    for (int i = 0; i < 3; ++i)
        QCOMPARE(asForwarded(untrusted, "203.0.113." + QByteArray::number(i)).status, 200);
    QCOMPARE(asForwarded(untrusted, "203.0.113.9").status, 429); // all counted as 127.0.0.1
}

// Mutation: Metrics::render names a series otherwise (herald_rate_limited_totalx) -> it is
// missing.
void TestLimits::metricsShowTheLimits()
{
    SyncdProcess *started = start(
        {u"--no-auth"_s, u"--max-http-connections"_s, u"77"_s, u"--max-connections"_s, u"55"_s});
    QVERIFY(started);
    SyncdProcess &syncd = *started;
    const QByteArray text = raw(syncd, get("/metrics")).body;
    for (const char *series :
         {"herald_http_connections_open{node=\"0\"} ", "herald_http_connections_max{node=\"0\"} 77",
          "herald_sessions_max{node=\"0\"} 55",
          "herald_http_connections_refused_total{node=\"0\",reason=\"server_full\"} 0",
          "herald_http_connections_refused_total{node=\"0\",reason=\"address_full\"} 0",
          "herald_rate_limited_total{node=\"0\",limit=\"address\"} 0",
          "herald_rate_limited_total{node=\"0\",limit=\"token\"} 0",
          "herald_rate_limited_total{node=\"0\",limit=\"auth_failures\"} 0",
          "herald_auth_failures_total{node=\"0\"} 0",
          "herald_auth_store_lookups_total{node=\"0\"} 0",
          "# TYPE herald_rate_limited_total counter"})
        QVERIFY2(text.contains(series), series);
    // The request for /metrics itself is open while it is answered.
    QVERIFY(metric(syncd, "herald_http_connections_open") >= 1);
}

// Mutation: Router::handleRequest skips the TokenIn check (`false &&`) -> the listing answers
// 200.
void TestLimits::queryTokenRefusedOnRestTakenOnUpgrade()
{
    SyncdProcess *started = start({});
    QVERIFY(started);
    SyncdProcess &syncd = *started;
    const QString token = tokenFor(syncd, u"alice"_s);
    QVERIFY(!token.isEmpty());
    HttpClient http(syncd.httpUrl());
    for (const QString &path : {u"/api/v1/notifications?token=%1"_s, u"/healthz?token=%1"_s}) {
        const HttpResponse refused = http.get(path.arg(token));
        QVERIFY2(refused.status == 400, refused.describe());
        QVERIFY2(refused.errorMessage().contains("Authorization: Bearer"_L1), refused.describe());
    }
    http.setToken(token);
    QCOMPARE(http.get(u"/api/v1/notifications"_s).status, 200); // the header way
    const HttpResponse both = http.get(u"/api/v1/notifications?token="_s + token);
    QVERIFY2(both.status == 400, both.describe()); // even beside the header

    WsClient ws;
    QVERIFY2(ws.open(syncd.wsUrl(u"token="_s + token)), ws.describe());
    QVERIFY2(ws.registerSession(WsClient::registerFrame(u"alice"_s, u"shop"_s, {u"orders"_s})),
             ws.describe());
    WsClient bad;
    QVERIFY(!bad.open(syncd.wsUrl(u"token=hrd_not_valid"_s)));
    QVERIFY2(bad.errorString().contains("401"_L1), qPrintable(bad.errorString()));
}

QTEST_GUILESS_MAIN(TestLimits)
#include "tst_limits.moc"
