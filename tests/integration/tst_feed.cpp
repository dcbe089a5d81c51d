// SPDX-License-Identifier: Apache-2.0
// Each user's Atom feed against a real herald-syncd (PROTOCOL.md, Delivery policy): read with
// a feed token in the query string and checked by an independent parser (feedparser, through
// tests/fixtures/feedcheck.py): valid Atom 1.0, the newest 50 of the inbox, ids that do not
// change, links, the user's preferences applied, conditional GET, and a feed token that reads
// that one feed and nothing else.
#include "apihelpers.h"
#include "httpclient.h"
#include "syncdprocess.h"
#include "wsclient.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {
const QString App = u"ci"_s;
const QString AliceFeed = u"/api/v1/users/alice/feed.atom"_s;

// A feed as feedcheck.py saw it, with the HTTP answer it came in.
struct FetchedFeed
{
    HttpResponse response;
    QJsonObject parsed; // empty unless the answer was 200

    QJsonArray entries() const { return parsed["entries"_L1].toArray(); }
    QStringList ids() const
    {
        QStringList ids;
        for (const QJsonValue &entry : entries())
            ids.append(entry["id"_L1].toString());
        return ids;
    }
    QStringList titles() const
    {
        QStringList titles;
        for (const QJsonValue &entry : entries())
            titles.append(entry["title"_L1].toString());
        return titles;
    }
};
} // namespace

class TestFeed : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup() { m_syncd.dumpLogIfFailed(); }

    void feedTokensAreIssuedByAdmins();
    void servesValidAtomWithTheNewestFifty();
    void idsStayPutAcrossFetches();
    void preferencesDecideWhatTheFeedShows();
    void answersConditionalGetsWith304();
    void anEmptyFeedIsValidAtom();
    void feedTokenReadsItsOwnFeedOnly();
    void feedTokenOpensNothingElse();
    void revokedFeedTokenStopsAtOnce();

private:
    // GET `path` with `token` in the query string (none when empty) and `headers`; parses a
    // 200 with feedcheck.py.
    FetchedFeed fetch(const QString &path, const QString &token, const Headers &headers = {});
    qint64 publishTo(const QString &channel, const QString &message, const QJsonObject &extra = {})
    {
        return publish(m_admin, App, channel, message, extra);
    }

    SyncdProcess m_syncd;
    HttpClient m_admin;
    QString m_aliceFeedToken;
    qint64 m_aliceFeedTokenId = 0;
    QString m_bobFeedToken;
    QString m_bobUserToken;
    QList<qint64> m_published; // the first 55 on ci/prod, oldest first
};

void TestFeed::initTestCase()
{
    QVERIFY2(m_syncd.start(), qPrintable(m_syncd.errorString()));
    m_admin.setBaseUrl(m_syncd.httpUrl());
    m_admin.setToken(m_syncd.createToken(u"admin"_s));
    QVERIFY(createApplication(m_admin, App, {u"prod"_s, u"noisy"_s, u"quiet"_s, u"daily"_s}));
    for (const QString &user : {u"alice"_s, u"bob"_s, u"carol"_s})
        QVERIFY(createUser(m_admin, user));
    for (const QString &user : {u"alice"_s, u"bob"_s}) {
        const HttpResponse followed = m_admin.put(
            u"/api/v1/inbox/subscriptions?user=%1"_s.arg(user),
            QJsonObject{{"subscriptions"_L1, QJsonArray{QJsonObject{{"application"_L1, App}}}}});
        QVERIFY2(followed.status == 200, followed.describe());
    }
    m_bobFeedToken = m_syncd.createToken(u"feed"_s, {u"--user"_s, u"bob"_s});
    QVERIFY(!m_bobFeedToken.isEmpty());
    m_bobUserToken = m_syncd.createToken(u"user"_s, {u"--user"_s, u"bob"_s});
    // Every fifth links somewhere; one is addressed to bob alone.
    for (int i = 1; i <= 55; ++i) {
        QJsonObject extra;
        if (i % 5 == 0)
            extra.insert("url"_L1, u"https://ci.example.org/builds/%1?tab=log&page=2"_s.arg(i));
        const qint64 id = publishTo(u"prod"_s, u"build %1"_s.arg(i), extra);
        QVERIFY(id > 0);
        m_published.append(id);
    }
    QVERIFY(publish(m_admin, App, u"prod"_s, u"for bob only"_s,
                    QJsonObject{{"recipients"_L1, QJsonArray{u"bob"_s}}}) > 0);
}

FetchedFeed TestFeed::fetch(const QString &path, const QString &token, const Headers &headers)
{
    HttpClient client(m_syncd.httpUrl());
    FetchedFeed fetched;
    const QString target =
        token.isEmpty() ? path
                        : path + u"?token="_s + QString::fromLatin1(QUrl::toPercentEncoding(token));
    fetched.response = client.request("GET", target, {}, headers);
    if (fetched.response.status != 200)
        return fetched;
    QTemporaryFile body;
    if (!body.open() || body.write(fetched.response.body) != fetched.response.body.size())
        return fetched;
    body.close();
    QProcess check;
    check.start(u"/usr/bin/python3"_s,
                {qEnvironmentVariable("HERALD_SOURCE_DIR") + u"/tests/fixtures/feedcheck.py"_s,
                 body.fileName(), QString::fromLatin1(fetched.response.header("content-type")),
                 m_syncd.httpUrl(path).toString()});
    if (!check.waitForFinished(60000) || check.exitCode() != 0) {
        qWarning("feedcheck.py failed: %s", check.readAllStandardError().constData());
        return fetched;
    }
    fetched.parsed = QJsonDocument::fromJson(check.readAllStandardOutput()).object();
    return fetched;
}

void TestFeed::feedTokensAreIssuedByAdmins()
{
    const HttpResponse created = m_admin.post(
        u"/api/v1/tokens"_s,
        QJsonObject{{"kind"_L1, "feed"_L1}, {"user"_L1, "alice"_L1}, {"label"_L1, "reader"_L1}});
    QVERIFY2(created.status == 201, created.describe());
    QCOMPARE(created.object()["kind"_L1].toString(), u"feed"_s);
    QCOMPARE(created.object()["user"_L1].toString(), u"alice"_s);
    m_aliceFeedToken = created.object()["token"_L1].toString();
    m_aliceFeedTokenId = created.object()["id"_L1].toInteger();
    QVERIFY(m_aliceFeedToken.startsWith("hrd_"_L1));
    const HttpResponse unknown = m_admin.post(
        u"/api/v1/tokens"_s, QJsonObject{{"kind"_L1, "feed"_L1}, {"user"_L1, "nobody"_L1}});
    QCOMPARE(unknown.status, 404);
    // Users do not issue tokens, not even feed tokens for themselves.
    HttpClient bob(m_syncd.httpUrl());
    bob.setToken(m_bobUserToken);
    const HttpResponse own =
        bob.post(u"/api/v1/tokens"_s, QJsonObject{{"kind"_L1, "feed"_L1}, {"user"_L1, "bob"_L1}});
    QCOMPARE(own.status, 403);
    const CliResult listed =
        m_syncd.cli({u"token"_s, u"list"_s, u"--database"_s, m_syncd.databasePath()});
    QVERIFY2(listed.exitCode == 0, listed.err);
    QVERIFY2(listed.out.contains("\tfeed\tbob\t"), listed.out);
}

void TestFeed::servesValidAtomWithTheNewestFifty()
{
    QVERIFY(!m_aliceFeedToken.isEmpty());
    const FetchedFeed feed = fetch(AliceFeed, m_aliceFeedToken);
    QVERIFY2(feed.response.status == 200, feed.response.describe());
    QCOMPARE(feed.response.header("content-type"),
             QByteArray("application/atom+xml; charset=utf-8"));
    QVERIFY2(feed.parsed["bozo"_L1].toInt() == 0,
             qPrintable(feed.parsed["bozoException"_L1].toString()));
    QCOMPARE(feed.parsed["version"_L1].toString(), u"atom10"_s);
    QCOMPARE(feed.parsed["id"_L1].toString(), u"urn:herald:default:feed:alice"_s);
    QCOMPARE(feed.parsed["title"_L1].toString(), u"Herald: alice"_s);
    QCOMPARE(feed.parsed["selfLinks"_L1].toArray(),
             QJsonArray{m_syncd.httpUrl(AliceFeed).toString()});
    // The newest 50 of 55, newest first; bob's own notification is not alice's.
    QCOMPARE(feed.entries().size(), 50);
    QStringList expected;
    for (qsizetype i = m_published.size() - 1; i >= 5; --i)
        expected.append(u"urn:herald:default:notification:%1"_s.arg(m_published.at(i)));
    QCOMPARE(feed.ids(), expected);
    QCOMPARE(feed.titles().first(), u"Title of build 55"_s);
    QCOMPARE(feed.parsed["updated"_L1].toString(), feed.entries().first()["updated"_L1].toString());
    for (const QJsonValue &value : feed.entries()) {
        const QJsonObject entry = value.toObject();
        const int n = entry["title"_L1].toString().section(u' ', -1).toInt();
        QCOMPARE(entry["content"_L1].toArray(), QJsonArray{u"build %1"_s.arg(n)});
        QCOMPARE(entry["contentType"_L1].toArray(), QJsonArray{u"text/plain"_s});
        QCOMPARE(entry["categories"_L1].toArray(), (QJsonArray{App, u"ci/prod"_s}));
        QVERIFY(!entry["published"_L1].toString().isEmpty());
        if (n % 5 == 0)
            QCOMPARE(entry["link"_L1].toString(),
                     u"https://ci.example.org/builds/%1?tab=log&page=2"_s.arg(n));
        else
            QVERIFY2(entry["link"_L1].isNull(), qPrintable(entry["link"_L1].toString()));
    }
    // An admin token and the user's own, in the header, read it too.
    HttpClient admin(m_syncd.httpUrl());
    admin.setToken(m_admin.token());
    QCOMPARE(admin.get(AliceFeed).body, feed.response.body);
}

void TestFeed::idsStayPutAcrossFetches()
{
    const FetchedFeed before = fetch(AliceFeed, m_aliceFeedToken);
    const FetchedFeed again = fetch(AliceFeed, m_aliceFeedToken);
    QVERIFY2(before.entries().size() == 50, before.response.describe());
    QCOMPARE(again.ids(), before.ids());
    QCOMPARE(again.response.header("etag"), before.response.header("etag"));
    const qint64 newest = publishTo(u"prod"_s, u"one more"_s);
    QVERIFY(newest > 0);
    const FetchedFeed after = fetch(AliceFeed, m_aliceFeedToken);
    QCOMPARE(after.ids().first(), u"urn:herald:default:notification:%1"_s.arg(newest));
    QCOMPARE(after.ids().mid(1), before.ids().mid(0, 49));
}

void TestFeed::preferencesDecideWhatTheFeedShows()
{
    // noisy: off; quiet: at once but to the desktop only; daily: in a digest; prod: as it was.
    const QJsonObject rules{{"rules"_L1, QJsonArray{
                                             QJsonObject{{"application"_L1, App},
                                                         {"channel"_L1, "noisy"_L1},
                                                         {"delivery"_L1, "off"_L1}},
                                             QJsonObject{{"application"_L1, App},
                                                         {"channel"_L1, "quiet"_L1},
                                                         {"delivery"_L1, "immediate"_L1},
                                                         {"agents"_L1, QJsonArray{u"desktop"_s}}},
                                             QJsonObject{{"application"_L1, App},
                                                         {"channel"_L1, "daily"_L1},
                                                         {"delivery"_L1, "digest"_L1},
                                                         {"digest"_L1, "daily@08:00"_L1}},
                                         }}};
    const HttpResponse put = m_admin.put(u"/api/v1/preferences?user=alice"_s, rules);
    QVERIFY2(put.status == 200, put.describe());
    for (const QString &channel : {u"noisy"_s, u"quiet"_s, u"daily"_s})
        QVERIFY(publishTo(channel, u"on "_s + channel) > 0);
    QVERIFY(publishTo(u"prod"_s, u"still shown"_s) > 0);
    const FetchedFeed alice = fetch(AliceFeed, m_aliceFeedToken);
    QVERIFY2(alice.parsed["bozo"_L1].toInt() == 0, alice.response.describe());
    QCOMPARE(alice.titles().first(), u"Title of still shown"_s);
    for (const QString &title : alice.titles())
        QVERIFY2(!title.startsWith("Title of on "_L1), qPrintable(title));
    // Bob keeps the defaults: everything comes to his feed.
    const FetchedFeed bob = fetch(u"/api/v1/users/bob/feed.atom"_s, m_bobFeedToken);
    QCOMPARE(bob.titles().mid(0, 4), (QStringList{u"Title of still shown"_s, u"Title of on daily"_s,
                                                  u"Title of on quiet"_s, u"Title of on noisy"_s}));
    // With `feed` among the agents of quiet again, its notification comes back.
    QJsonObject quietToFeed = rules;
    QJsonArray list = rules["rules"_L1].toArray();
    QJsonObject quiet = list.at(1).toObject();
    quiet.insert("agents"_L1, QJsonArray{u"desktop"_s, u"feed"_s});
    list.replace(1, quiet);
    quietToFeed.insert("rules"_L1, list);
    QCOMPARE(m_admin.put(u"/api/v1/preferences?user=alice"_s, quietToFeed).status, 200);
    QCOMPARE(fetch(AliceFeed, m_aliceFeedToken).titles().mid(0, 2),
             (QStringList{u"Title of still shown"_s, u"Title of on quiet"_s}));
}

void TestFeed::answersConditionalGetsWith304()
{
    const FetchedFeed first = fetch(AliceFeed, m_aliceFeedToken);
    QCOMPARE(first.response.status, 200);
    const QByteArray etag = first.response.header("etag");
    const QByteArray lastModified = first.response.header("last-modified");
    QVERIFY2(etag.startsWith('"') && etag.endsWith('"'), etag); // strong
    QVERIFY2(lastModified.endsWith(" GMT"), lastModified);

    const FetchedFeed same = fetch(AliceFeed, m_aliceFeedToken, {{"If-None-Match", etag}});
    QCOMPARE(same.response.status, 304);
    QVERIFY(same.response.body.isEmpty());
    QCOMPARE(same.response.header("etag"), etag);
    const FetchedFeed since =
        fetch(AliceFeed, m_aliceFeedToken, {{"If-Modified-Since", lastModified}});
    QCOMPARE(since.response.status, 304);
    QCOMPARE(fetch(AliceFeed, m_aliceFeedToken, {{"If-None-Match", "\"stale\""}}).response.status,
             200);

    QVERIFY(publishTo(u"prod"_s, u"news"_s) > 0);
    const FetchedFeed changed = fetch(AliceFeed, m_aliceFeedToken, {{"If-None-Match", etag}});
    QVERIFY2(changed.response.status == 200, changed.response.describe());
    QVERIFY(changed.response.header("etag") != etag);
    QCOMPARE(changed.titles().first(), u"Title of news"_s);
}

void TestFeed::anEmptyFeedIsValidAtom()
{
    // carol follows nothing.
    const QString path = u"/api/v1/users/carol/feed.atom"_s;
    const FetchedFeed carol =
        fetch(path, m_syncd.createToken(u"feed"_s, {u"--user"_s, u"carol"_s}));
    QVERIFY2(carol.response.status == 200, carol.response.describe());
    QVERIFY2(carol.parsed["bozo"_L1].toInt() == 0,
             qPrintable(carol.parsed["bozoException"_L1].toString()));
    QCOMPARE(carol.entries().size(), 0);
    QCOMPARE(carol.parsed["id"_L1].toString(), u"urn:herald:default:feed:carol"_s);
}

void TestFeed::feedTokenReadsItsOwnFeedOnly()
{
    struct Case
    {
        QString path;
        QString queryToken;
        QByteArray headerToken;
        int status;
        const char *code;
    };
    const QString bobFeed = u"/api/v1/users/bob/feed.atom"_s;
    const QByteArray bobUser = m_bobUserToken.toUtf8();
    const QList<Case> cases{
        {bobFeed, m_aliceFeedToken, {}, 403, "forbidden"},
        {u"/api/v1/users/nobody/feed.atom"_s, m_aliceFeedToken, {}, 403, "forbidden"},
        {u"/api/v1/users/nobody/feed.atom"_s, {}, m_admin.token().toUtf8(), 404, "not_found"},
        {AliceFeed, {}, {}, 401, "unauthorized"},
        {AliceFeed, u"hrd_not-a-token-this-daemon-issued-at-all-000000"_s, {}, 401, "unauthorized"},
        {bobFeed, {}, bobUser, 200, nullptr},
        {AliceFeed, {}, bobUser, 403, "forbidden"},
        {bobFeed, {}, m_bobFeedToken.toUtf8(), 200, nullptr}, // in the header too
        // A user's token is not taken from the query string: it can do far more than read.
        {bobFeed, m_bobUserToken, {}, 400, "bad_request"},
    };
    for (const Case &c : cases) {
        Headers headers;
        if (!c.headerToken.isEmpty())
            headers.append({"Authorization", "Bearer " + c.headerToken});
        const HttpResponse response = fetch(c.path, c.queryToken, headers).response;
        const QByteArray what = c.path.toUtf8() + " -> " + response.describe();
        QVERIFY2(response.status == c.status, what);
        if (c.code)
            QVERIFY2(response.errorCode() == QLatin1StringView(c.code), what);
    }
}

void TestFeed::feedTokenOpensNothingElse()
{
    // tst_authmatrix refuses it on every route; here the ones nearest to a feed, and sockets.
    HttpClient feed(m_syncd.httpUrl());
    feed.setToken(m_aliceFeedToken);
    for (const QString &path :
         {u"/api/v1/inbox"_s, u"/api/v1/inbox/count"_s, u"/api/v1/notifications"_s,
          u"/api/v1/preferences"_s, u"/api/v1/applications"_s}) {
        const HttpResponse response = feed.get(path);
        QVERIFY2(response.status == 403, QByteArray(path.toUtf8() + " -> " + response.describe()));
        QCOMPARE(response.errorCode(), u"forbidden"_s);
    }
    QCOMPARE(feed.post(u"/api/v1/notifications"_s,
                       notificationBody(App, u"prod"_s, u"from a feed token"_s))
                 .status,
             403);
    WsClient upgraded;
    QVERIFY(!upgraded.open(m_syncd.wsUrl(u"token="_s + m_aliceFeedToken)));
    WsClient registered;
    QVERIFY2(registered.open(m_syncd.wsUrl()), registered.describe());
    QJsonObject frame = WsClient::registerFrame(u"alice"_s, App, {u"prod"_s});
    frame.insert("token"_L1, m_aliceFeedToken);
    registered.sendJson(frame);
    QVERIFY2(registered.waitForClosed(), registered.describe());
    QCOMPARE(registered.closeCode(), 1008);
    QVERIFY(registered.framesOfType(u"registered"_s).isEmpty());
}

void TestFeed::revokedFeedTokenStopsAtOnce()
{
    QVERIFY(m_aliceFeedTokenId > 0);
    QCOMPARE(m_admin.del(u"/api/v1/tokens/%1"_s.arg(m_aliceFeedTokenId)).status, 204);
    const HttpResponse refused = fetch(AliceFeed, m_aliceFeedToken).response;
    QVERIFY2(refused.status == 401, refused.describe());
}

QTEST_GUILESS_MAIN(TestFeed)
#include "tst_feed.moc"
