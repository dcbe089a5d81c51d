// SPDX-License-Identifier: Apache-2.0
// What goes into a user's Atom feed (PROTOCOL.md, Delivery policy): the inbox's notifications
// whose rule is immediate and lists the feed agent, newest first, at most 50, with ids that do
// not change, and other entries merged in through the seam digests will use.
#include "core/feedselection.h"
#include "core/preferences.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;

namespace {

const QDateTime Start(QDate(2026, 3, 1), QTime(12, 0), Qt::UTC);

Preferences preferences(const QByteArray &json)
{
    auto read = Preferences::fromJson(QJsonDocument::fromJson(json).object());
    if (!read)
        qFatal("bad preferences in the test: %s", qPrintable(read.error().message));
    return *read;
}

InboxEntry entry(NotificationId id, const QString &channel, const QString &code = {})
{
    InboxEntry e;
    e.notification.id = id;
    e.notification.application = u"ci"_s;
    e.notification.channel = channel;
    e.notification.code = code;
    e.notification.title = u"n%1"_s.arg(id);
    e.notification.message = u"message %1"_s.arg(id);
    e.notification.time = Start.addSecs(id);
    return e;
}

// A window as the store gives it: newest first.
QList<InboxEntry> window(int count, const QString &channel = u"prod"_s)
{
    QList<InboxEntry> entries;
    for (int id = count; id >= 1; --id)
        entries.append(entry(id, channel));
    return entries;
}

QStringList titles(const Feed &feed)
{
    QStringList result;
    for (const FeedEntry &e : feed.entries)
        result.append(e.title);
    return result;
}

} // namespace

class TestFeedSelection : public QObject
{
    Q_OBJECT

private slots:
    void admitsImmediateRulesThatListTheFeed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("admitted");
        QTest::newRow("defaults") << QByteArray("{}") << true;
        QTest::newRow("all agents by default")
            << QByteArray(R"({"default":{"delivery":"immediate"}})") << true;
        QTest::newRow("feed listed")
            << QByteArray(R"({"default":{"delivery":"immediate","agents":["email","feed"]}})")
            << true;
        QTest::newRow("feed not listed")
            << QByteArray(R"({"default":{"delivery":"immediate","agents":["desktop"]}})") << false;
        QTest::newRow("off") << QByteArray(R"({"default":{"delivery":"off"}})") << false;
        QTest::newRow("digest") << QByteArray(
                                       R"({"default":{"delivery":"digest","digest":"hourly"}})")
                                << false;
        QTest::newRow("a channel rule beats an application rule")
            << QByteArray(R"({"rules":[{"application":"ci","delivery":"off"},
                {"application":"ci","channel":"prod","delivery":"immediate"}]})")
            << true;
        QTest::newRow("a code rule beats a channel rule")
            << QByteArray(R"({"rules":[{"application":"ci","channel":"prod","code":"deploy",
                "delivery":"immediate","agents":["desktop"]},
                {"application":"ci","channel":"prod","delivery":"immediate"}]})")
            << false;
    }
    void admitsImmediateRulesThatListTheFeed()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, admitted);
        QCOMPARE(
            FeedSelection::admits(preferences(json), entry(1, u"prod"_s, u"deploy"_s).notification),
            admitted);
    }

    void keepsTheNewestFiftyNewestFirst()
    {
        const Feed feed = FeedSelection(u"east"_s).feed(u"alice"_s, window(80), Preferences());
        QCOMPARE(feed.entries.size(), FeedSelection::MaxEntries);
        QCOMPARE(feed.entries.first().title, u"n80"_s);
        QCOMPARE(feed.entries.last().title, u"n31"_s);
        QCOMPARE(feed.updated, Start.addSecs(80));
        QCOMPARE(feed.user, u"alice"_s);
        QCOMPARE(feed.title, u"Herald: alice"_s);
    }

    void leavesOutWhatTheFeedAgentDoesNotGet()
    {
        // Alice turned "noisy" off and sends "quiet" to her desktop only; 60 noisy ones do not
        // push the 3 prod ones out of the feed.
        QList<InboxEntry> entries;
        for (int id = 100; id > 40; --id)
            entries.append(entry(id, id % 2 ? u"noisy"_s : u"quiet"_s));
        for (int id = 3; id >= 1; --id)
            entries.append(entry(id, u"prod"_s));
        const Preferences mine = preferences(R"({"rules":[
            {"application":"ci","channel":"noisy","delivery":"off"},
            {"application":"ci","channel":"quiet","delivery":"immediate","agents":["desktop"]}]})");
        const Feed feed = FeedSelection(u"east"_s).feed(u"alice"_s, entries, mine);
        QCOMPARE(titles(feed), (QStringList{u"n3"_s, u"n2"_s, u"n1"_s}));
        QCOMPARE(feed.updated, Start.addSecs(3));
    }

    void anEmptyFeedHasAFixedTime()
    {
        const Feed feed = FeedSelection({}).feed(u"alice"_s, {}, Preferences());
        QVERIFY(feed.entries.isEmpty());
        QCOMPARE(feed.updated, FeedSelection::emptyFeedUpdated());
        QCOMPARE(feed.updated, QDateTime(QDate(2025, 1, 1), QTime(0, 0), Qt::UTC));
    }

    void idsAreStableUrnsUnderTheScope()
    {
        const FeedSelection east(u"east"_s);
        QCOMPARE(east.feedId(u"alice"_s), u"urn:herald:east:feed:alice"_s);
        QCOMPARE(east.entryId(248265232527360), u"urn:herald:east:notification:248265232527360"_s);
        QCOMPARE(FeedSelection({}).feedId(u"alice"_s), u"urn:herald:default:feed:alice"_s);
        // A cluster name is free text: whatever it holds, the id stays one URN.
        QCOMPARE(FeedSelection(u"eu west/2"_s).feedId(u"bob"_s),
                 u"urn:herald:eu%20west%2F2:feed:bob"_s);
        const Feed first = east.feed(u"alice"_s, window(3), Preferences());
        const Feed again = east.feed(u"alice"_s, window(4), Preferences());
        QCOMPARE(first.entries.at(0).id, again.entries.at(1).id);
        QCOMPARE(first.id, again.id);
    }

    void anEntryCarriesTheNotification()
    {
        Notification n = entry(7, u"prod"_s).notification;
        n.url = u"https://ci.example.org/builds/7"_s;
        const FeedEntry e = FeedSelection(u"east"_s).entryOf(n);
        QCOMPARE(e.title, u"n7"_s);
        QCOMPARE(e.content, u"message 7"_s);
        QCOMPARE(e.link, n.url);
        QCOMPARE(e.published, n.time);
        QCOMPARE(e.updated, n.time);
        QCOMPARE(e.categories, (QList<FeedCategory>{{u"urn:herald:application"_s, u"ci"_s},
                                                    {u"urn:herald:channel"_s, u"ci/prod"_s}}));
        QVERIFY(FeedSelection(u"east"_s).entryOf(entry(8, u"prod"_s).notification).link.isEmpty());
    }

    void anUntitledNotificationIsTitledByItsFirstLine_data()
    {
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("title");
        QTest::newRow("first line") << u"  Disk full \nat /var"_s << u"Disk full"_s;
        QTest::newRow("no message") << QString() << u"ci/prod"_s;
        QTest::newRow("long") << QString(200, u'x') << QString(119, u'x') + u'\u2026';
    }
    void anUntitledNotificationIsTitledByItsFirstLine()
    {
        QFETCH(QString, message);
        QFETCH(QString, title);
        Notification n = entry(1, u"prod"_s).notification;
        n.title = u" "_s;
        n.message = message;
        QCOMPARE(FeedSelection({}).entryOf(n).title, title);
    }

    void mergeInterleavesOtherEntriesAndKeepsFifty()
    {
        const Feed feed = FeedSelection({}).feed(u"alice"_s, window(50), Preferences());
        FeedEntry digest;
        digest.id = u"urn:herald:default:digest:1"_s;
        digest.title = u"Daily digest"_s;
        digest.updated = Start.addSecs(25).addMSecs(500);
        digest.published = digest.updated;
        FeedEntry newest = digest;
        newest.id = u"urn:herald:default:digest:2"_s;
        newest.title = u"Newest digest"_s;
        newest.updated = Start.addSecs(1000);
        const Feed merged = FeedSelection::merge(feed, {digest, newest});
        QCOMPARE(merged.entries.size(), FeedSelection::MaxEntries);
        QCOMPARE(merged.entries.first().title, u"Newest digest"_s);
        QCOMPARE(merged.updated, newest.updated);
        QCOMPARE(merged.entries.at(25).title, u"n26"_s);
        QCOMPARE(merged.entries.at(26).title, u"Daily digest"_s);
        QCOMPARE(merged.entries.last().title, u"n3"_s); // n2 and n1 made room
        QCOMPARE(FeedSelection::merge(feed, {}).entries, feed.entries);
    }
};

QTEST_GUILESS_MAIN(TestFeedSelection)
#include "tst_feedselection.moc"
