// SPDX-License-Identifier: Apache-2.0
// Conditional GET of the Atom feed (RFC 9110, 13): strong ETags of the body, HTTP dates both
// ways, and when If-None-Match and If-Modified-Since make an answer 304.
#include "api/conditionalget.h"
#include "http/httpmessage.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace herald::syncd;

namespace {

using HeaderList = QList<std::pair<QByteArray, QByteArray>>;

const QDateTime Modified(QDate(2026, 11, 6), QTime(8, 49, 37, 250), Qt::UTC);

HttpRequest requestWith(const HeaderList &headers)
{
    HttpRequest request;
    request.method = "GET";
    request.headers = headers;
    return request;
}

} // namespace

class TestConditionalGet : public QObject
{
    Q_OBJECT

private slots:
    void etagsAreStrongAndFollowTheBody()
    {
        const QByteArray tag = ConditionalGet::strongEtagOf("<feed/>");
        QVERIFY(tag.startsWith('"') && tag.endsWith('"') && tag.size() > 10);
        QVERIFY(!tag.startsWith("W/"));
        QCOMPARE(ConditionalGet::strongEtagOf("<feed/>"), tag);
        QVERIFY(ConditionalGet::strongEtagOf("<feed />") != tag);
    }

    void writesAndReadsHttpDates()
    {
        QCOMPARE(ConditionalGet::httpDate(Modified), QByteArray("Fri, 06 Nov 2026 08:49:37 GMT"));
        const QDateTime whole = Modified.addMSecs(-250);
        QCOMPARE(ConditionalGet::parseHttpDate("Fri, 06 Nov 2026 08:49:37 GMT"), whole);
        QCOMPARE(ConditionalGet::parseHttpDate("Friday, 06-Nov-26 08:49:37 GMT"), whole);
        QCOMPARE(ConditionalGet::parseHttpDate("Fri Nov  6 08:49:37 2026"), whole);
        QCOMPARE(ConditionalGet::parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT")->date().year(),
                 1994);
        QVERIFY(!ConditionalGet::parseHttpDate("yesterday"));
        QVERIFY(!ConditionalGet::parseHttpDate(""));
    }

    void answers304_data()
    {
        QTest::addColumn<HeaderList>("headers");
        QTest::addColumn<bool>("notModified");
        const QByteArray tag = ConditionalGet::strongEtagOf("body");
        using H = HeaderList;
        QTest::newRow("no condition") << H{} << false;
        QTest::newRow("its tag") << H{{"if-none-match", tag}} << true;
        QTest::newRow("among others") << H{{"if-none-match", "\"a\", " + tag + ", \"b\""}} << true;
        QTest::newRow("in a second header")
            << H{{"if-none-match", "\"a\""}, {"if-none-match", tag}} << true;
        QTest::newRow("weakly") << H{{"if-none-match", "W/" + tag}} << true;
        QTest::newRow("any") << H{{"if-none-match", "*"}} << true;
        QTest::newRow("another tag") << H{{"if-none-match", "\"old\""}} << false;
        QTest::newRow("same second")
            << H{{"if-modified-since", "Fri, 06 Nov 2026 08:49:37 GMT"}} << true;
        QTest::newRow("later") << H{{"if-modified-since", "Sat, 07 Nov 2026 00:00:00 GMT"}} << true;
        QTest::newRow("earlier") << H{{"if-modified-since", "Fri, 06 Nov 2026 08:49:36 GMT"}}
                                 << false;
        QTest::newRow("not a date") << H{{"if-modified-since", "soon"}} << false;
        // If-None-Match decides alone when it is there (RFC 9110, 13.2.2).
        QTest::newRow("tag differs, date holds")
            << H{{"if-none-match", "\"old\""},
                 {"if-modified-since", "Sat, 07 Nov 2026 00:00:00 GMT"}}
            << false;
        QTest::newRow("tag holds, date too old")
            << H{{"if-none-match", tag}, {"if-modified-since", "Thu, 01 Jan 2026 00:00:00 GMT"}}
            << true;
    }
    void answers304()
    {
        QFETCH(HeaderList, headers);
        QFETCH(bool, notModified);
        const ConditionalGet validators{ConditionalGet::strongEtagOf("body"), Modified};
        QCOMPARE(validators.notModified(requestWith(headers)), notModified);
    }

    void a304HasNoBodyNorLength()
    {
        const HttpResponse response{304, {{"ETag", "\"x\""}}, {}, {}};
        const QByteArray wire = response.serialize(true);
        QVERIFY2(wire.startsWith("HTTP/1.1 304 Not Modified\r\n"), wire);
        QVERIFY2(!wire.contains("Content-Length"), wire);
        QVERIFY2(!wire.contains("Content-Type"), wire);
        QVERIFY2(wire.endsWith("ETag: \"x\"\r\n\r\n"), wire);
    }
};

QTEST_GUILESS_MAIN(TestConditionalGet)
#include "tst_conditionalget.moc"
