// SPDX-License-Identifier: Apache-2.0
// TLS through the shipped reverse-proxy setup, with the cluster secret passed as a file and as
// a systemd credential: a real nginx with packaging/nginx/
// herald-syncd.conf (see NginxProxy) in front of node 1. A client publishes over https:// and
// receives over wss://; node 2 links to node 1 with the peer relay over wss:// through the same
// proxy, trusting the test's CA through SSL_CERT_FILE as any OpenSSL program does; nginx
// refuses what the daemon would refuse (bodies over 64 KiB).
//
// Caught breakage: a configuration without the Upgrade/Connection headers (WebSockets and the
// relay fail), or with a body limit below the daemon's.
#include "apihelpers.h"
#include "httpclient.h"
#include "nginxproxy.h"
#include "syncdprocess.h"
#include "wait.h"
#include "wsclient.h"

#include <QSslConfiguration>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {
const QString App = u"shop"_s;
const QString Secret = u"tls-proxy-test-secret-0123456789abcdef"_s;
} // namespace

class TestTlsProxy : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void publishOverHttpsReachesAWssSession();
    void relayLinkRunsThroughTheProxy();
    void proxyRefusesWhatTheDaemonWould();

private:
    QUrl proxied(const QString &path) const
    {
        return QUrl(u"https://127.0.0.1:%1%2"_s.arg(m_nginx.port()).arg(path));
    }

    SyncdProcess m_node1;
    SyncdProcess m_node2;
    NginxProxy m_nginx;
    HttpClient m_https;
    HttpClient m_node2Http;
    std::unique_ptr<WsClient> m_session; // made after the CA is trusted: it copies the default
};

void TestTlsProxy::initTestCase()
{
    // The secret as operators should pass it: a systemd credential for node 1, a file for
    // node 2; never on a command line.
    QFile secret(m_node1.tempPath() + u"/cluster-secret"_s);
    QVERIFY(secret.open(QIODevice::WriteOnly) && secret.write(Secret.toUtf8() + '\n') > 0);
    secret.close();
    const QStringList cluster{u"--no-auth"_s, u"--cluster"_s, u"tls"_s, u"--peer-timeout-ms"_s,
                              u"3000"_s};
    m_node1.setEnvironmentVariable(u"CREDENTIALS_DIRECTORY"_s, m_node1.tempPath());
    QVERIFY2(m_node1.start(cluster + QStringList{u"--node-id"_s, u"1"_s}),
             qPrintable(m_node1.errorString()));
    QVERIFY2(m_nginx.start(m_node1.port()), qPrintable(m_nginx.errorString()));

    // This process trusts the test CA for QNetworkAccessManager and QWebSocket alike.
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.addCaCertificates(m_nginx.caFile());
    QSslConfiguration::setDefaultConfiguration(tls);
    // Node 2 the way an operator would: the CA in OpenSSL's trust file.
    m_node2.setEnvironmentVariable(u"SSL_CERT_FILE"_s, m_nginx.caFile());
    QVERIFY2(m_node2.start(cluster + QStringList{u"--node-id"_s, u"2"_s, u"--cluster-secret-file"_s,
                                                 secret.fileName(), u"--peer"_s,
                                                 u"wss://127.0.0.1:%1"_s.arg(m_nginx.port())}),
             qPrintable(m_node2.errorString()));

    m_https.setBaseUrl(proxied({}));
    m_node2Http.setBaseUrl(m_node2.httpUrl());
    for (HttpClient *http : {&m_https, &m_node2Http}) {
        QVERIFY(createApplication(*http, App, {u"orders"_s}));
        QVERIFY(createUser(*http, u"alice"_s));
    }
    const QUrl wss(u"wss://127.0.0.1:%1/api/v1/ws"_s.arg(m_nginx.port()));
    m_session = std::make_unique<WsClient>();
    QVERIFY2(m_session->connectAs(wss, u"alice"_s, App, {u"orders"_s}), m_session->describe());
}

void TestTlsProxy::cleanup()
{
    m_node1.dumpLogIfFailed();
    m_node2.dumpLogIfFailed();
    if (QTest::currentTestFailed())
        qWarning("nginx error.log:\n%s", m_nginx.errorLog().right(4000).constData());
}

void TestTlsProxy::publishOverHttpsReachesAWssSession()
{
    const HttpResponse health = m_https.get(u"/healthz"_s);
    QVERIFY2(health.status == 200, health.describe());
    const qint64 id = publish(m_https, App, u"orders"_s, u"over TLS"_s);
    QVERIFY(id > 0);
    QVERIFY2(m_session->waitForNotificationId(id), m_session->describe());
}

void TestTlsProxy::relayLinkRunsThroughTheProxy()
{
    // Node 2's only link is the wss:// one through nginx: what it stores reaches node 1's
    // session, and what node 1 stores reaches node 2.
    const qint64 fromNode2 = publish(m_node2Http, App, u"orders"_s, u"made on node 2"_s);
    QVERIFY(fromNode2 > 0);
    QVERIFY2(m_session->waitForNotificationId(fromNode2, 15000), m_session->describe());
    const qint64 fromNode1 = publish(m_https, App, u"orders"_s, u"made on node 1"_s);
    QVERIFY(fromNode1 > 0);
    QVERIFY(waitUntil(
        [&] {
            const Listing listing = listAll(m_node2Http, u"user=alice&application=shop"_s);
            return listing.ok && listing.find(fromNode1).has_value();
        },
        15000));
    // Neither node's command line nor log shows the secret.
    QVERIFY(!m_node1.log().contains(Secret.toUtf8()));
    QVERIFY(!m_node2.log().contains(Secret.toUtf8()));
}

void TestTlsProxy::proxyRefusesWhatTheDaemonWould()
{
    // A body just over the daemon's 64 KiB is refused at the proxy with the same status.
    const QByteArray big = R"({"application":"shop","channel":"orders","message":")" +
                           QByteArray(65 * 1024, 'x') + R"("})";
    const HttpResponse viaProxy = m_https.request("POST", u"/api/v1/notifications"_s, big);
    const HttpResponse direct =
        HttpClient(m_node1.httpUrl()).request("POST", u"/api/v1/notifications"_s, big);
    QCOMPARE(direct.status, 413);
    QCOMPARE(viaProxy.status, 413);
    // One within the limit passes through.
    const QByteArray fits =
        R"({"application":"shop","channel":"orders","message":")" + QByteArray(3000, 'y') + R"("})";
    QCOMPARE(m_https.request("POST", u"/api/v1/notifications"_s, fits).status, 201);
}

QTEST_GUILESS_MAIN(TestTlsProxy)
#include "tst_tlsproxy.moc"
