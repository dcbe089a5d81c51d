// SPDX-License-Identifier: Apache-2.0
// ClientWebSocket against Qt's own WebSocket server, in the clear and over TLS: messages both
// ways, pings, and the close handshake started by either end.
#include "session/clientwebsocket.h"

#include <QProcess>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

#include <memory>

using namespace herald;
using namespace Qt::StringLiterals;

class TestClientWebSocket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void sendsAndReceivesText();
    void sendsTheExtraHeaders();
    void carriesLargeMessagesBothWays();
    void answersAPing();
    void reportsTheServersCloseCodeAndReason();
    void closesAndWaitsForTheServersClose();
    void reportsARefusedConnection();
    void speaksOverTls();

private:
    // Opens a client to m_server and returns the server's end of it.
    QWebSocket *connectClient(ClientWebSocket &client, const QUrl &url,
                              const ClientWebSocket::Headers &headers = {});

    std::unique_ptr<QWebSocketServer> m_server;
};

void TestClientWebSocket::init()
{
    m_server = std::make_unique<QWebSocketServer>(u"test"_s, QWebSocketServer::NonSecureMode);
    QVERIFY(m_server->listen(QHostAddress::LocalHost));
}

void TestClientWebSocket::cleanup()
{
    m_server.reset();
}

QWebSocket *TestClientWebSocket::connectClient(ClientWebSocket &client, const QUrl &url,
                                               const ClientWebSocket::Headers &headers)
{
    QSignalSpy pending(m_server.get(), &QWebSocketServer::newConnection);
    QSignalSpy connected(&client, &ClientWebSocket::connected);
    client.open(url, headers);
    if (!connected.wait(5000) || (pending.isEmpty() && !pending.wait(5000)))
        return nullptr;
    QWebSocket *peer = m_server->nextPendingConnection();
    if (peer)
        peer->setParent(m_server.get());
    return peer;
}

void TestClientWebSocket::sendsAndReceivesText()
{
    ClientWebSocket client;
    QSignalSpy received(&client, &ClientWebSocket::textMessageReceived);
    QWebSocket *peer = connectClient(client, m_server->serverUrl());
    QVERIFY(peer);
    QCOMPARE(client.state(), QAbstractSocket::ConnectedState);
    QSignalSpy atServer(peer, &QWebSocket::textMessageReceived);

    QVERIFY(client.sendTextMessage(u"hello, ünïcødé 🦉"_s));
    QVERIFY(atServer.wait());
    QCOMPARE(atServer.at(0).at(0).toString(), u"hello, ünïcødé 🦉"_s);

    peer->sendTextMessage(u"and back: ✓"_s);
    peer->sendTextMessage(QString());
    QTRY_COMPARE(received.size(), 2);
    QCOMPARE(received.at(0).at(0).toString(), u"and back: ✓"_s);
    QCOMPARE(received.at(1).at(0).toString(), QString());
}

void TestClientWebSocket::sendsTheExtraHeaders()
{
    ClientWebSocket client;
    QUrl url = m_server->serverUrl();
    url.setPath(u"/api/v1/ws"_s);
    QWebSocket *peer = connectClient(client, url, {{"Authorization", "Bearer s3cret"}});
    QVERIFY(peer);
    QCOMPARE(peer->request().rawHeader("Authorization"), QByteArray("Bearer s3cret"));
    QCOMPARE(peer->requestUrl().path(), u"/api/v1/ws"_s);
}

void TestClientWebSocket::carriesLargeMessagesBothWays()
{
    // Past 65535 bytes a frame's length takes the 64-bit form.
    ClientWebSocket client;
    QSignalSpy received(&client, &ClientWebSocket::textMessageReceived);
    QWebSocket *peer = connectClient(client, m_server->serverUrl());
    QVERIFY(peer);
    QSignalSpy atServer(peer, &QWebSocket::textMessageReceived);
    const QString big = QString(200'000, u'x') + u"end"_s;
    QVERIFY(client.sendTextMessage(big));
    QVERIFY(atServer.wait());
    QCOMPARE(atServer.at(0).at(0).toString(), big);
    peer->sendTextMessage(big);
    QVERIFY(received.wait());
    QCOMPARE(received.at(0).at(0).toString(), big);
}

void TestClientWebSocket::answersAPing()
{
    ClientWebSocket client;
    QWebSocket *peer = connectClient(client, m_server->serverUrl());
    QVERIFY(peer);
    QSignalSpy pong(peer, &QWebSocket::pong);
    peer->ping("are you there");
    QVERIFY(pong.wait());
    QCOMPARE(pong.at(0).at(1).toByteArray(), QByteArray("are you there"));
}

void TestClientWebSocket::reportsTheServersCloseCodeAndReason()
{
    ClientWebSocket client;
    QSignalSpy disconnected(&client, &ClientWebSocket::disconnected);
    QWebSocket *peer = connectClient(client, m_server->serverUrl());
    QVERIFY(peer);
    QSignalSpy peerGone(peer, &QWebSocket::disconnected);
    peer->close(QWebSocketProtocol::CloseCode(4001), u"see you"_s);
    QVERIFY(disconnected.wait());
    QCOMPARE(client.closeCode(), 4001);
    QCOMPARE(client.closeReason(), u"see you"_s);
    QCOMPARE(client.state(), QAbstractSocket::UnconnectedState);
    QVERIFY(peerGone.size() == 1 || peerGone.wait()); // our echo ended the server's close
    QCOMPARE(disconnected.size(), 1);
    QVERIFY(!client.sendTextMessage(u"too late"_s));
}

void TestClientWebSocket::closesAndWaitsForTheServersClose()
{
    ClientWebSocket client;
    QSignalSpy disconnected(&client, &ClientWebSocket::disconnected);
    QWebSocket *peer = connectClient(client, m_server->serverUrl());
    QVERIFY(peer);
    QSignalSpy peerGone(peer, &QWebSocket::disconnected);
    client.close(1000, u"done here"_s);
    QCOMPARE(client.state(), QAbstractSocket::ClosingState);
    QVERIFY(disconnected.wait());
    QCOMPARE(client.state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(client.closeCode(), 1000);
    QVERIFY(peerGone.size() == 1 || peerGone.wait());
    QCOMPARE(int(peer->closeCode()), 1000);
    QCOMPARE(peer->closeReason(), u"done here"_s);
}

void TestClientWebSocket::reportsARefusedConnection()
{
    const QUrl url = m_server->serverUrl();
    m_server->close(); // nothing listens there now
    ClientWebSocket client;
    QSignalSpy error(&client, &ClientWebSocket::error);
    QSignalSpy disconnected(&client, &ClientWebSocket::disconnected);
    client.open(url);
    QVERIFY(error.wait());
    QCOMPARE(error.at(0).at(0).value<QAbstractSocket::SocketError>(),
             QAbstractSocket::ConnectionRefusedError);
    QVERIFY(!client.errorString().isEmpty());
    QCOMPARE(disconnected.size(), 1);
    QCOMPARE(client.closeCode(), 1006);
    QCOMPARE(client.httpStatus(), 0);
}

void TestClientWebSocket::speaksOverTls()
{
    // A throwaway certificate for 127.0.0.1, trusted through the default configuration, as a
    // user would trust their server's CA.
    QTemporaryDir dir;
    QProcess openssl;
    openssl.start(u"openssl"_s,
                  {u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s,
                   u"ec_paramgen_curve:P-256"_s, u"-nodes"_s, u"-days"_s, u"1"_s, u"-subj"_s,
                   u"/CN=127.0.0.1"_s, u"-addext"_s, u"subjectAltName=IP:127.0.0.1"_s, u"-keyout"_s,
                   dir.filePath(u"key.pem"_s), u"-out"_s, dir.filePath(u"cert.pem"_s)});
    if (!openssl.waitForFinished(30000) || openssl.exitCode() != 0)
        QSKIP("openssl could not make a certificate");
    const QList<QSslCertificate> certs = QSslCertificate::fromPath(dir.filePath(u"cert.pem"_s));
    QCOMPARE(certs.size(), 1);
    QFile keyFile(dir.filePath(u"key.pem"_s));
    QVERIFY(keyFile.open(QIODevice::ReadOnly));
    const QSslKey key(&keyFile, QSsl::Ec);
    QVERIFY(!key.isNull());

    m_server = std::make_unique<QWebSocketServer>(u"test"_s, QWebSocketServer::SecureMode);
    QSslConfiguration serverTls = QSslConfiguration::defaultConfiguration();
    serverTls.setLocalCertificate(certs.at(0));
    serverTls.setPrivateKey(key);
    m_server->setSslConfiguration(serverTls);
    QVERIFY(m_server->listen(QHostAddress::LocalHost));
    const QSslConfiguration before = QSslConfiguration::defaultConfiguration();
    QSslConfiguration trusting = before;
    trusting.setCaCertificates(certs);
    QSslConfiguration::setDefaultConfiguration(trusting);
    const auto restore = qScopeGuard([&] { QSslConfiguration::setDefaultConfiguration(before); });

    const QUrl url(u"wss://127.0.0.1:%1/"_s.arg(m_server->serverPort()));
    ClientWebSocket client;
    QSignalSpy received(&client, &ClientWebSocket::textMessageReceived);
    QWebSocket *peer = connectClient(client, url);
    QVERIFY2(peer, qPrintable(client.errorString()));
    QSignalSpy atServer(peer, &QWebSocket::textMessageReceived);
    QVERIFY(client.sendTextMessage(u"over TLS"_s));
    QVERIFY(atServer.wait());
    QCOMPARE(atServer.at(0).at(0).toString(), u"over TLS"_s);
    peer->sendTextMessage(u"back over TLS"_s);
    QVERIFY(received.wait());
    QCOMPARE(received.at(0).at(0).toString(), u"back over TLS"_s);

    // Without the CA the same server is refused.
    QSslConfiguration::setDefaultConfiguration(before);
    ClientWebSocket untrusting;
    QSignalSpy error(&untrusting, &ClientWebSocket::error);
    untrusting.open(url);
    QVERIFY(error.wait());
    QCOMPARE(untrusting.state(), QAbstractSocket::UnconnectedState);
}

QTEST_GUILESS_MAIN(TestClientWebSocket)
#include "tst_clientwebsocket.moc"
