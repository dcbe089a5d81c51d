// SPDX-License-Identifier: Apache-2.0
#include "delivery/addresspolicy.h"

#include <QTest>

using namespace Qt::StringLiterals;
using herald::ErrorCode;
using herald::syncd::AddressPolicy;

class TestAddressPolicy : public QObject
{
    Q_OBJECT

private slots:
    void isPrivate_data()
    {
        QTest::addColumn<QString>("address");
        QTest::addColumn<bool>("isPrivate");
        const auto row = [](const char *address, bool isPrivate) {
            QTest::newRow(address) << QString::fromLatin1(address) << isPrivate;
        };
        // IPv4, each range at its edges.
        row("127.0.0.1", true);
        row("127.255.255.254", true);
        row("0.0.0.0", true);
        row("0.255.255.255", true);
        row("10.0.0.1", true);
        row("10.255.255.255", true);
        row("11.0.0.1", false);
        row("172.16.0.1", true);
        row("172.31.255.255", true);
        row("172.15.255.255", false);
        row("172.32.0.0", false);
        row("192.168.1.1", true);
        row("192.169.0.1", false);
        row("100.64.0.1", true);
        row("100.127.255.255", true);
        row("100.63.255.255", false);
        row("100.128.0.0", false);
        row("169.254.0.1", true);
        row("169.254.169.254", true); // cloud metadata
        row("192.0.0.8", true);
        row("192.0.1.1", false);
        row("198.18.0.1", true);
        row("198.19.255.255", true);
        row("198.20.0.1", false);
        row("224.0.0.1", true); // multicast
        row("239.255.255.250", true);
        row("240.0.0.1", true);       // reserved
        row("255.255.255.255", true); // broadcast
        row("8.8.8.8", false);
        row("1.1.1.1", false);
        row("93.184.216.34", false);
        row("203.0.113.7", false); // documentation: nothing answers, not private
        // IPv6.
        row("::1", true);
        row("::", true);
        row("fe80::1", true);
        row("febf::1", true);
        row("fec0::1", true); // site-local (deprecated)
        row("fc00::1", true);
        row("fd12:3456::1", true);
        row("ff02::1", true);
        row("2001:4860:4860::8888", false);
        row("2606:4700::1111", false);
        // IPv4 inside IPv6: judged as the IPv4 address.
        row("::ffff:127.0.0.1", true);
        row("::ffff:10.0.0.1", true);
        row("::ffff:169.254.169.254", true);
        row("::ffff:8.8.8.8", false);
        row("::127.0.0.1", true); // IPv4-compatible
        row("::10.0.0.1", true);
        row("::8.8.8.8", false);
        row("64:ff9b::127.0.0.1", true); // NAT64
        row("64:ff9b::192.168.0.1", true);
        row("64:ff9b::8.8.8.8", false);
        row("64:ff9b:1::8.8.8.8", true); // local-use NAT64
        row("2002:7f00:1::", true);      // 6to4 of 127.0.0.1
        row("2002:a00:1::", true);       // 6to4 of 10.0.0.1
        row("2002:808:808::", false);    // 6to4 of 8.8.8.8
    }

    void isPrivate()
    {
        QFETCH(QString, address);
        QFETCH(bool, isPrivate);
        const QHostAddress parsed(address);
        QVERIFY2(!parsed.isNull(), qPrintable(address));
        QCOMPARE(AddressPolicy::isPrivate(parsed), isPrivate);
    }

    void nullAddressIsPrivate() { QVERIFY(AddressPolicy::isPrivate(QHostAddress())); }

    void scopedLinkLocalIsPrivate()
    {
        QVERIFY(AddressPolicy::isPrivate(QHostAddress(u"fe80::1%lo"_s)));
    }

    void acceptsPublicUrls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::newRow("https name") << u"https://hooks.example.org/herald"_s;
        QTest::newRow("http with port and query") << u"http://example.org:8080/a?b=c"_s;
        QTest::newRow("public IPv4") << u"http://93.184.216.34/"_s;
        QTest::newRow("public IPv6") << u"https://[2606:4700::1111]/x"_s;
        QTest::newRow("uppercase scheme") << u"HTTPS://Example.ORG/"_s;
        // Names are checked on their addresses at connect time, not here.
        QTest::newRow("localhost") << u"http://localhost:9000/"_s;
        QTest::newRow("name with trailing dot") << u"http://example.org./"_s;
        QTest::newRow("name starting with digits") << u"http://123.example.com/"_s;
    }

    void acceptsPublicUrls()
    {
        QFETCH(QString, url);
        const auto checked = AddressPolicy::checkEndpointUrl(url, false);
        QVERIFY2(checked.has_value(), qPrintable(checked ? QString() : checked.error().message));
        QVERIFY(checked->isValid());
    }

    void refusesMalformedUrls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << QString() << u"url: must not be empty"_s;
        QTest::newRow("not a URL") << u"http://a b/"_s << u"url: not a valid URL"_s;
        QTest::newRow("ftp") << u"ftp://example.org/"_s << u"url: the scheme must be"_s;
        QTest::newRow("file") << u"file:///etc/passwd"_s << u"url: the scheme must be"_s;
        QTest::newRow("gopher") << u"gopher://example.org/"_s << u"url: the scheme must be"_s;
        QTest::newRow("no scheme") << u"example.org/hook"_s << u"url: the scheme must be"_s;
        QTest::newRow("no host") << u"http:///hook"_s << u"url: must name a host"_s;
        QTest::newRow("user") << u"https://user@example.org/"_s
                              << u"url: must not contain user-info"_s;
        QTest::newRow("user and password")
            << u"https://user:secret@example.org/"_s << u"url: must not contain user-info"_s;
        QTest::newRow("empty credentials")
            << u"https://:@example.org/"_s << u"url: must not contain user-info"_s;
        QTest::newRow("fragment") << u"https://example.org/#x"_s
                                  << u"url: must not have a fragment"_s;
        QTest::newRow("empty fragment")
            << u"https://example.org/#"_s << u"url: must not have a fragment"_s;
        QTest::newRow("octet over 255")
            << u"http://999.1.1.1/"_s << u"is not a valid IPv4 address"_s;
        QTest::newRow("five parts") << u"http://1.2.3.4.5/"_s << u"is not a valid IPv4 address"_s;
        QTest::newRow("hex label last")
            << u"http://example.0x10/"_s << u"is not a valid IPv4 address"_s;
    }

    void refusesMalformedUrls()
    {
        QFETCH(QString, url);
        QFETCH(QString, message);
        for (bool allowPrivate : {false, true}) {
            const auto checked = AddressPolicy::checkEndpointUrl(url, allowPrivate);
            QVERIFY(!checked.has_value());
            QCOMPARE(checked.error().code, ErrorCode::BadRequest);
            QVERIFY2(checked.error().message.contains(message),
                     qPrintable(checked.error().message));
        }
    }

    void refusesPrivateLiterals_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("host"); // as the message names it
        QTest::newRow("loopback") << u"http://127.0.0.1:8080/"_s << u"127.0.0.1"_s;
        QTest::newRow("RFC 1918") << u"https://10.1.2.3/"_s << u"10.1.2.3"_s;
        QTest::newRow("metadata") << u"http://169.254.169.254/latest"_s << u"169.254.169.254"_s;
        QTest::newRow("zero") << u"http://0.0.0.0/"_s << u"0.0.0.0"_s;
        QTest::newRow("IPv6 loopback") << u"http://[::1]:80/"_s << u"::1"_s;
        QTest::newRow("ULA") << u"http://[fd00::5]/"_s << u"fd00::5"_s;
        QTest::newRow("mapped") << u"http://[::ffff:127.0.0.1]/"_s << u"::ffff:127.0.0.1"_s;
        QTest::newRow("mapped RFC 1918") << u"http://[::ffff:10.0.0.1]/"_s << u"::ffff:10.0.0.1"_s;
        // The forms inet_aton and libcurl accept, which QUrl rewrites as a dotted quad.
        QTest::newRow("decimal") << u"http://2130706433/"_s << u"127.0.0.1"_s;
        QTest::newRow("hex") << u"http://0x7f.1/"_s << u"127.0.0.1"_s;
        QTest::newRow("octal") << u"http://017700000001/"_s << u"127.0.0.1"_s;
        QTest::newRow("octal octet") << u"http://0177.0.0.1/"_s << u"127.0.0.1"_s;
        QTest::newRow("short") << u"http://127.1/"_s << u"127.0.0.1"_s;
        QTest::newRow("zero short") << u"http://0/"_s << u"0.0.0.0"_s;
        QTest::newRow("hex whole") << u"http://0xa000001/"_s << u"10.0.0.1"_s;
        // A trailing dot stops QUrl's rewriting, not a resolver.
        QTest::newRow("trailing dot") << u"http://127.0.0.1./"_s << u"127.0.0.1."_s;
        QTest::newRow("hex trailing dot") << u"http://0x7f.1./"_s << u"0x7f.1."_s;
    }

    void refusesPrivateLiterals()
    {
        QFETCH(QString, url);
        QFETCH(QString, host);
        const auto checked = AddressPolicy::checkEndpointUrl(url, false);
        QVERIFY(!checked.has_value());
        QCOMPARE(checked.error().code, ErrorCode::BadRequest);
        QCOMPARE(checked.error().message, u"url: "_s + host +
                                              u" is a private or loopback address; set [endpoints] "
                                              u"allowPrivateNetworks=true to allow it"_s);
    }

    void allowsPrivateLiteralsWhenConfigured_data() { refusesPrivateLiterals_data(); }

    void allowsPrivateLiteralsWhenConfigured()
    {
        QFETCH(QString, url);
        const auto checked = AddressPolicy::checkEndpointUrl(url, true);
        QVERIFY2(checked.has_value(), qPrintable(checked ? QString() : checked.error().message));
    }

    void returnsTheNormalisedUrl()
    {
        const auto checked =
            AddressPolicy::checkEndpointUrl(u"HTTPS://Example.ORG:443/a%20b?x=1"_s, false);
        QVERIFY(checked.has_value());
        QCOMPARE(checked->scheme(), u"https"_s);
        QCOMPARE(checked->host(), u"example.org"_s);
        QCOMPARE(checked->path(), u"/a b"_s);
    }
};

QTEST_GUILESS_MAIN(TestAddressPolicy)
#include "tst_addresspolicy.moc"
