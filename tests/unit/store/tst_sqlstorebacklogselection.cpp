// SPDX-License-Identifier: Apache-2.0
// SqlStore: which notifications a backlog selects: newest first handed out oldest first, after
// an id, for the user's eyes only, unacknowledged, unexpired, of the subscriptions; how far
// back it looks, and that it looks further when the newest do not settle the answer.

#include "sqlstorefixture.h"

#include "model/idgenerator.h"

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::test;

namespace {
// first, first + 1, ..., end - 1
// An id of `node` made at `ms`, as IdGenerator lays it out.
NotificationId originId(int node, qint64 ms)
{
    return (ms << IdGenerator::NodeBits | node) << IdGenerator::SequenceBits;
}

QList<NotificationId> idRange(NotificationId first, NotificationId end)
{
    QList<NotificationId> ids;
    for (NotificationId id = first; id < end; ++id)
        ids.append(id);
    return ids;
}
} // namespace

class TestSqlStoreBacklogSelection : public QObject, private SqlStoreFixture
{
    Q_OBJECT

private slots:
    void initTestCase() { startBackend(); }
    void init() { openFreshStore(); }
    void cleanup() { closeStore(); }

    void backlogReturnsNewestOldestFirst();
    void backlogStartsAfterId();
    void backlogLeavesOutAcknowledged();
    void backlogShowsOnlyNotificationsForUser_data();
    void backlogShowsOnlyNotificationsForUser();
    void backlogLeavesOutExpired();
    void backlogMatchesOnlySubscriptions_data();
    void backlogMatchesOnlySubscriptions();
    void backlogLooksOnlyAtScanLimit();
    void backlogCoversManyChannels();
    void backlogLooksFurtherBackWhenTheNewestAreAcknowledged();
    void backlogLooksFurtherBackWhenTheChannelsTogetherFillTheFirstLook();
    void backlogTakesEachOriginFromItsOwnId_data();
    void backlogTakesEachOriginFromItsOwnId();

private:
    QList<NotificationId> backlogIds(const QString &user, int limit,
                                     std::optional<NotificationId> afterId = std::nullopt,
                                     QList<Subscription> subscriptions = {});
};

QList<NotificationId>
TestSqlStoreBacklogSelection::backlogIds(const QString &user, int limit,
                                         std::optional<NotificationId> afterId,
                                         QList<Subscription> subscriptions)
{
    BacklogQuery query;
    query.user = user;
    query.subscriptions =
        subscriptions.isEmpty() ? QList<Subscription>{{u"app"_s, {u"alerts"_s}}} : subscriptions;
    query.limit = limit;
    query.afterId = afterId;
    query.now = baseTime();
    auto found = m_store->backlog(query);
    if (!found) {
        qWarning() << "backlog failed:" << found.error().message;
        return {-1};
    }
    return idsOf(*found);
}

void TestSqlStoreBacklogSelection::backlogReturnsNewestOldestFirst()
{
    addCatalog();
    QList<Notification> batch;
    for (NotificationId id = 1; id <= 20; ++id)
        batch.append(notification(id, u"app"_s, id % 2 ? u"alerts"_s : u"news"_s));
    insert(batch);
    // alerts holds the odd ids 1..19
    QCOMPARE(backlogIds(u"alice"_s, 3), (QList<NotificationId>{15, 17, 19}));
    QCOMPARE(backlogIds(u"alice"_s, 100).size(), 10);
    QCOMPARE(backlogIds(u"alice"_s, 0), QList<NotificationId>());

    BacklogQuery query;
    query.user = u"alice"_s;
    query.subscriptions = {{u"app"_s, {u"alerts"_s}}};
    query.limit = 1;
    query.now = baseTime();
    auto found = m_store->backlog(query);
    STORE_VERIFY(found);
    QCOMPARE(found->size(), 1);
    QCOMPARE(found->first().application, u"app"_s);
    QCOMPARE(found->first().channel, u"alerts"_s);
    QVERIFY(found->first().applicationId > 0);
    QVERIFY(found->first().channelId > 0);
}

void TestSqlStoreBacklogSelection::backlogStartsAfterId()
{
    addCatalog();
    QList<Notification> batch;
    for (NotificationId id = 1; id <= 10; ++id)
        batch.append(notification(id, u"app"_s, u"alerts"_s));
    insert(batch);
    QCOMPARE(backlogIds(u"alice"_s, 100, 7), (QList<NotificationId>{8, 9, 10}));
    QCOMPARE(backlogIds(u"alice"_s, 2, 7), (QList<NotificationId>{9, 10}));
    QCOMPARE(backlogIds(u"alice"_s, 100, 10), QList<NotificationId>());
}

void TestSqlStoreBacklogSelection::backlogLeavesOutAcknowledged()
{
    addCatalog();
    QList<Notification> batch;
    for (NotificationId id = 1; id <= 6; ++id)
        batch.append(notification(id, u"app"_s, u"alerts"_s));
    insert(batch);
    STORE_VERIFY(m_store->acknowledge(u"alice"_s, {6, 4}, baseTime()));
    QCOMPARE(backlogIds(u"alice"_s, 3), (QList<NotificationId>{2, 3, 5}));
    // Acknowledged is per user.
    QCOMPARE(backlogIds(u"bob"_s, 3), (QList<NotificationId>{4, 5, 6}));
}

void TestSqlStoreBacklogSelection::backlogShowsOnlyNotificationsForUser_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QList<NotificationId>>("expected");
    // 1: everyone, 2: alice, 3: bob, 4: alice and bob, 5: carol
    QTest::newRow("alice") << u"alice"_s << QList<NotificationId>{1, 2, 4};
    QTest::newRow("bob") << u"bob"_s << QList<NotificationId>{1, 3, 4};
    QTest::newRow("carol") << u"carol"_s << QList<NotificationId>{1, 5};
    QTest::newRow("dave") << u"dave"_s << QList<NotificationId>{1};
    QTest::newRow("prefix of a name") << u"ali"_s << QList<NotificationId>{1};
}

void TestSqlStoreBacklogSelection::backlogShowsOnlyNotificationsForUser()
{
    QFETCH(QString, user);
    QFETCH(QList<NotificationId>, expected);
    addCatalog();
    insert({notification(1, u"app"_s, u"alerts"_s),
            notification(2, u"app"_s, u"alerts"_s, {u"alice"_s}),
            notification(3, u"app"_s, u"alerts"_s, {u"bob"_s}),
            notification(4, u"app"_s, u"alerts"_s, {u"alice"_s, u"bob"_s}),
            notification(5, u"app"_s, u"alerts"_s, {u"carol"_s, u"carol"_s})});
    QCOMPARE(backlogIds(user, 10), expected);
}

void TestSqlStoreBacklogSelection::backlogLeavesOutExpired()
{
    addCatalog();
    Notification expired = notification(1, u"app"_s, u"alerts"_s);
    expired.expiresAt = baseTime().addSecs(-1);
    Notification expiresNow = notification(2, u"app"_s, u"alerts"_s);
    expiresNow.expiresAt = baseTime();
    Notification later = notification(3, u"app"_s, u"alerts"_s);
    later.expiresAt = baseTime().addSecs(1);
    insert({expired, expiresNow, later, notification(4, u"app"_s, u"alerts"_s)});
    QCOMPARE(backlogIds(u"alice"_s, 10), (QList<NotificationId>{3, 4}));
}

void TestSqlStoreBacklogSelection::backlogMatchesOnlySubscriptions_data()
{
    QTest::addColumn<QList<Subscription>>("subscriptions");
    QTest::addColumn<QList<NotificationId>>("expected");
    // 1: app/alerts, 2: app/news, 3: other/alerts
    QTest::newRow("one channel") << QList<Subscription>{{u"app"_s, {u"news"_s}}}
                                 << QList<NotificationId>{2};
    QTest::newRow("two channels") << QList<Subscription>{{u"app"_s, {u"news"_s, u"alerts"_s}}}
                                  << QList<NotificationId>{1, 2};
    QTest::newRow("same name, other application")
        << QList<Subscription>{{u"other"_s, {u"alerts"_s}}} << QList<NotificationId>{3};
    QTest::newRow("two applications")
        << QList<Subscription>{{u"other"_s, {u"alerts"_s}}, {u"app"_s, {u"alerts"_s}}}
        << QList<NotificationId>{1, 3};
    QTest::newRow("no channels: all of the application")
        << QList<Subscription>{{u"app"_s, {}}} << QList<NotificationId>{1, 2};
    QTest::newRow("unknown channel")
        << QList<Subscription>{{u"app"_s, {u"ghost"_s}}} << QList<NotificationId>{};
    QTest::newRow("unknown application")
        << QList<Subscription>{{u"ghost"_s, {u"alerts"_s}}} << QList<NotificationId>{};
    QTest::newRow("duplicates") << QList<Subscription>{{u"app"_s, {u"news"_s, u"news"_s}},
                                                       {u"app"_s, {u"news"_s}}}
                                << QList<NotificationId>{2};
}

void TestSqlStoreBacklogSelection::backlogMatchesOnlySubscriptions()
{
    QFETCH(QList<Subscription>, subscriptions);
    QFETCH(QList<NotificationId>, expected);
    addCatalog();
    insert({notification(1, u"app"_s, u"alerts"_s), notification(2, u"app"_s, u"news"_s),
            notification(3, u"other"_s, u"alerts"_s)});
    BacklogQuery query;
    query.user = u"alice"_s;
    query.subscriptions = subscriptions;
    query.limit = 10;
    query.now = baseTime();
    auto found = m_store->backlog(query);
    STORE_VERIFY(found);
    QCOMPARE(idsOf(*found), expected);
}

void TestSqlStoreBacklogSelection::backlogLooksOnlyAtScanLimit()
{
    StoreOptions options;
    options.backlogScanLimit = 5;
    openStore(options);
    addCatalog();
    QList<Notification> batch;
    for (NotificationId id = 1; id <= 10; ++id)
        batch.append(notification(id, u"app"_s, u"alerts"_s));
    insert(batch);
    QCOMPARE(backlogIds(u"alice"_s, 3), (QList<NotificationId>{8, 9, 10}));
    // Within the newest five, two are left for alice; ids 1..5 lie beyond the scan.
    STORE_VERIFY(m_store->acknowledge(u"alice"_s, {7, 8, 10}, baseTime()));
    QCOMPARE(backlogIds(u"alice"_s, 10), (QList<NotificationId>{6, 9}));
    STORE_VERIFY(m_store->acknowledge(u"alice"_s, {6, 9}, baseTime()));
    QCOMPARE(backlogIds(u"alice"_s, 10), QList<NotificationId>());
    // afterId moves the window: the newest five after 2 are still 6..10.
    QCOMPARE(backlogIds(u"alice"_s, 10, 2), QList<NotificationId>());
    QCOMPARE(backlogIds(u"alice"_s, 10, 6), QList<NotificationId>());
}

void TestSqlStoreBacklogSelection::backlogLooksFurtherBackWhenTheNewestAreAcknowledged()
{
    // The backlog first looks at the newest few rows of the channels (20 here, twice the
    // limit; 400 for the last query). In "busy" the newest 300 are acknowledged: what alice has not
    // read there lies beyond that first look and is newer than everything in "quiet", so the answer
    // must come from further back.
    addCatalog();
    QList<Notification> batch;
    for (NotificationId id = 1; id <= 5; ++id)
        batch.append(notification(id, u"app"_s, u"quiet"_s)); // oldest
    QList<NotificationId> read;
    for (NotificationId id = 100; id < 500; ++id) {
        batch.append(notification(id, u"app"_s, u"busy"_s));
        if (id >= 200)
            read.append(id);
    }
    insert(batch);
    STORE_VERIFY(m_store->acknowledge(u"alice"_s, read, baseTime()));
    const QList<Subscription> both{{u"app"_s, {u"busy"_s, u"quiet"_s}}};
    QCOMPARE(backlogIds(u"alice"_s, 10, std::nullopt, both), idRange(190, 200));
    // Bob read nothing: the newest ten of busy, from the first look.
    QCOMPARE(backlogIds(u"bob"_s, 10, std::nullopt, both), idRange(490, 500));
    // Fewer unread than asked for, spread over both channels.
    QCOMPARE(backlogIds(u"alice"_s, 200, std::nullopt, both).size(), 105);
}

void TestSqlStoreBacklogSelection::backlogLooksFurtherBackWhenTheChannelsTogetherFillTheFirstLook()
{
    // Each channel has fewer rows than the first look (20 for a limit of 10; also fewer than
    // 64) but together they have more: the rows the look leaves out are not beyond any one
    // channel's newest, and must still be found. Alice read all of "busy" and the newest 30
    // of "quiet".
    addCatalog();
    QList<Notification> batch;
    QList<NotificationId> read;
    for (NotificationId id = 100; id < 140; ++id) {
        batch.append(notification(id, u"app"_s, u"quiet"_s));
        if (id >= 110)
            read.append(id);
    }
    for (NotificationId id = 200; id < 240; ++id) {
        batch.append(notification(id, u"app"_s, u"busy"_s));
        read.append(id);
    }
    insert(batch);
    STORE_VERIFY(m_store->acknowledge(u"alice"_s, read, baseTime()));
    const QList<Subscription> both{{u"app"_s, {u"busy"_s, u"quiet"_s}}};
    QCOMPARE(backlogIds(u"alice"_s, 10, std::nullopt, both), idRange(100, 110));
}

void TestSqlStoreBacklogSelection::backlogCoversManyChannels()
{
    // More channels than one compound query holds: exercises the chunked path.
    StoreOptions options;
    options.backlogScanLimit = 40;
    openStore(options);
    STORE_VERIFY(m_store->upsertApplication(application(u"app"_s)));
    QList<Notification> batch;
    QStringList names;
    for (int c = 0; c < 250; ++c) {
        const QString name = u"c%1"_s.arg(c);
        names.append(name);
        for (int k = 0; k < 2; ++k) {
            const NotificationId id = 1 + c + 250 * k; // interleaved across channels
            batch.append(notification(id, u"app"_s, name,
                                      id % 3 == 0 ? QStringList{u"bob"_s} : QStringList{}));
        }
    }
    insert(batch);
    STORE_VERIFY(m_store->acknowledge(u"alice"_s, {500, 499, 490}, baseTime()));

    // Expected by brute force: the newest 40 ids, minus bob's and the acknowledged, newest
    // 10 of the rest.
    QList<NotificationId> expected;
    for (NotificationId id = 500; id > 460; --id) {
        if (id % 3 != 0 && id != 500 && id != 499 && id != 490)
            expected.prepend(id);
    }
    expected = expected.mid(expected.size() - 10);
    QCOMPARE(backlogIds(u"alice"_s, 10, std::nullopt, {{u"app"_s, names}}), expected);
    QCOMPARE(backlogIds(u"alice"_s, 10, std::nullopt, {{u"app"_s, {}}}), expected);
    // afterId inside the window
    QCOMPARE(backlogIds(u"alice"_s, 100, 495, {{u"app"_s, {}}}), (QList<NotificationId>{496, 497}));
}

void TestSqlStoreBacklogSelection::backlogTakesEachOriginFromItsOwnId_data()
{
    QTest::addColumn<int>("channels");
    QTest::newRow("few channels") << 2;
    QTest::newRow("more than one query holds") << 150;
}

void TestSqlStoreBacklogSelection::backlogTakesEachOriginFromItsOwnId()
{
    // What a resume on a cluster node asks for after the client's last one arrived: node 1's
    // from its id 1000 on, node 2's (relayed late, older ids) from 500 on, none of node 3's.
    QFETCH(int, channels);
    STORE_VERIFY(m_store->upsertApplication(application(u"app"_s)));
    QStringList names;
    for (int c = 0; c < channels; ++c)
        names.append(u"c%1"_s.arg(c));
    QList<Notification> batch;
    QList<NotificationId> expected;
    for (qint64 ms = 490; ms < 1010; ++ms) {
        for (int node = 1; node <= 3; ++node) {
            const NotificationId id = originId(node, ms);
            batch.append(notification(id, u"app"_s, names.at(int(ms % channels))));
            if ((node == 1 && ms >= 1000) || (node == 2 && ms >= 500))
                expected.append(id);
        }
    }
    insert(batch);
    std::sort(expected.begin(), expected.end());

    BacklogQuery query;
    query.user = u"alice"_s;
    query.subscriptions = {{u"app"_s, names}};
    query.limit = 1000;
    query.now = baseTime();
    query.fromIdByOrigin = QMap<int, NotificationId>{{1, originId(1, 1000)}, {2, originId(2, 500)}};
    query.afterId = originId(2, 500) - 1;
    auto found = m_store->backlog(query);
    STORE_VERIFY(found);
    QCOMPARE(idsOf(*found), expected);
    auto counted = m_store->countBacklog(query, 100'000);
    STORE_VERIFY(counted);
    QCOMPARE(*counted, qint64(expected.size()));

    // Nothing arrived after it: nothing, without a look at the rows.
    query.fromIdByOrigin = QMap<int, NotificationId>{};
    found = m_store->backlog(query);
    STORE_VERIFY(found);
    QVERIFY(found->isEmpty());
    counted = m_store->countBacklog(query, 100'000);
    STORE_VERIFY(counted);
    QCOMPARE(*counted, 0);

    // Another node's answer: node 1's from 1000 on, node 2's from 500 on, and node 3's,
    // which that node never had, all of them.
    QList<NotificationId> withOthers = expected;
    for (const Notification &n : std::as_const(batch)) {
        if (IdGenerator::nodeOf(n.id) == 3)
            withOthers.append(n.id);
    }
    std::sort(withOthers.begin(), withOthers.end());
    query.fromIdByOrigin = QMap<int, NotificationId>{{1, originId(1, 1000)}, {2, originId(2, 500)}};
    query.otherOriginsFrom = 0;
    query.afterId = 0;
    query.limit = 2000;
    found = m_store->backlog(query);
    STORE_VERIFY(found);
    QCOMPARE(idsOf(*found), withOthers);
    counted = m_store->countBacklog(query, 100'000);
    STORE_VERIFY(counted);
    QCOMPARE(*counted, qint64(withOthers.size()));
    // Every origin named: the others' bound adds none.
    query.fromIdByOrigin->insert(3, originId(3, 1009));
    found = m_store->backlog(query);
    STORE_VERIFY(found);
    QCOMPARE(idsOf(*found).size(), expected.size() + 1);
    // None named: every origin from that id on.
    query.fromIdByOrigin = QMap<int, NotificationId>{};
    query.otherOriginsFrom = originId(1, 1009);
    found = m_store->backlog(query);
    STORE_VERIFY(found);
    QCOMPARE(idsOf(*found),
             (QList<NotificationId>{originId(1, 1009), originId(2, 1009), originId(3, 1009)}));
}

QTEST_GUILESS_MAIN(TestSqlStoreBacklogSelection)
#include "tst_sqlstorebacklogselection.moc"
