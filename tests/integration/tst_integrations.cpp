// SPDX-License-Identifier: Apache-2.0
// Integrations in, against a real herald-syncd with real tokens: the ntfy-style plain-text
// publish (POST /api/v1/publish/{app}/{channel}) as curl sends it, and Prometheus
// Alertmanager's webhook (POST /api/v1/integrations/alertmanager/{app}) with the body its
// documentation shows. Both store and deliver like a JSON publish, refuse bad input naming the
// field, and store nothing then.
#include "apihelpers.h"
#include "httpclient.h"
#include "syncdprocess.h"
#include "wsclient.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {
const QString App = u"backupd"_s;
const QString Monitoring = u"monitoring"_s;

QByteArray alertmanagerFixture()
{
    QFile file(u":/fixtures/alertmanager/webhook-v4.json"_s);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("the Alertmanager fixture is not linked in");
    return file.readAll();
}
} // namespace

class TestIntegrations : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void curlPublishIsStoredAndDelivered();
    void headersBecomeFields();
    void cacheNoIsTransient();
    void plainTextRefusalsNameTheFieldAndStoreNothing();
    void plainTextNeedsAProducerOfThatApplication();

    void alertmanagerPayloadBecomesOneNotificationPerAlert();
    void alertmanagerBatchIsAllOrNothing();
    void alertmanagerAlertsMeetTheEventTypes();
    void alertmanagerNeedsAProducerOfThatApplication();

private:
    // A registered session of alice (with her own token) on application/channel.
    std::unique_ptr<WsClient> aliceSession(const QString &application, const QString &channel);
    int storedCount(const QString &application);
    // The bytes `curl -H "Authorization: Bearer T" -d "<body>" URL` sends, plus extra header
    // lines; answered by the daemon over a fresh connection.
    HttpResponse curl(const QString &path, const QByteArray &body, const QByteArray &extra = {});

    SyncdProcess m_syncd;
    HttpClient m_admin;
    QString m_producer;
    QString m_monitor;
    QString m_alice;
};

void TestIntegrations::initTestCase()
{
    QVERIFY2(m_syncd.start(), qPrintable(m_syncd.errorString()));
    m_admin.setBaseUrl(m_syncd.httpUrl());
    m_admin.setToken(m_syncd.createToken(u"admin"_s));
    QVERIFY(createApplication(m_admin, App, {u"backups"_s}));
    QVERIFY(createApplication(m_admin, Monitoring, {u"pager"_s}));
    QVERIFY(createUser(m_admin, u"alice"_s));
    m_producer = m_syncd.createToken(u"producer"_s, {u"--app"_s, App});
    m_monitor = m_syncd.createToken(u"producer"_s, {u"--app"_s, Monitoring});
    m_alice = m_syncd.createToken(u"user"_s, {u"--user"_s, u"alice"_s});
    QVERIFY(!m_producer.isEmpty() && !m_monitor.isEmpty() && !m_alice.isEmpty());
}

std::unique_ptr<WsClient> TestIntegrations::aliceSession(const QString &application,
                                                         const QString &channel)
{
    auto session = std::make_unique<WsClient>();
    if (!session->open(m_syncd.wsUrl(), m_alice) ||
        !session->registerSession(WsClient::registerFrame(u"alice"_s, application, {channel}))) {
        qWarning("session on %s/%s: %s", qPrintable(application), qPrintable(channel),
                 session->describe().constData());
        return nullptr;
    }
    return session;
}

void TestIntegrations::cleanup()
{
    m_syncd.dumpLogIfFailed();
}

int TestIntegrations::storedCount(const QString &application)
{
    const Listing listing = listAll(m_admin, u"user=alice&application="_s + application);
    if (!listing.ok) {
        qWarning("%s", listing.error.constData());
        return -1;
    }
    return int(listing.items.size());
}

HttpResponse TestIntegrations::curl(const QString &path, const QByteArray &body,
                                    const QByteArray &extra)
{
    const QByteArray request = "POST " + path.toUtf8() + " HTTP/1.1\r\nHost: 127.0.0.1:" +
                               QByteArray::number(m_syncd.port()) +
                               "\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n"
                               "Authorization: Bearer " +
                               m_producer.toUtf8() + "\r\n" + extra +
                               "Content-Length: " + QByteArray::number(body.size()) +
                               "\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n" + body;
    return m_admin.rawRequest(request);
}

void TestIntegrations::curlPublishIsStoredAndDelivered()
{
    const auto session = aliceSession(App, u"backups"_s);
    QVERIFY(session);
    const HttpResponse published = curl(u"/api/v1/publish/backupd/backups"_s, "Backup done");
    QVERIFY2(published.status == 201, published.describe());
    const QJsonObject n = published.object();
    QCOMPARE(n.value("application"_L1).toString(), App);
    QCOMPARE(n.value("channel"_L1).toString(), u"backups"_s);
    QCOMPARE(n.value("message"_L1).toString(), u"Backup done"_s);
    QCOMPARE(n.value("priority"_L1).toString(), u"normal"_s);
    QCOMPARE(n.value("persistent"_L1), QJsonValue(true));
    QVERIFY(idOf(n) > 0);

    QVERIFY2(session->waitForNotificationId(idOf(n)), session->describe());
    const Listing stored = listAll(m_admin, u"user=alice&application="_s + App);
    QVERIFY2(stored.ok, stored.error.constData());
    const auto listed = stored.find(idOf(n));
    QVERIFY(listed);
    QCOMPARE(listed->value("message"_L1).toString(), u"Backup done"_s);
}

void TestIntegrations::headersBecomeFields()
{
    HttpClient producer(m_syncd.httpUrl());
    producer.setToken(m_producer);
    const HttpResponse published =
        producer.request("POST", u"/api/v1/publish/backupd/nightly"_s, "Copied 12 GB in 4 min.\n",
                         {{"Content-Type", "text/plain; charset=utf-8"},
                          {"Title", "Nightly backup \xe2\x9c\x94"},
                          {"Priority", "4"},
                          {"Tags", "host=db1,weekly"},
                          {"Click", "https://backups.example.org/runs/12"},
                          {"Recipients", "alice"}});
    QVERIFY2(published.status == 201, published.describe());
    const QJsonObject n = published.object();
    QCOMPARE(n.value("channel"_L1).toString(), u"nightly"_s); // made on first publish
    QCOMPARE(n.value("title"_L1).toString(), u"Nightly backup ✔"_s);
    QCOMPARE(n.value("message"_L1).toString(), u"Copied 12 GB in 4 min."_s);
    QCOMPARE(n.value("priority"_L1).toString(), u"high"_s);
    QCOMPARE(n.value("tags"_L1).toObject(),
             (QJsonObject{{"host"_L1, "db1"_L1}, {"weekly"_L1, "true"_L1}}));
    QCOMPARE(n.value("url"_L1).toString(), u"https://backups.example.org/runs/12"_s);
    QCOMPARE(n.value("recipients"_L1).toArray(), QJsonArray{u"alice"_s});
}

void TestIntegrations::cacheNoIsTransient()
{
    const auto session = aliceSession(App, u"backups"_s);
    QVERIFY(session);
    const int before = storedCount(App);
    const HttpResponse published =
        curl(u"/api/v1/publish/backupd/backups"_s, "only now", "Cache: no\r\n");
    QVERIFY2(published.status == 201, published.describe());
    QCOMPARE(published.object().value("persistent"_L1), QJsonValue(false));
    QVERIFY2(session->waitForNotificationId(idOf(published.object())), session->describe());
    QCOMPARE(storedCount(App), before);
}

void TestIntegrations::plainTextRefusalsNameTheFieldAndStoreNothing()
{
    const int before = storedCount(App);
    const HttpResponse priority =
        curl(u"/api/v1/publish/backupd/backups"_s, "m", "Priority: 9\r\n");
    QVERIFY2(priority.status == 400, priority.describe());
    QVERIFY2(priority.errorMessage().startsWith(u"Priority: '9'"_s), priority.describe());

    const HttpResponse latin1 = curl(u"/api/v1/publish/backupd/backups"_s, "caf\xe9");
    QVERIFY2(latin1.status == 400, latin1.describe());
    QCOMPARE(latin1.errorMessage(), u"body: not valid UTF-8"_s);

    const HttpResponse empty = curl(u"/api/v1/publish/backupd/backups"_s, {});
    QVERIFY2(empty.status == 400, empty.describe());
    QCOMPARE(empty.errorMessage(), u"message: must not be empty when there is no title"_s);

    const HttpResponse channel = curl(u"/api/v1/publish/backupd/no%20spaces"_s, "m");
    QVERIFY2(channel.status == 400, channel.describe());
    QVERIFY2(channel.errorMessage().startsWith(u"channel: "_s), channel.describe());

    HttpClient producer(m_syncd.httpUrl());
    producer.setToken(m_producer);
    const HttpResponse json =
        producer.request("POST", u"/api/v1/publish/backupd/backups"_s, R"({"message":"m"})",
                         {{"Content-Type", "application/json"}});
    QVERIFY2(json.status == 415, json.describe());
    QCOMPARE(json.errorCode(), u"unsupported_media_type"_s);

    const HttpResponse tooBig = curl(u"/api/v1/publish/backupd/backups"_s, QByteArray(5000, 'x'));
    QVERIFY2(tooBig.status == 400, tooBig.describe());
    QCOMPARE(tooBig.errorMessage(), u"message: longer than 4096 bytes"_s);

    QCOMPARE(storedCount(App), before);
}

void TestIntegrations::plainTextNeedsAProducerOfThatApplication()
{
    const QString path = u"/api/v1/publish/monitoring/backups"_s;
    const HttpResponse other = curl(path, "m"); // the backupd producer
    QVERIFY2(other.status == 403, other.describe());
    QCOMPARE(other.errorCode(), u"forbidden"_s);
    HttpClient anonymous(m_syncd.httpUrl());
    QCOMPARE(anonymous.request("POST", path, "m", {{"Content-Type", "text/plain"}}).status, 401);
    HttpClient user(m_syncd.httpUrl());
    user.setToken(m_alice);
    QCOMPARE(user.request("POST", path, "m", {{"Content-Type", "text/plain"}}).status, 403);
    QCOMPARE(storedCount(Monitoring), 0);
}

void TestIntegrations::alertmanagerPayloadBecomesOneNotificationPerAlert()
{
    const auto session = aliceSession(Monitoring, u"pager"_s);
    QVERIFY(session);
    // As Alertmanager posts it: http_config.authorization.credentials is the token.
    HttpClient alertmanager(m_syncd.httpUrl());
    alertmanager.setToken(m_monitor);
    const HttpResponse received = alertmanager.request(
        "POST", u"/api/v1/integrations/alertmanager/monitoring?channel=pager"_s,
        alertmanagerFixture(),
        {{"Content-Type", "application/json"}, {"User-Agent", "Alertmanager/0.27.0"}});
    QVERIFY2(received.status == 201, received.describe());
    const QJsonArray stored = received.array();
    QCOMPARE(stored.size(), 2);
    const QJsonObject firing = stored.at(0).toObject();
    QCOMPARE(firing.value("channel"_L1).toString(), u"pager"_s);
    QCOMPARE(firing.value("title"_L1).toString(), u"Disk /dev/sda1 on db1 is 95% full"_s);
    QCOMPARE(firing.value("code"_L1).toString(), u"DiskAlmostFull"_s);
    QCOMPARE(firing.value("level"_L1).toString(), u"critical"_s);
    QCOMPARE(firing.value("priority"_L1).toString(), u"urgent"_s);
    QCOMPARE(firing.value("tags"_L1).toObject().value("instance"_L1).toString(),
             u"db1.example.org:9100"_s);
    const QJsonObject resolved = stored.at(1).toObject();
    QCOMPARE(resolved.value("title"_L1).toString(), u"Resolved: HighLoad"_s);
    QCOMPARE(resolved.value("tags"_L1).toObject().value("status"_L1).toString(), u"resolved"_s);

    QVERIFY2(session->waitForNotificationId(idOf(resolved)), session->describe());
    QCOMPARE(session->notificationIds(), (QList<qint64>{idOf(firing), idOf(resolved)}));
    QCOMPARE(storedCount(Monitoring), 2);
}

void TestIntegrations::alertmanagerBatchIsAllOrNothing()
{
    QJsonObject body = QJsonDocument::fromJson(alertmanagerFixture()).object();
    QJsonArray alerts = body.value("alerts"_L1).toArray();
    QJsonObject broken = alerts.at(1).toObject();
    broken.insert("status"_L1, "pending"_L1);
    alerts.replace(1, broken);
    body.insert("alerts"_L1, alerts);
    HttpClient alertmanager(m_syncd.httpUrl());
    alertmanager.setToken(m_monitor);
    const int before = storedCount(Monitoring);
    const HttpResponse refused =
        alertmanager.post(u"/api/v1/integrations/alertmanager/monitoring"_s, body);
    QVERIFY2(refused.status == 400, refused.describe());
    QCOMPARE(refused.errorMessage(), u"alerts[1].status: must be firing or resolved"_s);
    const HttpResponse notJson =
        alertmanager.request("POST", u"/api/v1/integrations/alertmanager/monitoring"_s,
                             "{\"alerts\": [", {{"Content-Type", "application/json"}});
    QVERIFY2(notJson.status == 400, notJson.describe());
    QVERIFY2(notJson.errorMessage().startsWith(u"body: invalid JSON"_s), notJson.describe());
    QCOMPARE(storedCount(Monitoring), before);
}

void TestIntegrations::alertmanagerAlertsMeetTheEventTypes()
{
    // The monitoring producer registers one alert as its only event type.
    HttpClient producer(m_syncd.httpUrl());
    producer.setToken(m_monitor);
    const QJsonObject registration{
        {"eventTypes"_L1, QJsonArray{QJsonObject{
                              {"id"_L1, "DiskAlmostFull"_L1},
                              {"levels"_L1, QJsonArray{QJsonObject{{"id"_L1, "warning"_L1}},
                                                       QJsonObject{{"id"_L1, "critical"_L1}}}}}}}};
    QCOMPARE(producer.put(u"/api/v1/applications/monitoring"_s, registration).status, 200);
    const int before = storedCount(Monitoring);
    const HttpResponse refused =
        producer.request("POST", u"/api/v1/integrations/alertmanager/monitoring"_s,
                         alertmanagerFixture(), {{"Content-Type", "application/json"}});
    QVERIFY2(refused.status == 400, refused.describe());
    QCOMPARE(refused.errorMessage(),
             u"alerts[1].code: 'HighLoad' is not an event type of application 'monitoring' (one "
             "of: DiskAlmostFull)"_s);
    QCOMPARE(storedCount(Monitoring), before);
    QCOMPARE(producer.put(u"/api/v1/applications/monitoring"_s, QJsonObject()).status, 200);
}

void TestIntegrations::alertmanagerNeedsAProducerOfThatApplication()
{
    HttpClient other(m_syncd.httpUrl());
    other.setToken(m_producer); // backupd's
    const HttpResponse refused =
        other.request("POST", u"/api/v1/integrations/alertmanager/monitoring"_s,
                      alertmanagerFixture(), {{"Content-Type", "application/json"}});
    QVERIFY2(refused.status == 403, refused.describe());
    HttpClient user(m_syncd.httpUrl());
    user.setToken(m_alice);
    QCOMPARE(user.request("POST", u"/api/v1/integrations/alertmanager/monitoring"_s,
                          alertmanagerFixture(), {{"Content-Type", "application/json"}})
                 .status,
             403);
}

QTEST_GUILESS_MAIN(TestIntegrations)
#include "tst_integrations.moc"
