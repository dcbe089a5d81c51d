// SPDX-License-Identifier: Apache-2.0
// The feed's rel="self" link as FeedApi makes it from the request: the Host header, https only
// when a trusted proxy says so, never the query (where the token is).
#include "api/feedapi.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace herald::syncd;

namespace {

HttpRequest request(const QByteArray &host, const QByteArray &proto, bool proxied)
{
    HttpRequest r;
    r.method = "GET";
    r.path = u"/api/v1/users/alice/feed.atom"_s;
    r.query.setQuery(u"token=hrd_secret"_s);
    if (!host.isNull())
        r.headers.append({"host", host});
    if (!proto.isEmpty())
        r.headers.append({"x-forwarded-proto", proto});
    r.peer = QHostAddress(u"127.0.0.1"_s);
    r.client = proxied ? QHostAddress(u"203.0.113.9"_s) : r.peer;
    return r;
}

} // namespace

class TestFeedApi : public QObject
{
    Q_OBJECT

private slots:
    void selfUrl_data()
    {
        QTest::addColumn<QByteArray>("host");
        QTest::addColumn<QByteArray>("proto");
        QTest::addColumn<bool>("proxied");
        QTest::addColumn<QString>("url");
        const QString path = u"/api/v1/users/alice/feed.atom"_s;
        QTest::newRow("direct") << QByteArray("127.0.0.1:8080") << QByteArray() << false
                                << u"http://127.0.0.1:8080"_s + path;
        QTest::newRow("through a trusted proxy")
            << QByteArray("herald.example.org") << QByteArray("https") << true
            << u"https://herald.example.org"_s + path;
        QTest::newRow("proto from an untrusted client")
            << QByteArray("herald.example.org") << QByteArray("https") << false
            << u"http://herald.example.org"_s + path;
        QTest::newRow("ipv6") << QByteArray("[::1]:8080") << QByteArray() << false
                              << u"http://[::1]:8080"_s + path;
        QTest::newRow("no host") << QByteArray() << QByteArray() << false << path;
        QTest::newRow("a host that is not one")
            << QByteArray("evil.example.org/x?") << QByteArray() << false << path;
    }
    void selfUrl()
    {
        QFETCH(QByteArray, host);
        QFETCH(QByteArray, proto);
        QFETCH(bool, proxied);
        QFETCH(QString, url);
        const QString self = FeedApi::selfUrl(request(host, proto, proxied), u"alice"_s);
        QCOMPARE(self, url);
        QVERIFY(!self.contains(u"token"_s));
    }
};

QTEST_GUILESS_MAIN(TestFeedApi)
#include "tst_feedapi.moc"
