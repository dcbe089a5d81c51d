// SPDX-License-Identifier: Apache-2.0
// Webhook endpoints end to end: a real herald-syncd routes notifications through behaviour
// groups to webhookreceiver.py, which checks every signature with an HMAC of its own and
// answers as each test tells it (200, 500, 400, 429, fail the first N). The daemon runs with
// allowPrivateNetworks (the receiver is on 127.0.0.1) and a short retry schedule; a second
// one without it shows the SSRF refusals. Nothing is sent outside 127.0.0.0/8.
#include "apihelpers.h"
#include "httpclient.h"
#include "syncdprocess.h"
#include "wait.h"
#include "webhookreceiver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {
const QString App = u"deploys"_s;

} // namespace

class TestWebhooks : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void matchingPublishIsDeliveredOnceAndSigned();
    void serverErrorsAreRetriedWithTheSameDeliveryId();
    void tooManyRequestsWaitsForRetryAfter();
    void clientErrorFailsAtOnceWithoutRetry();
    void failingEndpointIsDisabledUntilEnabledAgain();
    void privateAddressesAreRefusedByDefault();
    void endpointAndBehaviorInputIsValidated();
    void deletingAnEndpointDropsItsPendingJobs();
    void metricsCountAttemptsPerEndpoint();

private:
    // Endpoint `name` on the receiver's hook `name`, the hook told the secret the PUT returned
    // and configured with `hook`, and a behaviour group `name` routing channel `name` (or
    // `match`) of App to it. The secret, empty on failure.
    QString route(const QString &name, const QJsonObject &hook, QJsonObject match = {});
    qint64 send(const QString &channel, const QString &level = u"warning"_s,
                const QJsonObject &extra = {}, const QString &code = u"deploy"_s);
    QJsonArray deliveries(const QString &endpoint, const QString &status = {});
    QJsonObject endpoint(const QString &name);
    // Routes `name` to a hook answering 500, publishes `jobs` notifications to it and waits
    // until the daemon has disabled it; true then.
    bool disabledAfterFailures(const QString &name, int jobs);

    SyncdProcess m_syncd;
    HttpClient m_admin;
    WebhookReceiver m_receiver;
};

void TestWebhooks::initTestCase()
{
    QVERIFY2(m_receiver.start(), "webhookreceiver.py did not print its port");
    // A retry cap above Retry-After's 1 s: the cap also bounds what Retry-After asks for.
    for (const auto &[name, value] : {std::pair{"ALLOW_PRIVATE_NETWORKS", "true"},
                                      {"RETRY_INITIAL_MS", "100"},
                                      {"RETRY_MAX_MS", "2000"},
                                      {"DISABLE_AFTER", "20"},
                                      {"TIMEOUT_MS", "2000"}})
        m_syncd.setEnvironmentVariable(u"HERALD_ENDPOINTS_"_s + QLatin1StringView(name),
                                       QLatin1StringView(value));
    QVERIFY2(m_syncd.start(), qPrintable(m_syncd.errorString()));
    m_admin.setBaseUrl(m_syncd.httpUrl());
    m_admin.setToken(m_syncd.createToken(u"admin"_s));
    QVERIFY(!m_admin.token().isEmpty());
    // Levels least severe first: minLevel compares by this order.
    const QJsonArray levels{QJsonObject{{"id"_L1, "info"_L1}}, QJsonObject{{"id"_L1, "warning"_L1}},
                            QJsonObject{{"id"_L1, "error"_L1}}};
    const HttpResponse app = m_admin.put(
        u"/api/v1/applications/"_s + App,
        QJsonObject{{"title"_L1, App},
                    {"eventTypes"_L1,
                     QJsonArray{QJsonObject{{"id"_L1, "deploy"_L1}, {"levels"_L1, levels}},
                                QJsonObject{{"id"_L1, "backup"_L1}, {"levels"_L1, levels}}}}});
    QVERIFY2(app.status / 100 == 2, app.describe());
    QVERIFY(createChannel(m_admin, App, u"quiet"_s));
}

void TestWebhooks::cleanup()
{
    m_syncd.dumpLogIfFailed();
}

QString TestWebhooks::route(const QString &name, const QJsonObject &hook, QJsonObject match)
{
    const HttpResponse put =
        m_admin.put(u"/api/v1/endpoints/"_s + name,
                    QJsonObject{{"kind"_L1, "webhook"_L1}, {"url"_L1, m_receiver.url(name)}});
    const QString secret = put.object().value("secret"_L1).toString();
    QJsonObject config = hook;
    config.insert("secret"_L1, secret);
    if (match.isEmpty())
        match.insert("channels"_L1, QJsonArray{name});
    const QJsonObject behavior{{"match"_L1, match}, {"endpoints"_L1, QJsonArray{name}}};
    if (put.status != 201 || !m_receiver.configure(name, config) ||
        !createChannel(m_admin, App, name) ||
        m_admin.put(u"/api/v1/applications/%1/behaviors/%2"_s.arg(App, name), behavior).status !=
            201) {
        qWarning("routing %s: %s", qPrintable(name), put.describe().constData());
        return {};
    }
    return secret;
}

qint64 TestWebhooks::send(const QString &channel, const QString &level, const QJsonObject &extra,
                          const QString &code)
{
    QJsonObject fields = extra;
    fields.insert("code"_L1, code);
    fields.insert("level"_L1, level);
    return publish(m_admin, App, channel, u"%1 %2 on %3"_s.arg(code, level, channel), fields);
}

QJsonArray TestWebhooks::deliveries(const QString &endpoint, const QString &status)
{
    const QString path = u"/api/v1/endpoints/%1/deliveries?status=%2"_s.arg(endpoint, status);
    return m_admin.get(status.isEmpty() ? path.chopped(8) : path)
        .object()["deliveries"_L1]
        .toArray();
}

QJsonObject TestWebhooks::endpoint(const QString &name)
{
    return m_admin.get(u"/api/v1/endpoints/"_s + name).object();
}

void TestWebhooks::matchingPublishIsDeliveredOnceAndSigned()
{
    const QJsonObject match{{"channels"_L1, QJsonArray{u"main"_s}},
                            {"codes"_L1, QJsonArray{u"deploy"_s}},
                            {"minLevel"_L1, "warning"_L1}};
    const QString secret = route(u"main"_s, {{"mode"_L1, "ok"_L1}}, match);
    QVERIFY2(secret.startsWith(u"whsec_"_s), qPrintable(secret)); // generated: none was given
    QVERIFY(endpoint(u"main"_s).value("signed"_L1).toBool());
    // Those that must not go out first: they would be claimed before the matching ones.
    QVERIFY(send(u"quiet"_s, u"error"_s));                 // another channel
    QVERIFY(send(u"main"_s, u"error"_s, {}, u"backup"_s)); // another code
    QVERIFY(send(u"main"_s, u"info"_s));                   // below minLevel
    const qint64 matching = send(u"main"_s, u"warning"_s);
    const qint64 transient = send(u"main"_s, u"error"_s, {{"persistent"_L1, false}});
    QVERIFY(matching && transient);

    QVERIFY(waitUntil([&] { return m_receiver.delivered(u"main"_s).size() == 2; }, 15000, 50));
    QTest::qWait(300); // a stray third delivery would show now, and the outcomes are recorded
    // Two jobs, no more: the others were never routed.
    QCOMPARE(endpoint(u"main"_s).value("deliveries"_L1).toObject(),
             (QJsonObject{{"pending"_L1, 0}, {"done"_L1, 2}, {"failed"_L1, 0}}));
    const QJsonObject seen = m_receiver.state(u"main"_s);
    QCOMPARE(seen.value("requests"_L1).toInt(), 2);
    QCOMPARE(seen.value("badSignatures"_L1).toInt(), 0);
    QCOMPARE(seen.value("duplicates"_L1).toInt(), 0);

    // The receiver's Herald-Delivery ids are the delivery log's job ids.
    QSet<QString> logged;
    QSet<qint64> notifications;
    for (const QJsonValue &job : deliveries(u"main"_s, u"done"_s)) {
        logged.insert(job["id"_L1].toString());
        notifications.insert(job["notificationId"_L1].toInteger());
        QCOMPARE(job["attempts"_L1].toInt(), 1);
        QCOMPARE(job["lastStatus"_L1].toInt(), 200);
    }
    const QStringList received = seen.value("deliveries"_L1).toObject().keys();
    QCOMPARE(QSet<QString>(received.begin(), received.end()), logged);
    QCOMPARE(notifications, (QSet<qint64>{matching, transient}));

    for (const QJsonValue &raw : seen.value("lastBodies"_L1).toArray()) {
        const QJsonObject body = QJsonDocument::fromJson(raw.toString().toUtf8()).object();
        QCOMPARE(body.keys(), (QStringList{u"attempt"_s, u"endpoint"_s, u"notification"_s}));
        QCOMPARE(body["endpoint"_L1].toString(), u"main"_s);
        QCOMPARE(body["attempt"_L1].toInt(), 1);
        const QJsonObject n = body["notification"_L1].toObject();
        QVERIFY(notifications.contains(n["id"_L1].toInteger()));
        QCOMPARE(n["application"_L1].toString(), App);
        QCOMPARE(n["channel"_L1].toString(), u"main"_s);
        QCOMPARE(n["code"_L1].toString(), u"deploy"_s);
        QVERIFY(!n["message"_L1].toString().isEmpty());
    }
    const QJsonObject headers = seen.value("lastHeaders"_L1).toObject();
    QCOMPARE(headers["Content-Type"_L1].toString(), u"application/json"_s);
    QCOMPARE(headers["Herald-Attempt"_L1].toString(), u"1"_s);
    QVERIFY(logged.contains(headers["Herald-Delivery"_L1].toString()));
}

void TestWebhooks::serverErrorsAreRetriedWithTheSameDeliveryId()
{
    QVERIFY(!route(u"flaky"_s, {{"mode"_L1, "error"_L1}, {"failFirst"_L1, 2}}).isEmpty());
    QVERIFY(send(u"flaky"_s));
    QVERIFY(waitUntil([&] { return m_receiver.delivered(u"flaky"_s).size() == 1; }, 15000, 50));
    const QJsonObject seen = m_receiver.state(u"flaky"_s);
    QCOMPARE(seen["badSignatures"_L1].toInt(), 0);
    const QJsonObject byId = seen["deliveries"_L1].toObject();
    QCOMPARE(byId.size(), 1); // one Herald-Delivery for all three attempts
    const QJsonArray attempts = byId.begin()->toArray();
    QCOMPARE(attempts.size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(attempts[i]["attempt"_L1].toInt(), i + 1);
        QCOMPARE(attempts[i]["status"_L1].toInt(), i < 2 ? 500 : 200);
    }
    // Exponential backoff with ±25 % jitter: about 100 ms, then about 200 ms.
    const double first = attempts[1]["time"_L1].toDouble() - attempts[0]["time"_L1].toDouble();
    const double second = attempts[2]["time"_L1].toDouble() - attempts[1]["time"_L1].toDouble();
    QVERIFY2(first >= 0.07 && second >= 0.14, qPrintable(u"%1 s, %2 s"_s.arg(first).arg(second)));

    QVERIFY(waitUntil([&] { return deliveries(u"flaky"_s, u"done"_s).size() == 1; }, 5000, 50));
    const QJsonObject job = deliveries(u"flaky"_s, u"done"_s).first().toObject();
    QCOMPARE(job["id"_L1].toString(), byId.begin().key());
    QCOMPARE(job["status"_L1].toString(), u"done"_s);
    QCOMPARE(job["attempts"_L1].toInt(), 3);
    QCOMPARE(job["lastStatus"_L1].toInt(), 200);
}

void TestWebhooks::tooManyRequestsWaitsForRetryAfter()
{
    QVERIFY(!route(u"throttled"_s,
                   {{"mode"_L1, "throttle"_L1}, {"retryAfter"_L1, "1"_L1}, {"failFirst"_L1, 1}})
                 .isEmpty());
    QVERIFY(send(u"throttled"_s));
    QVERIFY(waitUntil([&] { return m_receiver.delivered(u"throttled"_s).size() == 1; }, 15000, 50));
    const QJsonArray attempts =
        m_receiver.state(u"throttled"_s)["deliveries"_L1].toObject().begin()->toArray();
    QCOMPARE(attempts.size(), 2);
    QCOMPARE(attempts[0]["status"_L1].toInt(), 429);
    // The backoff alone would retry after about 100 ms.
    const double gap = attempts[1]["time"_L1].toDouble() - attempts[0]["time"_L1].toDouble();
    QVERIFY2(gap >= 0.9 && gap < 2.5, qPrintable(u"retried after %1 s"_s.arg(gap)));
    QVERIFY(waitUntil([&] { return deliveries(u"throttled"_s, u"done"_s).size() == 1; }, 5000));
    // A 429 is a receiver asking for less, not a failure towards disabling it.
    QCOMPARE(endpoint(u"throttled"_s)["failuresInRow"_L1].toInt(), 0);
}

void TestWebhooks::clientErrorFailsAtOnceWithoutRetry()
{
    QVERIFY(!route(u"rejecting"_s, {{"mode"_L1, "reject"_L1}}).isEmpty());
    QVERIFY(send(u"rejecting"_s));
    QVERIFY(
        waitUntil([&] { return deliveries(u"rejecting"_s, u"failed"_s).size() == 1; }, 10000, 50));
    const QJsonObject job = deliveries(u"rejecting"_s, u"failed"_s).first().toObject();
    QCOMPARE(job["status"_L1].toString(), u"failed"_s);
    QCOMPARE(job["attempts"_L1].toInt(), 1);
    QCOMPARE(job["lastStatus"_L1].toInt(), 400);
    QVERIFY(!job.contains("nextAttempt"_L1));
    QTest::qWait(1000); // ten times the first backoff: a retry would have come
    QCOMPARE(m_receiver.requests(u"rejecting"_s), 1);
    QCOMPARE(deliveries(u"rejecting"_s, u"pending"_s).size(), 0);
}

bool TestWebhooks::disabledAfterFailures(const QString &name, int jobs)
{
    if (route(name, {{"mode"_L1, "error"_L1}}).isEmpty())
        return false;
    QJsonArray batch;
    for (int i = 0; i < jobs; ++i)
        batch.append(notificationBody(App, name, u"deploy %1"_s.arg(i),
                                      {{"code"_L1, "deploy"_L1}, {"level"_L1, "error"_L1}}));
    const HttpResponse published = m_admin.post(u"/api/v1/notifications"_s, batch);
    if (published.status != 201) {
        qWarning("publish: %s", published.describe().constData());
        return false;
    }
    return waitUntil([&] { return endpoint(name)["enabled"_L1] == false; }, 20000, 50);
}

void TestWebhooks::failingEndpointIsDisabledUntilEnabledAgain()
{
    QVERIFY(disabledAfterFailures(u"outage"_s, 10));
    const QJsonObject disabled = endpoint(u"outage"_s);
    const QString reason = disabled["disabledReason"_L1].toString();
    QVERIFY2(reason.contains(u"20"_s) && reason.contains(u"HTTP 500"_s), qPrintable(reason));
    QVERIFY(disabled["failuresInRow"_L1].toInt() >= 20);
    QCOMPARE(disabled["deliveries"_L1]["pending"_L1].toInt(), 10); // kept, not failed

    QTest::qWait(300); // attempts already under way when it was disabled may still land
    const int before = m_receiver.requests(u"outage"_s);
    QVERIFY(before >= 20);
    QTest::qWait(1500); // several times the capped backoff of the jobs already tried
    QCOMPARE(m_receiver.requests(u"outage"_s), before);

    QVERIFY(m_receiver.configure(u"outage"_s, {{"mode"_L1, "ok"_L1}}));
    const HttpResponse enabled = m_admin.post(u"/api/v1/endpoints/outage/enable"_s, {});
    QVERIFY2(enabled.status == 200, enabled.describe());
    QCOMPARE(enabled.object()["enabled"_L1], QJsonValue(true));
    QVERIFY(!enabled.object().contains("disabledReason"_L1));
    QCOMPARE(enabled.object()["failuresInRow"_L1].toInt(), 0);
    QVERIFY(waitUntil([&] { return m_receiver.delivered(u"outage"_s).size() == 10; }, 15000, 50));
    QVERIFY(waitUntil(
        [&] { return endpoint(u"outage"_s)["deliveries"_L1]["done"_L1].toInt() == 10; }, 5000, 50));
    QCOMPARE(m_receiver.state(u"outage"_s)["badSignatures"_L1].toInt(), 0);
}

void TestWebhooks::privateAddressesAreRefusedByDefault()
{
    SyncdProcess strict; // without allowPrivateNetworks
    QVERIFY2(strict.start(), qPrintable(strict.errorString()));
    HttpClient admin(strict.httpUrl());
    admin.setToken(strict.createToken(u"admin"_s));
    // Refused at the PUT: no packet is sent to any of them.
    for (const QString &url : {u"http://127.0.0.1:1/"_s, u"http://[::1]:1/"_s,
                               u"http://169.254.169.254/"_s, u"http://10.1.2.3/"_s}) {
        const HttpResponse refused =
            admin.put(u"/api/v1/endpoints/private"_s,
                      QJsonObject{{"kind"_L1, "webhook"_L1}, {"url"_L1, url}});
        QVERIFY2(refused.status == 400,
                 qPrintable(url + u": "_s + QString::fromUtf8(refused.describe())));
        QVERIFY2(refused.errorMessage().startsWith(u"url: "_s), refused.describe());
    }
    // A name passes the PUT; the address it resolves to is checked before connecting.
    const QString url = u"http://localhost:%1/hook/ssrf"_s.arg(m_receiver.port());
    const HttpResponse named = admin.put(u"/api/v1/endpoints/named"_s,
                                         QJsonObject{{"kind"_L1, "webhook"_L1}, {"url"_L1, url}});
    QVERIFY2(named.status == 201, named.describe());
    QVERIFY(m_receiver.configure(u"ssrf"_s, {{"secret"_L1, named.object()["secret"_L1]}}));
    const HttpResponse test = admin.post(u"/api/v1/endpoints/named/test"_s, {});
    QVERIFY2(test.status == 202, test.describe());

    const auto failed = [&] {
        return admin.get(u"/api/v1/endpoints/named/deliveries?status=failed"_s)
            .object()["deliveries"_L1]
            .toArray();
    };
    QVERIFY(waitUntil([&] { return failed().size() == 1; }, 15000, 50));
    const QJsonObject job = failed().first().toObject();
    QCOMPARE(job["id"_L1].toString(), test.object()["id"_L1].toString());
    QCOMPARE(job["attempts"_L1].toInt(), 1);
    const QString error = job["lastError"_L1].toString();
    QVERIFY2(error.contains(u"private"_s) || error.contains(u"refused"_s), qPrintable(error));
    QCOMPARE(m_receiver.requests(u"ssrf"_s), 0);
    if (QTest::currentTestFailed())
        strict.dumpLog();
}

void TestWebhooks::endpointAndBehaviorInputIsValidated()
{
    const QString url = m_receiver.url(u"checked"_s);
    for (const QJsonObject &body :
         {QJsonObject{{"url"_L1, url}}, QJsonObject{{"kind"_L1, "pager"_L1}, {"url"_L1, url}},
          QJsonObject{{"kind"_L1, "email"_L1}, {"url"_L1, url}}}) {
        const HttpResponse refused = m_admin.put(u"/api/v1/endpoints/checked"_s, body);
        QVERIFY2(refused.status == 400, refused.describe());
        QVERIFY2(refused.errorMessage().startsWith(u"kind: "_s), refused.describe());
    }
    QVERIFY(!route(u"checked"_s, {{"mode"_L1, "ok"_L1}}).isEmpty());
    // Later PUTs keep the secret and do not show it again.
    const HttpResponse again = m_admin.put(u"/api/v1/endpoints/checked"_s,
                                           QJsonObject{{"kind"_L1, "webhook"_L1}, {"url"_L1, url}});
    QVERIFY2(again.status == 200, again.describe());
    QVERIFY(!again.object().contains("secret"_L1));
    QCOMPARE(again.object()["signed"_L1], QJsonValue(true));

    const QString behaviors = u"/api/v1/applications/%1/behaviors"_s.arg(App);
    const QJsonObject behavior{{"endpoints"_L1, QJsonArray{u"checked"_s}}};
    const QJsonObject endpointBody{{"kind"_L1, "webhook"_L1}, {"url"_L1, url}};
    const QString one = u"/api/v1/endpoints/checked"_s;
    const QList<std::tuple<QByteArray, QString, QJsonObject>> routes = {
        {"GET", u"/api/v1/endpoints"_s, {}},
        {"GET", one, {}},
        {"PUT", one, endpointBody},
        {"DELETE", one, {}},
        {"GET", one + u"/deliveries"_s, {}},
        {"POST", one + u"/test"_s, {}},
        {"POST", one + u"/enable"_s, {}},
        {"GET", behaviors, {}},
        {"GET", behaviors + u"/checked"_s, {}},
        {"PUT", behaviors + u"/checked"_s, behavior},
        {"DELETE", behaviors + u"/checked"_s, {}}};
    QVERIFY(createUser(m_admin, u"alice"_s));
    for (const QString &token : {m_syncd.createToken(u"producer"_s, {u"--app"_s, App}),
                                 m_syncd.createToken(u"user"_s, {u"--user"_s, u"alice"_s})}) {
        QVERIFY(!token.isEmpty());
        HttpClient other(m_syncd.httpUrl());
        other.setToken(token);
        for (const auto &[method, path, body] : routes) {
            const HttpResponse answer = other.request(
                method, path,
                body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact));
            QVERIFY2(answer.status == 403,
                     qPrintable(QString::fromLatin1(method) + u' ' + path + u" -> "_s +
                                QString::fromUtf8(answer.describe())));
        }
    }
    QVERIFY(endpoint(u"checked"_s)["enabled"_L1].toBool()); // none of them changed anything

    const HttpResponse unknownEndpoint = m_admin.put(
        behaviors + u"/typo"_s, QJsonObject{{"endpoints"_L1, QJsonArray{u"checked"_s, u"nope"_s}}});
    QVERIFY2(unknownEndpoint.status == 400, unknownEndpoint.describe());
    QVERIFY2(unknownEndpoint.errorMessage().startsWith(u"endpoints[1]: "_s),
             unknownEndpoint.describe());
    const HttpResponse unknownApp =
        m_admin.put(u"/api/v1/applications/nosuchapp/behaviors/x"_s, behavior);
    QVERIFY2(unknownApp.status == 404, unknownApp.describe());
}

void TestWebhooks::deletingAnEndpointDropsItsPendingJobs()
{
    const QString url = m_receiver.url(u"doomed"_s);
    // Disabled, so that the test deliveries stay pending.
    const QJsonObject off{{"kind"_L1, "webhook"_L1}, {"url"_L1, url}, {"enabled"_L1, false}};
    const HttpResponse put = m_admin.put(u"/api/v1/endpoints/doomed"_s, off);
    QVERIFY2(put.status == 201, put.describe());
    QVERIFY(m_receiver.configure(u"doomed"_s, {{"secret"_L1, put.object()["secret"_L1]}}));
    for (int i = 0; i < 3; ++i)
        QCOMPARE(m_admin.post(u"/api/v1/endpoints/doomed/test"_s, {}).status, 202);
    QCOMPARE(endpoint(u"doomed"_s)["deliveries"_L1]["pending"_L1].toInt(), 3);

    QCOMPARE(m_admin.del(u"/api/v1/endpoints/doomed"_s).status, 204);
    QCOMPARE(m_admin.get(u"/api/v1/endpoints/doomed"_s).status, 404);
    // Made again under the same name and enabled: the old jobs must not come back with it.
    const HttpResponse again = m_admin.put(u"/api/v1/endpoints/doomed"_s,
                                           QJsonObject{{"kind"_L1, "webhook"_L1}, {"url"_L1, url}});
    QVERIFY2(again.status == 201, again.describe());
    QCOMPARE(endpoint(u"doomed"_s)["deliveries"_L1].toObject(),
             (QJsonObject{{"pending"_L1, 0}, {"done"_L1, 0}, {"failed"_L1, 0}}));
    QTest::qWait(500);
    QCOMPARE(m_receiver.requests(u"doomed"_s), 0);
}

void TestWebhooks::metricsCountAttemptsPerEndpoint()
{
    QVERIFY(!route(u"metered"_s, {{"mode"_L1, "error"_L1}, {"failFirst"_L1, 1}}).isEmpty());
    QVERIFY(send(u"metered"_s) && send(u"metered"_s));
    QVERIFY(waitUntil([&] { return m_receiver.delivered(u"metered"_s).size() == 2; }, 15000, 50));

    HttpClient scraper(m_syncd.httpUrl()); // loopback: no token needed
    const auto sample = [&](const QString &name, const QString &labels = {}) {
        const QRegularExpression line(
            u"^%1\\{node=\"\\d+\",endpoint=\"metered\"%2\\} (\\S+)$"_s.arg(
                name, QRegularExpression::escape(labels)),
            QRegularExpression::MultilineOption);
        const QRegularExpressionMatch found =
            line.match(QString::fromUtf8(scraper.get(u"/metrics"_s).body));
        return found.hasMatch() ? found.captured(1).toDouble() : -1.0;
    };
    const QString total = u"herald_webhook_deliveries_total"_s;
    QVERIFY(waitUntil([&] { return sample(total, u",result=\"sent\""_s) == 2; }, 5000, 50));
    QCOMPARE(sample(total, u",result=\"retrying\""_s), 2.0);
    QCOMPARE(sample(total, u",result=\"failed\""_s), 0.0);
    QCOMPARE(sample(u"herald_webhook_latency_seconds_count"_s), 4.0);
    QCOMPARE(sample(u"herald_webhook_latency_seconds_bucket"_s, u",le=\"+Inf\""_s), 4.0);
    QVERIFY(sample(u"herald_webhook_latency_seconds_sum"_s) > 0);
    QVERIFY(sample(u"herald_webhook_pending"_s) >= 0); // refreshed every few seconds
}

QTEST_GUILESS_MAIN(TestWebhooks)
#include "tst_webhooks.moc"
