// SPDX-License-Identifier: Apache-2.0
// A ws:// client loads no TLS: no libcrypto, libssl or Qt TLS backend in its maps (QWebSocket
// loads them for ws:// too, some MB resident in the tray). Read in a child process, the probe,
// which links nothing but herald_shared; with --touch-tls, the control, they must be there.
#include "rawwebsocketserver.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTest>

using namespace herald::test;
using namespace Qt::StringLiterals;

class TestClientWebSocketTls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aWsClientMapsNoTls_data();
    void aWsClientMapsNoTls();
};

void TestClientWebSocketTls::aWsClientMapsNoTls_data()
{
    QTest::addColumn<bool>("touchTls");
    QTest::newRow("ws://") << false;
    QTest::newRow("control: TLS asked for") << true;
}

void TestClientWebSocketTls::aWsClientMapsNoTls()
{
    QFETCH(bool, touchTls);
    const QString probe = qEnvironmentVariable("HERALD_WS_PROBE");
    QVERIFY2(!probe.isEmpty(), "HERALD_WS_PROBE is not set (ctest sets it)");
    RawWebSocketServer server;
    QVERIFY(server.listen());
    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QStringList args{server.url().toString()};
    if (touchTls)
        args.append(u"--touch-tls"_s);
    child.start(probe, args);
    QVERIFY(server.waitForRequest());
    server.acceptUpgrade(RawWebSocketServer::frame(0x81, "hello"));
    QVERIFY(QTest::qWaitFor([&] { return child.state() == QProcess::NotRunning; }, 10000));
    const QString output = QString::fromUtf8(child.readAllStandardOutput());
    QCOMPARE(child.exitCode(), 0);
    QVERIFY2(output.contains(u"received: hello"_s), qPrintable(output));
    QVERIFY2(output.contains(u"libQt6Network"_s), qPrintable(output)); // the maps were read

    static const QRegularExpression tls(u"\\S*(libcrypto|libssl|libgnutls|tls/libq)\\S*"_s);
    QStringList found;
    for (auto it = tls.globalMatch(output); it.hasNext();)
        found.append(it.next().captured(0));
    found.removeDuplicates();
    if (touchTls)
        QVERIFY2(!found.isEmpty(), "the control loaded no TLS library: the check sees nothing");
    else
        QVERIFY2(found.isEmpty(), qPrintable(found.join(u", "_s)));
}

QTEST_GUILESS_MAIN(TestClientWebSocketTls)
#include "tst_clientwebsockettls.moc"
