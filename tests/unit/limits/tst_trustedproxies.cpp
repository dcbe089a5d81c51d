// SPDX-License-Identifier: Apache-2.0
#include "limits/trustedproxies.h"

#include <QTest>

using namespace herald::syncd;

namespace {
QHostAddress address(const char *text)
{
    return QHostAddress(QString::fromLatin1(text));
}
TrustedProxies proxies(std::initializer_list<const char *> subnets)
{
    QList<TrustedProxies::Subnet> list;
    for (const char *subnet : subnets)
        list.append(QHostAddress::parseSubnet(QString::fromLatin1(subnet)));
    return TrustedProxies(list);
}
} // namespace

class TestTrustedProxies : public QObject
{
    Q_OBJECT

private slots:
    void containsItsSubnets()
    {
        const TrustedProxies trusted = proxies({"127.0.0.1/32", "10.0.0.0/8", "fd00::/8"});
        QVERIFY(trusted.contains(address("127.0.0.1")));
        QVERIFY(trusted.contains(address("::ffff:127.0.0.1"))); // as a dual-stack socket says
        QVERIFY(!trusted.contains(address("127.0.0.2")));
        QVERIFY(trusted.contains(address("10.200.3.4")));
        QVERIFY(trusted.contains(address("fd12::1")));
        QVERIFY(!trusted.contains(address("2001:db8::1")));
        QVERIFY(!TrustedProxies().contains(address("127.0.0.1")));
    }

    void clientOf_data()
    {
        QTest::addColumn<QByteArray>("peer");
        QTest::addColumn<QList<QByteArray>>("forwardedFor");
        QTest::addColumn<QByteArray>("client");
        using L = QList<QByteArray>;
        QTest::newRow("untrusted peer: header ignored")
            << QByteArray("192.0.2.9") << L{"203.0.113.1"} << QByteArray("192.0.2.9");
        QTest::newRow("trusted peer, no header")
            << QByteArray("127.0.0.1") << L{} << QByteArray("127.0.0.1");
        QTest::newRow("one hop") << QByteArray("127.0.0.1") << L{"203.0.113.1"}
                                 << QByteArray("203.0.113.1");
        QTest::newRow("client-supplied entries left of the first untrusted are ignored")
            << QByteArray("127.0.0.1") << L{"1.2.3.4, 203.0.113.1"} << QByteArray("203.0.113.1");
        QTest::newRow("chain of trusted proxies")
            << QByteArray("127.0.0.1") << L{"203.0.113.1, 10.0.0.5, 10.0.0.6"}
            << QByteArray("203.0.113.1");
        QTest::newRow("several headers, in order")
            << QByteArray("127.0.0.1") << L{"203.0.113.1", "10.0.0.5"} << QByteArray("203.0.113.1");
        QTest::newRow("all trusted: the leftmost")
            << QByteArray("127.0.0.1") << L{"10.0.0.1, 10.0.0.2"} << QByteArray("10.0.0.1");
        QTest::newRow("garbage ends the walk at the last hop read")
            << QByteArray("127.0.0.1") << L{"203.0.113.1, unknown, 10.0.0.5"}
            << QByteArray("10.0.0.5");
        QTest::newRow("garbage right away: the proxy")
            << QByteArray("127.0.0.1") << L{"not an address"} << QByteArray("127.0.0.1");
        QTest::newRow("ports and brackets")
            << QByteArray("127.0.0.1") << L{"[2001:db8::7]:443"} << QByteArray("2001:db8::7");
        QTest::newRow("IPv4 with a port")
            << QByteArray("127.0.0.1") << L{"198.51.100.4:5000"} << QByteArray("198.51.100.4");
        QTest::newRow("IPv6 hop") << QByteArray("127.0.0.1") << L{"2001:db8::7"}
                                  << QByteArray("2001:db8::7");
        QTest::newRow("mapped peer")
            << QByteArray("::ffff:127.0.0.1") << L{"203.0.113.1"} << QByteArray("203.0.113.1");
    }

    void clientOf()
    {
        QFETCH(QByteArray, peer);
        QFETCH(QList<QByteArray>, forwardedFor);
        QFETCH(QByteArray, client);
        const TrustedProxies trusted = proxies({"127.0.0.1/32", "10.0.0.0/8"});
        QCOMPARE(trusted.clientOf(address(peer.constData()), forwardedFor),
                 address(client.constData()));
    }
};

QTEST_GUILESS_MAIN(TestTrustedProxies)
#include "tst_trustedproxies.moc"
