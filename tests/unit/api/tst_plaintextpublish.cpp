// SPDX-License-Identifier: Apache-2.0
// PlainTextPublish: the ntfy-style publish read from headers and a text body, its mappings
// (priority, tags, persistence) and the errors that name the header or the body.
#include "api/plaintextpublish.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;

namespace {
using Headers = QList<std::pair<QByteArray, QByteArray>>;

HttpRequest request(const QByteArray &body, const Headers &headers = {})
{
    HttpRequest r;
    r.method = "POST";
    r.path = u"/api/v1/publish/app/backups"_s;
    r.body = body;
    r.headers = headers; // names lowercase, as the parser keeps them
    return r;
}

Result<Notification> read(const QByteArray &body, const Headers &headers = {})
{
    return PlainTextPublish().read(u"app"_s, u"backups"_s, request(body, headers));
}

QString errorOf(const Result<Notification> &result)
{
    return result ? u"(no error)"_s : result.error().message;
}
} // namespace

class TestPlainTextPublish : public QObject
{
    Q_OBJECT

private slots:
    void bodyIsTheMessage()
    {
        const auto n =
            read("Backup done\n", {{"content-type", "application/x-www-form-urlencoded"}});
        QVERIFY2(n, qPrintable(errorOf(n)));
        QCOMPARE(n->application, u"app"_s);
        QCOMPARE(n->channel, u"backups"_s);
        QCOMPARE(n->message, u"Backup done"_s); // the line end curl and echo leave is dropped
        QCOMPARE(n->title, QString());
        QCOMPARE(n->persistent, true);
        QCOMPARE(n->priority, Priority::Normal);
        QVERIFY(n->tags.isEmpty());
    }

    void headersFillTheRest()
    {
        const auto n = read("Disk at 91%", {{"title", "Disk \xe2\x9a\xa0 almost full"},
                                            {"priority", "urgent"},
                                            {"tags", "host=db1, warning ,env = prod"},
                                            {"click", "https://grafana.example.org/d/disk"},
                                            {"code", "disk"},
                                            {"level", "critical"},
                                            {"persistent", "false"},
                                            {"recipients", "alice, bob"},
                                            {"content-type", "text/plain; charset=utf-8"}});
        QVERIFY2(n, qPrintable(errorOf(n)));
        QCOMPARE(n->title, u"Disk ⚠ almost full"_s);
        QCOMPARE(n->priority, Priority::Urgent);
        QCOMPARE(n->tags,
                 (QMap<QString, QString>{
                     {u"host"_s, u"db1"_s}, {u"warning"_s, u"true"_s}, {u"env"_s, u"prod"_s}}));
        QCOMPARE(n->url, u"https://grafana.example.org/d/disk"_s);
        QCOMPARE(n->code, u"disk"_s);
        QCOMPARE(n->level, u"critical"_s);
        QCOMPARE(n->persistent, false);
        QCOMPARE(n->recipients, (QStringList{u"alice"_s, u"bob"_s}));
    }

    void ntfyAliasesAreRead()
    {
        const auto n =
            read("m", {{"x-title", "T"}, {"p", "5"}, {"ta", "a"}, {"x-click", "https://x.org"}});
        QVERIFY2(n, qPrintable(errorOf(n)));
        QCOMPARE(n->title, u"T"_s);
        QCOMPARE(n->priority, Priority::Urgent);
        QCOMPARE(n->tags.value(u"a"_s), u"true"_s);
        QCOMPARE(n->url, u"https://x.org"_s);
    }

    void priorityMapsOntoFour_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("priority");
        const int low = int(Priority::Low), normal = int(Priority::Normal);
        const int high = int(Priority::High), urgent = int(Priority::Urgent);
        QTest::newRow("1") << u"1"_s << low;
        QTest::newRow("min") << u"min"_s << low;
        QTest::newRow("2") << u"2"_s << low;
        QTest::newRow("low") << u"LOW"_s << low;
        QTest::newRow("3") << u"3"_s << normal;
        QTest::newRow("default") << u"default"_s << normal;
        QTest::newRow("normal") << u"normal"_s << normal;
        QTest::newRow("4") << u"4"_s << high;
        QTest::newRow("high") << u"High"_s << high;
        QTest::newRow("5") << u"5"_s << urgent;
        QTest::newRow("max") << u"max"_s << urgent;
        QTest::newRow("urgent") << u"urgent"_s << urgent;
    }
    void priorityMapsOntoFour()
    {
        QFETCH(QString, text);
        QFETCH(int, priority);
        QCOMPARE(PlainTextPublish::priorityFrom(text), std::optional<Priority>(Priority(priority)));
    }

    void cacheNoIsTransient()
    {
        const auto n = read("m", {{"cache", "no"}});
        QVERIFY2(n, qPrintable(errorOf(n)));
        QCOMPARE(n->persistent, false);
        const auto both = read("m", {{"cache", "no"}, {"persistent", "yes"}});
        QVERIFY(both);
        QCOMPARE(both->persistent, true); // Persistent decides
    }

    void refusesNamingTheHeaderOrBody_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<Headers>("headers");
        QTest::addColumn<QString>("message");
        QTest::newRow("priority") << QByteArray("m") << Headers{{"priority", "6"}}
                                  << u"Priority: '6' is not one of 1-5, min, low, default, normal, "
                                     "high, max, urgent"_s;
        QTest::newRow("tag twice")
            << QByteArray("m") << Headers{{"tags", "a=1,a=2"}} << u"Tags: 'a' is given twice"_s;
        QTest::newRow("tag without key")
            << QByteArray("m") << Headers{{"tags", "=x"}} << u"Tags: '=x' has no key before '='"_s;
        QTest::newRow("persistent") << QByteArray("m") << Headers{{"persistent", "maybe"}}
                                    << u"Persistent: must be true or false"_s;
        QTest::newRow("cache") << QByteArray("m") << Headers{{"cache", "yes"}}
                               << u"Cache: only 'no' is taken (a transient notification)"_s;
        QTest::newRow("title not UTF-8")
            << QByteArray("m") << Headers{{"title", "caf\xe9"}} << u"Title: not valid UTF-8"_s;
        QTest::newRow("body not UTF-8")
            << QByteArray("caf\xe9") << Headers{} << u"body: not valid UTF-8"_s;
        QTest::newRow("body with U+0000")
            << QByteArray("a\0b", 3) << Headers{} << u"body: contains U+0000"_s;
        QTest::newRow("empty") << QByteArray(" \n") << Headers{}
                               << u"message: must not be empty when there is no title"_s;
        QTest::newRow("too long") << QByteArray(4097, 'x') << Headers{}
                                  << u"message: longer than 4096 bytes"_s;
        QTest::newRow("url") << QByteArray("m") << Headers{{"click", "javascript:alert(1)"}}
                             << u"url: must be an http, https or mailto URL"_s;
        QTest::newRow("recipient") << QByteArray("m") << Headers{{"recipients", "alice,b b"}}
                                   << u"recipients[1]: may only contain A-Z, a-z, 0-9, '.', '_' "
                                      "and '-'"_s;
        QTest::newRow("delay") << QByteArray("m") << Headers{{"x-delay", "30m"}}
                               << u"Delay: not supported by Herald; publish without it"_s;
        QTest::newRow("actions") << QByteArray("m") << Headers{{"actions", "view, Open, https://x"}}
                                 << u"Actions: not supported by Herald; publish without it"_s;
    }
    void refusesNamingTheHeaderOrBody()
    {
        QFETCH(QByteArray, body);
        QFETCH(Headers, headers);
        QFETCH(QString, message);
        const auto n = read(body, headers);
        QVERIFY(!n);
        QCOMPARE(n.error().code, ErrorCode::BadRequest);
        QCOMPARE(n.error().message, message);
    }

    void refusesBadChannelName()
    {
        const auto n = PlainTextPublish().read(u"app"_s, u"back ups"_s, request("m"));
        QVERIFY(!n);
        QVERIFY2(n.error().message.startsWith(u"channel: "_s), qPrintable(n.error().message));
    }

    void contentTypes_data()
    {
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<bool>("taken");
        QTest::newRow("none") << QByteArray() << true;
        QTest::newRow("text/plain") << QByteArray("text/plain") << true;
        QTest::newRow("utf-8") << QByteArray("text/plain; charset=UTF-8") << true;
        QTest::newRow("markdown") << QByteArray("text/markdown") << true;
        QTest::newRow("curl -d") << QByteArray("application/x-www-form-urlencoded") << true;
        QTest::newRow("json") << QByteArray("application/json") << false;
        QTest::newRow("binary") << QByteArray("application/octet-stream") << false;
        QTest::newRow("latin-1") << QByteArray("text/plain; charset=iso-8859-1") << false;
    }
    void contentTypes()
    {
        QFETCH(QByteArray, contentType);
        QFETCH(bool, taken);
        Headers headers;
        if (!contentType.isEmpty())
            headers.append({"content-type", contentType});
        const auto n = read("m", headers);
        QCOMPARE(bool(n), taken);
        if (!taken) {
            QCOMPARE(n.error().code, ErrorCode::UnsupportedMediaType);
            QVERIFY2(n.error().message.startsWith(u"Content-Type: "_s),
                     qPrintable(n.error().message));
        }
    }
};

QTEST_GUILESS_MAIN(TestPlainTextPublish)
#include "tst_plaintextpublish.moc"
