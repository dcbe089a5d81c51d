// SPDX-License-Identifier: Apache-2.0
#include "http/requestparser.h"

#include <QTest>

using namespace herald::syncd;

class TestRequestParser : public QObject
{
    Q_OBJECT

private:
    static RequestParser *feedAll(RequestParser *parser, const QByteArray &bytes, int chunk = 0)
    {
        if (chunk <= 0) {
            parser->feed(bytes.constData(), bytes.size());
        } else {
            for (qsizetype i = 0; i < bytes.size(); i += chunk)
                parser->feed(bytes.constData() + i, std::min<qsizetype>(chunk, bytes.size() - i));
        }
        return parser;
    }

private slots:
    void parsesARequestWithBody_data()
    {
        QTest::addColumn<int>("chunk");
        QTest::newRow("whole") << 0;
        QTest::newRow("byte by byte") << 1;
        QTest::newRow("7 bytes") << 7;
    }

    void parsesARequestWithBody()
    {
        QFETCH(int, chunk);
        RequestParser parser(16 * 1024, 64 * 1024);
        feedAll(&parser,
                "POST /api/v1/notifications?x=1&token=a%20b HTTP/1.1\r\nHost: h\r\n"
                "Authorization: Bearer tok\r\nContent-Type: application/json\r\n"
                "Content-Length: 7\r\n\r\n{\"a\":1}",
                chunk);
        QCOMPARE(parser.failureStatus(), 0);
        QVERIFY(parser.hasRequest());
        const HttpRequest r = parser.takeRequest();
        QCOMPARE(r.method, QByteArray("POST"));
        QCOMPARE(r.path, QStringLiteral("/api/v1/notifications"));
        QCOMPARE(r.query.queryItemValue(QStringLiteral("x")), QStringLiteral("1"));
        QCOMPARE(r.body, QByteArray("{\"a\":1}"));
        QCOMPARE(r.header("content-type"), QByteArray("application/json"));
        QCOMPARE(r.bearerToken(), QStringLiteral("tok"));
        QVERIFY(r.keepAlive);
        QVERIFY(!r.upgrade);
    }

    void queuesPipelinedRequests()
    {
        RequestParser parser(16 * 1024, 64 * 1024);
        feedAll(&parser, "GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n"
                         "Connection: close\r\n\r\n");
        QVERIFY(parser.hasRequest());
        QCOMPARE(parser.takeRequest().path, QStringLiteral("/a"));
        QVERIFY(parser.hasRequest());
        const HttpRequest second = parser.takeRequest();
        QCOMPARE(second.path, QStringLiteral("/b"));
        QVERIFY(!second.keepAlive);
    }

    void tokenFromQueryWhenNoHeader()
    {
        RequestParser parser(16 * 1024, 64 * 1024);
        feedAll(&parser, "GET /api/v1/ws?token=abc%2Bdef HTTP/1.1\r\nHost: h\r\n\r\n");
        QCOMPARE(parser.takeRequest().bearerToken(), QStringLiteral("abc+def"));
    }

    void refusesLargeHeadWith431()
    {
        RequestParser parser(1024, 64 * 1024);
        feedAll(&parser, "GET / HTTP/1.1\r\nX-Big: " + QByteArray(2000, 'a') + "\r\n\r\n", 100);
        QCOMPARE(parser.failureStatus(), 431);
        QVERIFY(!parser.hasRequest());
    }

    // The head is counted as sent. Until the fix, only the target, the names and the values
    // counted, so 15,000 empty `X:` headers (60 KB on the wire, 15,000 bytes counted) passed
    // a 16 KiB limit (mutation: count `length` in onUrl/onHeaderField/onHeaderValue again).
    void countsSeparatorsAndLineEndsInTheHead_data()
    {
        QTest::addColumn<int>("chunk");
        QTest::newRow("whole") << 0;
        QTest::newRow("byte by byte") << 1;
        QTest::newRow("1000 bytes") << 1000;
    }

    void countsSeparatorsAndLineEndsInTheHead()
    {
        QFETCH(int, chunk);
        QByteArray head = "GET / HTTP/1.1\r\n";
        for (int i = 0; i < 15000; ++i)
            head += "X:\r\n";
        RequestParser parser(16 * 1024, 64 * 1024, 100000); // the line cap is not under test
        feedAll(&parser, head + "\r\n", chunk);
        QCOMPARE(parser.failureStatus(), 431);
        QVERIFY(!parser.hasRequest());
    }

    void countsWhitespaceAroundValues()
    {
        RequestParser parser(1024, 64 * 1024);
        feedAll(&parser, "GET / HTTP/1.1\r\nX:" + QByteArray(2000, ' ') + "a\r\n\r\n", 100);
        QCOMPARE(parser.failureStatus(), 431);
    }

    // A head of exactly the limit passes, one byte more fails, however it is cut up.
    void headLimitIsExact_data()
    {
        QTest::addColumn<int>("chunk");
        QTest::newRow("whole") << 0;
        QTest::newRow("byte by byte") << 1;
        QTest::newRow("7 bytes") << 7;
    }

    void headLimitIsExact()
    {
        QFETCH(int, chunk);
        const QByteArray head = "POST /api/v1/notifications?x=1 HTTP/1.1\r\nHost: h\r\n"
                                "X-Pad:    " +
                                QByteArray(300, 'p') +
                                "   \r\n"
                                "Content-Length: 2\r\n\r\n";
        // Blank lines before a request are not part of its head; the body is not either.
        const QByteArray request = "\r\n" + head + "{}";
        {
            RequestParser parser(int(head.size()), 64 * 1024);
            feedAll(&parser, request + request, chunk);
            QCOMPARE(parser.failureStatus(), 0);
            QVERIFY(parser.hasRequest());
            QCOMPARE(parser.takeRequest().body, QByteArray("{}"));
            QVERIFY(parser.hasRequest()); // the second head is counted on its own
            QCOMPARE(parser.takeRequest().header("x-pad").trimmed(), QByteArray(300, 'p'));
        }
        {
            RequestParser parser(int(head.size()) - 1, 64 * 1024);
            feedAll(&parser, request, chunk);
            QCOMPARE(parser.failureStatus(), 431);
            QVERIFY(!parser.hasRequest());
        }
    }

    // Until the fix any number of header lines passed (mutation: drop the line check in
    // onHeaderField).
    void capsHeaderLines_data()
    {
        QTest::addColumn<int>("lines");
        QTest::addColumn<int>("status");
        QTest::newRow("100") << 100 << 0;
        QTest::newRow("101") << 101 << 431;
    }

    void capsHeaderLines()
    {
        QFETCH(int, lines);
        QFETCH(int, status);
        QByteArray head = "GET / HTTP/1.1\r\n";
        for (int i = 0; i < lines; ++i)
            head += "X" + QByteArray::number(i) + ": v\r\n";
        RequestParser parser(16 * 1024, 64 * 1024);
        feedAll(&parser, head + "\r\n", 5);
        QCOMPARE(parser.failureStatus(), status);
        QCOMPARE(parser.hasRequest(), status == 0);
        if (status == 0)
            QCOMPARE(parser.takeRequest().headers.size(), lines);
    }

    void stopsReadingAnOverlongHeadEarly()
    {
        // No end of head in sight: refused once a value reaches past the limit, not after
        // http_parser's own 80 KB.
        RequestParser parser(1024, 64 * 1024);
        const QByteArray start = "GET / HTTP/1.1\r\nX: " + QByteArray(1100, 'a');
        feedAll(&parser, start);
        QCOMPARE(parser.failureStatus(), 431);
    }

    void refusesDeclaredLargeBodyWith413BeforeReadingIt()
    {
        RequestParser parser(16 * 1024, 100);
        feedAll(&parser, "POST / HTTP/1.1\r\nContent-Length: 104857600\r\n\r\n{");
        QCOMPARE(parser.failureStatus(), 413);
        QVERIFY(!parser.hasRequest()); // nothing may reach a handler
    }

    void refusesLargeChunkedBodyWith413()
    {
        RequestParser parser(16 * 1024, 100);
        QByteArray chunked = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
        for (int i = 0; i < 5; ++i)
            chunked += "20\r\n" + QByteArray(32, 'x') + "\r\n";
        feedAll(&parser, chunked + "0\r\n\r\n");
        QCOMPARE(parser.failureStatus(), 413);
    }

    void acceptsBodyExactlyAtTheLimit()
    {
        RequestParser parser(16 * 1024, 100);
        feedAll(&parser, "POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n" + QByteArray(100, 'x'));
        QCOMPARE(parser.failureStatus(), 0);
        QCOMPARE(parser.takeRequest().body.size(), 100);
    }

    void refusesGarbageWith400_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("not http") << QByteArray("HELLO THERE\r\n\r\n");
        QTest::newRow("bad version") << QByteArray("GET / HTTP/9\r\n\r\n");
        QTest::newRow("binary") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11);
        QTest::newRow("HTTP/0.9") << QByteArray("GET /healthz\r\n\r\n");
        QTest::newRow("bad header") << QByteArray("GET / HTTP/1.1\r\nNo colon here\r\n\r\n");
    }

    void refusesGarbageWith400()
    {
        QFETCH(QByteArray, bytes);
        RequestParser parser(16 * 1024, 64 * 1024);
        feedAll(&parser, bytes);
        QCOMPARE(parser.failureStatus(), 400);
    }

    void stopsAtAnUpgrade()
    {
        RequestParser parser(16 * 1024, 64 * 1024);
        feedAll(&parser, "GET /api/v1/ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n"
                         "Connection: Upgrade\r\nSec-WebSocket-Key: x\r\n"
                         "Sec-WebSocket-Version: 13\r\n\r\n\x81\x85garbage");
        QCOMPARE(parser.failureStatus(), 0);
        QVERIFY(parser.upgradeRequested());
        const HttpRequest r = parser.takeRequest();
        QVERIFY(r.upgrade);
        QCOMPARE(r.path, QStringLiteral("/api/v1/ws"));
    }

    // http_parser marks the upgrade at the end of the head but reads a body first: the
    // upgrade begins after the whole request, however the bytes arrive.
    void upgradesOnlyAfterTheBody_data()
    {
        QTest::addColumn<int>("chunk");
        for (int chunk : {0, 1, 3, 7, 50})
            QTest::addRow("%d", chunk) << chunk;
    }

    void upgradesOnlyAfterTheBody()
    {
        QFETCH(int, chunk);
        RequestParser parser(16 * 1024, 64 * 1024);
        feedAll(&parser,
                "POST /api/v1/acks HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n"
                "Connection: Upgrade\r\nTransfer-Encoding: chunked\r\n\r\n"
                "7\r\n{\"ids\":\r\n5\r\n[1,2]\r\n1\r\n}\r\n0\r\n\r\n",
                chunk);
        QCOMPARE(parser.failureStatus(), 0);
        QVERIFY(parser.upgradeRequested());
        QVERIFY(parser.hasRequest());
        QCOMPARE(parser.takeRequest().body, QByteArray("{\"ids\":[1,2]}"));
    }
};

QTEST_GUILESS_MAIN(TestRequestParser)
#include "tst_requestparser.moc"
