// SPDX-License-Identifier: Apache-2.0
// Email endpoints end to end: a real herald-syncd with [smtp] (HERALD_SMTP_*) pointing at
// smtpsink.py, a real SMTP server (python3-aiosmtpd) that requires AUTH, reads every mail with
// Python's `email` package and answers as each test tells it (250, 451, 550). Other daemons
// show STARTTLS (a throwaway certificate made with openssl, trusted through [endpoints] caFile),
// its refusal when the server does not offer it or is not trusted, and a daemon without
// [smtp]. Nothing is sent outside 127.0.0.0/8.
#include "apihelpers.h"
#include "httpclient.h"
#include "smtpsink.h"
#include "syncdprocess.h"
#include "wait.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {

const QString App = u"deploys"_s;
const QString From = u"herald@example.org"_s;
const QString User = u"herald-mailer"_s;
const QString Password = u"pw-Zq81-never-logged"_s;
const QStringList Recipients = {u"ops@example.org"_s, u"oncall@example.net"_s};

} // namespace

class TestEmailEndpoints : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void publishIsMailedOnceToTheRecipients();
    void temporaryRefusalIsRetriedThenDeliveredOnce();
    void permanentRefusalFailsAtOnce();
    void endpointInputIsValidated();
    void emailEndpointsNeedSmtpConfigured();
    void nodeWithoutSmtpFailsItsMail();
    void badSmtpSettingsStopTheDaemon();
    void startTlsIsRequiredByDefault();
    void startTlsDeliversWhenTheCertificateIsTrusted();
    void smtpsIsTlsFromTheFirstByte();
    void passwordNeverAppearsInTheLog();

private:
    // Email endpoint `name` to `to` on `http`, with a behaviour group routing channel `name`
    // of App to it; false on any failure.
    bool route(HttpClient &http, const QString &name, const QStringList &to = Recipients);
    static QJsonArray deliveries(HttpClient &http, const QString &endpoint,
                                 const QString &status = {});
    // Publishes a "deploy" notification to channel `channel` of App; its id, 0 on failure.
    static qint64 send(HttpClient &http, const QString &channel, const QString &message);
    // Starts `daemon` with [smtp] on `url` (none when empty) and `extra` variables, and App;
    // `http` then talks to it with an admin token. False on any failure.
    bool startDaemon(SyncdProcess &daemon, HttpClient &http, const QString &url,
                     const QList<std::pair<QString, QString>> &extra = {});
    // A certificate for 127.0.0.1 and its key in m_files; false when openssl failed.
    bool makeCertificate(const QString &name);

    QTemporaryDir m_files;
    SmtpSink m_sink; // requires AUTH, no TLS
    SyncdProcess m_syncd;
    HttpClient m_admin;
};

void TestEmailEndpoints::initTestCase()
{
    QVERIFY(m_files.isValid());
    QFile password(m_files.filePath(u"smtp-password"_s));
    QVERIFY(password.open(QIODevice::WriteOnly));
    password.write(Password.toUtf8() + "\nsecond line: ignored\n");
    password.close();
    QVERIFY2(m_sink.start({u"--auth"_s, User + u':' + Password}),
             "smtpsink.py did not print its ports");
    // Debug logging on everything: the password must not show even there.
    QVERIFY(startDaemon(m_syncd, m_admin, m_sink.url(),
                        {{u"HERALD_SMTP_USER"_s, User},
                         {u"HERALD_SMTP_PASSWORD_FILE"_s, password.fileName()},
                         {u"HERALD_SMTP_STARTTLS"_s, u"false"_s},
                         {u"QT_LOGGING_RULES"_s, u"herald.*.debug=true"_s}}));
}

void TestEmailEndpoints::cleanup()
{
    m_syncd.dumpLogIfFailed();
}

bool TestEmailEndpoints::startDaemon(SyncdProcess &daemon, HttpClient &http, const QString &url,
                                     const QList<std::pair<QString, QString>> &extra)
{
    if (!url.isEmpty()) {
        daemon.setEnvironmentVariable(u"HERALD_SMTP_URL"_s, url);
        daemon.setEnvironmentVariable(u"HERALD_SMTP_FROM"_s, From);
    }
    daemon.setEnvironmentVariable(u"HERALD_SMTP_TIMEOUT_MS"_s, u"5000"_s);
    daemon.setEnvironmentVariable(u"HERALD_ENDPOINTS_RETRY_INITIAL_MS"_s, u"100"_s);
    daemon.setEnvironmentVariable(u"HERALD_ENDPOINTS_RETRY_MAX_MS"_s, u"1000"_s);
    for (const auto &[name, value] : extra)
        daemon.setEnvironmentVariable(name, value);
    if (!daemon.start()) {
        qWarning("herald-syncd: %s", qPrintable(daemon.errorString()));
        return false;
    }
    http.setBaseUrl(daemon.httpUrl());
    http.setToken(daemon.createToken(u"admin"_s));
    const QJsonArray levels{QJsonObject{{"id"_L1, "info"_L1}}, QJsonObject{{"id"_L1, "warning"_L1}},
                            QJsonObject{{"id"_L1, "error"_L1}}};
    const HttpResponse app = http.put(
        u"/api/v1/applications/"_s + App,
        QJsonObject{{"title"_L1, App},
                    {"eventTypes"_L1,
                     QJsonArray{QJsonObject{{"id"_L1, "deploy"_L1}, {"levels"_L1, levels}}}}});
    return app.status / 100 == 2;
}

bool TestEmailEndpoints::route(HttpClient &http, const QString &name, const QStringList &to)
{
    const HttpResponse put =
        http.put(u"/api/v1/endpoints/"_s + name,
                 QJsonObject{{"kind"_L1, "email"_L1}, {"to"_L1, QJsonArray::fromStringList(to)}});
    const QJsonObject behavior{{"match"_L1, QJsonObject{{"channels"_L1, QJsonArray{name}}}},
                               {"endpoints"_L1, QJsonArray{name}}};
    if (put.status != 201 || !createChannel(http, App, name) ||
        http.put(u"/api/v1/applications/%1/behaviors/%2"_s.arg(App, name), behavior).status !=
            201) {
        qWarning("routing %s: %s", qPrintable(name), put.describe().constData());
        return false;
    }
    return true;
}

qint64 TestEmailEndpoints::send(HttpClient &http, const QString &channel, const QString &message)
{
    return publish(http, App, channel, message,
                   {{"code"_L1, "deploy"_L1}, {"level"_L1, "error"_L1}});
}

QJsonArray TestEmailEndpoints::deliveries(HttpClient &http, const QString &endpoint,
                                          const QString &status)
{
    QString path = u"/api/v1/endpoints/%1/deliveries"_s.arg(endpoint);
    if (!status.isEmpty())
        path += u"?status="_s + status;
    return http.get(path).object()["deliveries"_L1].toArray();
}

bool TestEmailEndpoints::makeCertificate(const QString &name)
{
    QProcess openssl;
    openssl.start(u"openssl"_s, {u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s,
                                 u"-days"_s, u"1"_s, u"-subj"_s, u"/CN=127.0.0.1"_s, u"-addext"_s,
                                 u"subjectAltName=IP:127.0.0.1"_s, u"-keyout"_s,
                                 m_files.filePath(name + u".key"_s), u"-out"_s,
                                 m_files.filePath(name + u".pem"_s)});
    return openssl.waitForFinished(30000) && openssl.exitCode() == 0;
}

void TestEmailEndpoints::publishIsMailedOnceToTheRecipients()
{
    QVERIFY(m_sink.clear());
    const HttpResponse put = m_admin.put(
        u"/api/v1/endpoints/ops"_s,
        QJsonObject{{"kind"_L1, "email"_L1}, {"to"_L1, QJsonArray::fromStringList(Recipients)}});
    QVERIFY2(put.status == 201, put.describe());
    QCOMPARE(put.object()["to"_L1].toArray(), QJsonArray::fromStringList(Recipients));
    QVERIFY(!put.object().contains("url"_L1) && !put.object().contains("secret"_L1));
    QCOMPARE(m_admin.get(u"/api/v1/endpoints/ops"_s).object()["to"_L1].toArray(),
             QJsonArray::fromStringList(Recipients));
    QVERIFY(createChannel(m_admin, App, u"ops"_s));
    const QJsonObject behavior{{"match"_L1, QJsonObject{{"channels"_L1, QJsonArray{u"ops"_s}}}},
                               {"endpoints"_L1, QJsonArray{u"ops"_s}}};
    QCOMPARE(m_admin.put(u"/api/v1/applications/%1/behaviors/ops"_s.arg(App), behavior).status,
             201);

    const QString title = u"Déploiement <prod> terminé ✓"_s;
    const qint64 id = publish(m_admin, App, u"ops"_s, u"Version 2.3 is live & well.\nBye."_s,
                              {{"title"_L1, title},
                               {"code"_L1, "deploy"_L1},
                               {"level"_L1, "warning"_L1},
                               {"priority"_L1, "high"_L1},
                               {"url"_L1, "https://ci.example.org/runs/17"_L1}});
    QVERIFY(id);
    QVERIFY(waitUntil([&] { return m_sink.delivered().size() == 1; }, 15000, 50));
    QVERIFY(
        waitUntil([&] { return deliveries(m_admin, u"ops"_s, u"done"_s).size() == 1; }, 5000, 50));
    QTest::qWait(300); // a second mail would show now
    QCOMPARE(m_sink.attempts().size(), 1);

    const QJsonObject mail = m_sink.delivered().first().toObject();
    QCOMPARE(mail["mailFrom"_L1].toString(), From);
    QCOMPARE(mail["rcptTos"_L1].toArray(), QJsonArray::fromStringList(Recipients));
    QCOMPARE(mail["login"_L1].toString(), User); // AUTH with [smtp] user and passwordFile
    QCOMPARE(mail["tls"_L1].toBool(), false);    // starttls=false
    QCOMPARE(mail["defects"_L1].toArray(), QJsonArray());
    QVERIFY(mail["crlf"_L1].toBool());
    QVERIFY(mail["longestLine"_L1].toInt() <= 998);
    QCOMPARE(mail["contentType"_L1].toString(), u"multipart/alternative"_s);
    QCOMPARE(mail["subject"_L1].toString(), title); // an encoded-word, decoded by Python
    const QJsonObject headers = mail["headers"_L1].toObject();
    QCOMPARE(headers["From"_L1].toString(), u"Herald <herald@example.org>"_s);
    QCOMPARE(headers["To"_L1].toString(), Recipients.join(u", "_s));
    QCOMPARE(headers["Auto-Submitted"_L1].toString(), u"auto-generated"_s);
    QCOMPARE(headers["MIME-Version"_L1].toString(), u"1.0"_s);
    QVERIFY(!headers["Date"_L1].toString().isEmpty());

    const QJsonObject job = deliveries(m_admin, u"ops"_s, u"done"_s).first().toObject();
    QCOMPARE(job["notificationId"_L1].toInteger(), id);
    QCOMPARE(job["attempts"_L1].toInt(), 1);
    QCOMPARE(job["lastStatus"_L1].toInt(), 250);
    const QString deliveryId = job["id"_L1].toString();
    QCOMPARE(headers["Message-ID"_L1].toString(), u"<%1@herald>"_s.arg(deliveryId));
    QCOMPARE(headers["X-Herald-Delivery"_L1].toString(), deliveryId);

    const QString text = mail["text"_L1].toString();
    for (const QString &expected :
         {title, u"Version 2.3 is live & well.\r\nBye."_s, u"deploys / ops"_s, u"warning"_s,
          u"high"_s, u"https://ci.example.org/runs/17"_s})
        QVERIFY2(text.contains(expected), qPrintable(expected + u" in "_s + text));
    const QString html = mail["html"_L1].toString();
    QVERIFY2(html.contains(u"Déploiement &lt;prod&gt; terminé ✓"_s), qPrintable(html));
    QVERIFY(html.contains(u"Version 2.3 is live &amp; well.<br>"_s));
    QVERIFY(html.contains(u"<a href=\"https://ci.example.org/runs/17\">"_s));

    // The test delivery of POST .../test goes out the same way.
    QCOMPARE(m_admin.post(u"/api/v1/endpoints/ops/test"_s, {}).status, 202);
    QVERIFY(waitUntil([&] { return m_sink.delivered().size() == 2; }, 15000, 50));
    QCOMPARE(m_sink.delivered()[1]["subject"_L1].toString(), u"Test delivery from herald-syncd"_s);
}

void TestEmailEndpoints::temporaryRefusalIsRetriedThenDeliveredOnce()
{
    QVERIFY(route(m_admin, u"greylisted"_s));
    QVERIFY(m_sink.clear());
    QVERIFY(m_sink.configure(
        {{"mode"_L1, "tempfail"_L1}, {"stage"_L1, "data"_L1}, {"failFirst"_L1, 2}}));
    QVERIFY(send(m_admin, u"greylisted"_s, u"try, try again"_s));
    QVERIFY(waitUntil([&] { return m_sink.delivered().size() == 1; }, 15000, 50));
    QVERIFY(waitUntil([&] { return deliveries(m_admin, u"greylisted"_s, u"done"_s).size() == 1; },
                      5000, 50));
    QTest::qWait(500); // several backoffs: a stray retry after the 250 would show now
    const QJsonArray attempts = m_sink.attempts();
    QCOMPARE(attempts.size(), 3);
    const QString messageId = attempts[0]["headers"_L1]["Message-ID"_L1].toString();
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(attempts[i]["status"_L1].toInt(), i < 2 ? 451 : 250);
        QCOMPARE(attempts[i]["headers"_L1]["Message-ID"_L1].toString(), messageId); // one mail
    }
    const QJsonObject job = deliveries(m_admin, u"greylisted"_s, u"done"_s).first().toObject();
    QCOMPARE(job["attempts"_L1].toInt(), 3);
    QCOMPARE(job["lastStatus"_L1].toInt(), 250);
    QCOMPARE(messageId, u"<%1@herald>"_s.arg(job["id"_L1].toString()));

    HttpClient scraper(m_syncd.httpUrl()); // loopback: no token needed
    const QString metrics = QString::fromUtf8(scraper.get(u"/metrics"_s).body);
    for (const QString &result : {u"sent\"} 1"_s, u"retrying\"} 2"_s})
        QVERIFY2(metrics.contains(u"endpoint=\"greylisted\",result=\""_s + result),
                 qPrintable(metrics));
    QVERIFY(m_sink.configure({{"mode"_L1, "accept"_L1}}));
}

void TestEmailEndpoints::permanentRefusalFailsAtOnce()
{
    QVERIFY(route(m_admin, u"bounced"_s, {u"nobody@example.org"_s}));
    QVERIFY(m_sink.clear());
    QVERIFY(m_sink.configure({{"mode"_L1, "reject"_L1}, {"stage"_L1, "rcpt"_L1}}));
    QVERIFY(send(m_admin, u"bounced"_s, u"to nobody"_s));
    QVERIFY(waitUntil([&] { return deliveries(m_admin, u"bounced"_s, u"failed"_s).size() == 1; },
                      15000, 50));
    const QJsonObject job = deliveries(m_admin, u"bounced"_s, u"failed"_s).first().toObject();
    QCOMPARE(job["attempts"_L1].toInt(), 1);
    QCOMPARE(job["lastStatus"_L1].toInt(), 550);
    QVERIFY2(job["lastError"_L1].toString().contains(u"550 5.1.1 No such mailbox here"_s),
             qPrintable(job["lastError"_L1].toString()));
    QTest::qWait(1000); // ten times the first backoff: a retry would have come
    QCOMPARE(m_sink.attempts().size(), 1);
    QCOMPARE(m_sink.attempts()[0]["rcptTos"_L1].toArray(), QJsonArray{u"nobody@example.org"_s});
    QCOMPARE(deliveries(m_admin, u"bounced"_s, u"pending"_s).size(), 0);
    QVERIFY(m_sink.configure({{"mode"_L1, "accept"_L1}}));
}

void TestEmailEndpoints::endpointInputIsValidated()
{
    const auto put = [&](const QJsonObject &body) {
        return m_admin.put(u"/api/v1/endpoints/checked"_s, body);
    };
    const auto expect400 = [&](const QJsonObject &body, const QString &prefix) {
        const HttpResponse answer = put(body);
        if (answer.status != 400 || !answer.errorMessage().startsWith(prefix)) {
            qWarning("expected 400 '%s...': %s", qPrintable(prefix), answer.describe().constData());
            return false;
        }
        return true;
    };
    const QJsonValue email = "email"_L1;
    QVERIFY(expect400({{"kind"_L1, email}}, u"to: "_s));
    QVERIFY(expect400({{"kind"_L1, email}, {"to"_L1, QJsonArray{}}}, u"to: "_s));
    QVERIFY(expect400({{"kind"_L1, email}, {"to"_L1, u"ops@example.org"_s}}, u"to: "_s));
    QVERIFY(expect400({{"kind"_L1, email}, {"to"_L1, QJsonArray{u"ops@example.org"_s, u"nope"_s}}},
                      u"to[1]: "_s));
    for (const QString &bad :
         {u"ops@example.org\r\nRCPT TO:<x@example.org>"_s, u"a@example.org, b@example.org"_s,
          u"Ops <ops@example.org>"_s, u"ops@example.org\nBcc: x@example.org"_s})
        QVERIFY(expect400({{"kind"_L1, email}, {"to"_L1, QJsonArray{bad}}}, u"to[0]: "_s));
    QJsonArray tooMany;
    for (int i = 0; i < 33; ++i)
        tooMany.append(u"r%1@example.org"_s.arg(i));
    QVERIFY(expect400({{"kind"_L1, email}, {"to"_L1, tooMany}}, u"to: "_s));
    QVERIFY(expect400({{"kind"_L1, email},
                       {"to"_L1, QJsonArray{u"ops@example.org"_s}},
                       {"url"_L1, "https://example.org/"_L1}},
                      u"url: "_s));
    QVERIFY(expect400({{"kind"_L1, email},
                       {"to"_L1, QJsonArray{u"ops@example.org"_s}},
                       {"secret"_L1, "0123456789abcdef0123"_L1}},
                      u"secret: "_s));
    QVERIFY(expect400({{"kind"_L1, "webhook"_L1},
                       {"url"_L1, "https://example.org/"_L1},
                       {"to"_L1, QJsonArray{u"ops@example.org"_s}}},
                      u"to: "_s));
    QVERIFY(expect400({{"kind"_L1, "fax"_L1}}, u"kind: "_s));
    QCOMPARE(m_admin.get(u"/api/v1/endpoints/checked"_s).status, 404); // nothing was stored

    tooMany.removeLast(); // 32 is allowed
    const HttpResponse most = put({{"kind"_L1, email}, {"to"_L1, tooMany}});
    QVERIFY2(most.status == 201, most.describe());
    QCOMPARE(most.object()["to"_L1].toArray().size(), 32);
}

void TestEmailEndpoints::emailEndpointsNeedSmtpConfigured()
{
    SyncdProcess bare;
    HttpClient http;
    QVERIFY(startDaemon(bare, http, QString())); // no [smtp]
    const HttpResponse answer =
        http.put(u"/api/v1/endpoints/ops"_s,
                 QJsonObject{{"kind"_L1, "email"_L1}, {"to"_L1, QJsonArray{u"ops@example.org"_s}}});
    QVERIFY2(answer.status == 400, answer.describe());
    QCOMPARE(answer.errorMessage(),
             u"kind: email endpoints need [smtp] url and from in the daemon's configuration"_s);
    // [smtp] url without from is not enough either.
    SyncdProcess noFrom;
    noFrom.setEnvironmentVariable(u"HERALD_SMTP_URL"_s, m_sink.url());
    HttpClient second;
    QVERIFY(startDaemon(noFrom, second, QString()));
    QCOMPARE(
        second
            .put(u"/api/v1/endpoints/ops"_s,
                 QJsonObject{{"kind"_L1, "email"_L1}, {"to"_L1, QJsonArray{u"ops@example.org"_s}}})
            .status,
        400);
}

void TestEmailEndpoints::nodeWithoutSmtpFailsItsMail()
{
    // An email endpoint made while [smtp] was set, then the daemon restarted without it.
    SyncdProcess forgetful;
    HttpClient http;
    QVERIFY(startDaemon(forgetful, http, m_sink.url(), {{u"HERALD_SMTP_STARTTLS"_s, u"false"_s}}));
    QVERIFY(route(http, u"orphan"_s));
    forgetful.setEnvironmentVariable(u"HERALD_SMTP_URL"_s, QString());
    QVERIFY(forgetful.restart());
    http.setBaseUrl(forgetful.httpUrl());
    QVERIFY(m_sink.clear());
    QVERIFY(send(http, u"orphan"_s, u"nowhere to go"_s));
    const auto failed = [&] { return deliveries(http, u"orphan"_s, u"failed"_s); };
    QVERIFY(waitUntil([&] { return failed().size() == 1; }, 15000, 50));
    QVERIFY2(failed().first()["lastError"_L1].toString().contains(u"[smtp] url and from"_s),
             qPrintable(failed().first()["lastError"_L1].toString()));
    QCOMPARE(m_sink.attempts().size(), 0);
}

void TestEmailEndpoints::badSmtpSettingsStopTheDaemon()
{
    const QList<std::pair<QString, QString>> cases = {
        {u"HERALD_SMTP_URL"_s, u"http://127.0.0.1:25"_s},
        {u"HERALD_SMTP_URL"_s, u"smtp://127.0.0.1:25/path"_s},
        {u"HERALD_SMTP_URL"_s, u"smtp://someone:hunter2-in-url@127.0.0.1:25"_s},
        {u"HERALD_SMTP_FROM"_s, u"Herald <herald@example.org>"_s},
        {u"HERALD_SMTP_STARTTLS"_s, u"maybe"_s},
        {u"HERALD_SMTP_TIMEOUT_MS"_s, u"0"_s},
        {u"HERALD_SMTP_PASSWORD_FILE"_s, m_files.filePath(u"no-such-file"_s)},
    };
    for (const auto &[name, value] : cases) {
        QProcess daemon;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(name, value);
        daemon.setProcessEnvironment(environment);
        daemon.start(SyncdProcess::executable(), {u"--listen"_s, u"127.0.0.1:0"_s, u"--database"_s,
                                                  m_files.filePath(u"never.db"_s)});
        QVERIFY(daemon.waitForFinished(15000));
        const QString err = QString::fromUtf8(daemon.readAllStandardError());
        QVERIFY2(daemon.exitCode() == 2, qPrintable(name + u'=' + value + u": "_s + err));
        QVERIFY2(err.contains(name), qPrintable(err));
        QVERIFY2(!err.contains(u"hunter2"_s), qPrintable(err)); // a password in a URL stays out
    }
}

void TestEmailEndpoints::startTlsIsRequiredByDefault()
{
    // starttls left at its default (true) against m_sink, which offers no STARTTLS: the mail
    // and the password are not sent in clear text, and the delivery fails at once.
    SyncdProcess strict;
    HttpClient http;
    QVERIFY(startDaemon(strict, http, m_sink.url(), {{u"HERALD_SMTP_USER"_s, User}}));
    QVERIFY(route(http, u"strict"_s));
    QVERIFY(m_sink.clear());
    QVERIFY(send(http, u"strict"_s, u"only over TLS"_s));
    const auto failed = [&] { return deliveries(http, u"strict"_s, u"failed"_s); };
    QVERIFY(waitUntil([&] { return failed().size() == 1; }, 15000, 50));
    const QJsonObject job = failed().first().toObject();
    QCOMPARE(job["attempts"_L1].toInt(), 1);
    QVERIFY2(job["lastError"_L1].toString().contains(u"STARTTLS"_s, Qt::CaseInsensitive),
             qPrintable(job["lastError"_L1].toString()));
    QCOMPARE(m_sink.attempts().size(), 0); // no MAIL, no RCPT, no AUTH
    QCOMPARE(m_sink.state()["loginFailures"_L1].toInt(), 0);
}

void TestEmailEndpoints::startTlsDeliversWhenTheCertificateIsTrusted()
{
    QVERIFY2(makeCertificate(u"sink"_s), "openssl could not make a certificate");
    SmtpSink tlsSink;
    QVERIFY(tlsSink.start(
        {u"--tls"_s, m_files.filePath(u"sink.pem"_s), m_files.filePath(u"sink.key"_s)}));

    // Trusted through [endpoints] caFile: delivered, over TLS.
    SyncdProcess trusting;
    HttpClient http;
    QVERIFY(startDaemon(trusting, http, tlsSink.url(),
                        {{u"HERALD_ENDPOINTS_CA_FILE"_s, m_files.filePath(u"sink.pem"_s)}}));
    QVERIFY(route(http, u"secure"_s));
    QVERIFY(send(http, u"secure"_s, u"sealed"_s));
    QVERIFY(waitUntil([&] { return tlsSink.delivered().size() == 1; }, 15000, 50));
    QVERIFY(tlsSink.delivered().first()["tls"_L1].toBool());

    // The system's CAs do not know the certificate: fails at once, nothing sent.
    SyncdProcess doubting;
    HttpClient second;
    QVERIFY(startDaemon(doubting, second, tlsSink.url()));
    QVERIFY(route(second, u"secure"_s));
    QVERIFY(tlsSink.clear());
    QVERIFY(send(second, u"secure"_s, u"sealed"_s));
    const auto failed = [&] { return deliveries(second, u"secure"_s, u"failed"_s); };
    QVERIFY(waitUntil([&] { return failed().size() == 1; }, 15000, 50));
    QCOMPARE(failed().first()["attempts"_L1].toInt(), 1);
    QCOMPARE(tlsSink.attempts().size(), 0);
}

void TestEmailEndpoints::smtpsIsTlsFromTheFirstByte()
{
    if (!QFile::exists(m_files.filePath(u"sink.pem"_s)))
        QVERIFY2(makeCertificate(u"sink"_s), "openssl could not make a certificate");
    SmtpSink tlsSink;
    QVERIFY(tlsSink.start({u"--tls"_s, m_files.filePath(u"sink.pem"_s),
                           m_files.filePath(u"sink.key"_s), u"--implicit-tls"_s}));
    SyncdProcess daemon;
    HttpClient http;
    QVERIFY(startDaemon(daemon, http, tlsSink.url(u"smtps"_s),
                        {{u"HERALD_ENDPOINTS_CA_FILE"_s, m_files.filePath(u"sink.pem"_s)},
                         {u"HERALD_SMTP_STARTTLS"_s, u"false"_s}})); // not used with smtps://
    QVERIFY(route(http, u"implicit"_s));
    QVERIFY(send(http, u"implicit"_s, u"sealed from the start"_s));
    QVERIFY(waitUntil([&] { return tlsSink.delivered().size() == 1; }, 15000, 50));
    QVERIFY(tlsSink.delivered().first()["tls"_L1].toBool());
}

void TestEmailEndpoints::passwordNeverAppearsInTheLog()
{
    // After every test above, with debug logging on: the log, the endpoints and their
    // delivery logs never carry the password.
    QVERIFY(m_syncd.log().size() > 0);
    QVERIFY(!m_syncd.log().contains(Password.toUtf8()));
    const QByteArray endpoints = m_admin.get(u"/api/v1/endpoints"_s).body;
    QVERIFY(!endpoints.contains(Password.toUtf8()));
    for (const QString &name : {u"ops"_s, u"greylisted"_s, u"bounced"_s})
        QVERIFY(!m_admin.get(u"/api/v1/endpoints/%1/deliveries"_s.arg(name))
                     .body.contains(Password.toUtf8()));
}

QTEST_GUILESS_MAIN(TestEmailEndpoints)
#include "tst_emailendpoints.moc"
