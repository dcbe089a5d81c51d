// SPDX-License-Identifier: Apache-2.0
// SqlStore: notifications: insert, list, acknowledge, delete and expiry (the backlog has
// tst_sqlstorebacklogselection).

#include "sqlstorefixture.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::test;

class TestSqlStoreNotifications : public QObject, private SqlStoreFixture
{
    Q_OBJECT

private slots:
    void initTestCase() { startBackend(); }
    void init() { openFreshStore(); }
    void cleanup() { closeStore(); }

    // insert
    void insertRoundTripsEveryField();
    void insertIsAllOrNothing_data();
    void insertIsAllOrNothing();
    void insertCreatesUnknownChannelWhenAllowed();
    void insertRefusesUnknownChannelWhenNotAllowed();
    void insertFillsIdsOfTransientWithoutStoring();
    void failedInsertInsideTransactionKeepsEarlierWork();

    // list
    void listPagesWithCursor();
    void listFlagsAcknowledged();
    void listFilters_data();
    void listFilters();

    // receipts
    void acknowledgeIsIdempotent();
    void acknowledgeIgnoresUnknownAndInvisible();
    void deletingNotificationRemovesReceipts();
    void purgeExpiredRemovesOnlyExpired();
    void purgeExpiredGoesInRoundsEarliestFirst();
};

// --- insert

void TestSqlStoreNotifications::insertRoundTripsEveryField()
{
    addCatalog();
    Notification n = notification(42, u"app"_s, u"alerts"_s, {u"alice"_s, u"bob"_s});
    n.priority = Priority::Urgent;
    n.level = u"err"_s;
    n.tags = {{u"env"_s, u"prod"_s}, {u"host"_s, u"db-1"_s}};
    n.url = u"https://example.org/runs/42"_s;
    n.actions = {NotificationAction{u"open"_s, u"Open"_s, u"https://example.org"_s},
                 NotificationAction{u"mute"_s, u"Mute"_s, {}}};
    n.message = u"Ünïcødé ✓ 'quotes' \"and\" ; semicolons"_s;
    n.expiresAt = baseTime().addDays(1);
    n.node = 7;
    QList<Notification> batch{n};
    STORE_VERIFY(m_store->insertNotifications(batch));

    auto channel = m_store->findChannel(u"app"_s, u"alerts"_s);
    auto app = m_store->findApplication(u"app"_s);
    STORE_VERIFY(channel);
    STORE_VERIFY(app);
    n.applicationId = (*app)->rowId;
    n.channelId = (*channel)->rowId;
    QCOMPARE(batch.first(), n);

    auto found = m_store->findNotification(42);
    STORE_VERIFY(found);
    QVERIFY(found->has_value());
    QCOMPARE(**found, n);
}

void TestSqlStoreNotifications::insertIsAllOrNothing_data()
{
    QTest::addColumn<QList<Notification>>("batch");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("message");

    const Notification first = notification(10, u"app"_s, u"fresh"_s); // would create "fresh"
    Notification noTime = notification(12, u"app"_s, u"alerts"_s);
    noTime.time = QDateTime();
    QTest::newRow("unknown application")
        << QList<Notification>{first, notification(11, u"ghost"_s, u"alerts"_s)}
        << ErrorCode::NotFound << u"[1].application"_s;
    QTest::newRow("id stored before")
        << QList<Notification>{first, notification(1, u"app"_s, u"alerts"_s)} << ErrorCode::Conflict
        << u"[1].id"_s;
    QTest::newRow("id twice in batch")
        << QList<Notification>{first, notification(11, u"app"_s, u"news"_s),
                               notification(11, u"app"_s, u"alerts"_s)}
        << ErrorCode::Conflict << u"[2].id"_s;
    QTest::newRow("id zero") << QList<Notification>{first, notification(0, u"app"_s, u"news"_s)}
                             << ErrorCode::BadRequest << u"[1].id"_s;
    QTest::newRow("id beyond 2^53")
        << QList<Notification>{first, notification(qint64(1) << 53, u"app"_s, u"news"_s)}
        << ErrorCode::BadRequest << u"[1].id"_s;
    QTest::newRow("no time") << QList<Notification>{first, noTime} << ErrorCode::BadRequest
                             << u"[1].time"_s;
}

void TestSqlStoreNotifications::insertIsAllOrNothing()
{
    QFETCH(QList<Notification>, batch);
    QFETCH(ErrorCode, code);
    QFETCH(QString, message);
    addCatalog();
    insert({notification(1, u"app"_s, u"alerts"_s)});

    auto stored = m_store->insertNotifications(batch);
    QVERIFY(!stored);
    QCOMPARE(stored.error().code, code);
    QVERIFY2(stored.error().message.startsWith(message), qPrintable(stored.error().message));

    auto count = m_store->countNotifications();
    STORE_VERIFY(count);
    QCOMPARE(*count, 1);
    // The channel the first item created is gone with it.
    auto fresh = m_store->findChannel(u"app"_s, u"fresh"_s);
    STORE_VERIFY(fresh);
    QVERIFY(!fresh->has_value());
    // ... and no transaction is left open.
    STORE_VERIFY(m_store->begin());
    m_store->rollback();
}

void TestSqlStoreNotifications::insertCreatesUnknownChannelWhenAllowed()
{
    addCatalog();
    QList<Notification> batch{notification(1, u"app"_s, u"fresh"_s),
                              notification(2, u"app"_s, u"fresh"_s)};
    STORE_VERIFY(m_store->insertNotifications(batch));
    auto fresh = m_store->findChannel(u"app"_s, u"fresh"_s);
    STORE_VERIFY(fresh);
    QVERIFY(fresh->has_value());
    QCOMPARE(batch.at(0).channelId, (*fresh)->rowId);
    QCOMPARE(batch.at(1).channelId, (*fresh)->rowId);
    auto channels = m_store->channels(u"app"_s);
    STORE_VERIFY(channels);
    QCOMPARE(channels->size(), 3);
}

void TestSqlStoreNotifications::insertRefusesUnknownChannelWhenNotAllowed()
{
    StoreOptions options;
    options.autoCreateChannels = false;
    openStore(options);
    addCatalog();
    QList<Notification> batch{notification(1, u"app"_s, u"alerts"_s),
                              notification(2, u"app"_s, u"fresh"_s)};
    auto stored = m_store->insertNotifications(batch);
    QVERIFY(!stored);
    QCOMPARE(stored.error().code, ErrorCode::NotFound);
    QVERIFY2(stored.error().message.startsWith(u"[1].channel"_s),
             qPrintable(stored.error().message));
    auto count = m_store->countNotifications();
    STORE_VERIFY(count);
    QCOMPARE(*count, 0);
}

void TestSqlStoreNotifications::insertFillsIdsOfTransientWithoutStoring()
{
    addCatalog();
    Notification transient = notification(5, u"app"_s, u"news"_s);
    transient.persistent = false;
    QList<Notification> batch{transient};
    STORE_VERIFY(m_store->insertNotifications(batch));
    auto channel = m_store->findChannel(u"app"_s, u"news"_s);
    STORE_VERIFY(channel);
    QCOMPARE(batch.first().channelId, (*channel)->rowId);
    QVERIFY(batch.first().applicationId > 0);
    auto found = m_store->findNotification(5);
    STORE_VERIFY(found);
    QVERIFY(!found->has_value());
}

void TestSqlStoreNotifications::failedInsertInsideTransactionKeepsEarlierWork()
{
    addCatalog();
    STORE_VERIFY(m_store->begin());
    insert({notification(1, u"app"_s, u"alerts"_s)});
    QList<Notification> bad{notification(2, u"app"_s, u"alerts"_s),
                            notification(3, u"ghost"_s, u"alerts"_s)};
    QVERIFY(!m_store->insertNotifications(bad));
    STORE_VERIFY(m_store->commit());

    openStore(); // what was committed, from disk
    auto count = m_store->countNotifications();
    STORE_VERIFY(count);
    QCOMPARE(*count, 1);
    auto first = m_store->findNotification(1);
    STORE_VERIFY(first);
    QVERIFY(first->has_value());
}

// --- list

void TestSqlStoreNotifications::listPagesWithCursor()
{
    addCatalog();
    QList<Notification> batch;
    for (NotificationId id = 1; id <= 7; ++id)
        batch.append(notification(id, u"app"_s, u"alerts"_s));
    insert(batch);

    ListQuery query;
    query.user = u"alice"_s;
    query.limit = 3;
    query.now = baseTime();
    QList<QList<NotificationId>> pages;
    for (int guard = 0; guard < 10; ++guard) {
        auto page = m_store->list(query);
        STORE_VERIFY(page);
        QList<NotificationId> ids;
        for (const ListedNotification &item : page->items) {
            ids.append(item.notification.id);
            QVERIFY(item.notification.channelId > 0);
            QVERIFY(item.notification.applicationId > 0);
        }
        pages.append(ids);
        if (!page->next)
            break;
        QCOMPARE(*page->next, ids.last());
        query.beforeId = page->next;
    }
    QCOMPARE(pages, (QList<QList<NotificationId>>{{7, 6, 5}, {4, 3, 2}, {1}}));

    // A page that ends exactly at the last item has no next.
    query.beforeId = 4;
    auto exact = m_store->list(query);
    STORE_VERIFY(exact);
    QCOMPARE(exact->items.size(), 3);
    QVERIFY(!exact->next);
}

void TestSqlStoreNotifications::listFlagsAcknowledged()
{
    addCatalog();
    insert({notification(1, u"app"_s, u"alerts"_s), notification(2, u"app"_s, u"alerts"_s),
            notification(3, u"app"_s, u"alerts"_s)});
    STORE_VERIFY(m_store->acknowledge(u"alice"_s, {2}, baseTime()));
    ListQuery query;
    query.user = u"alice"_s;
    query.now = baseTime();
    auto page = m_store->list(query);
    STORE_VERIFY(page);
    QCOMPARE(page->items.size(), 3);
    QCOMPARE(page->items.at(0).acknowledged, false);
    QCOMPARE(page->items.at(1).acknowledged, true);
    QCOMPARE(page->items.at(2).acknowledged, false);

    query.unacknowledgedOnly = true;
    page = m_store->list(query);
    STORE_VERIFY(page);
    QCOMPARE(page->items.size(), 2);
    QCOMPARE(page->items.at(0).notification.id, 3);
    QCOMPARE(page->items.at(1).notification.id, 1);

    query.user = u"bob"_s;
    page = m_store->list(query);
    STORE_VERIFY(page);
    QCOMPARE(page->items.size(), 3);
}

void TestSqlStoreNotifications::listFilters_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("application");
    QTest::addColumn<QString>("channel");
    QTest::addColumn<QList<NotificationId>>("expected");
    // 1 app/alerts, 2 app/news, 3 other/alerts, 4 app/alerts for bob, 5 app/alerts expired
    QTest::newRow("all for alice")
        << u"alice"_s << QString() << QString() << QList<NotificationId>{3, 2, 1};
    QTest::newRow("all for bob") << u"bob"_s << QString() << QString()
                                 << QList<NotificationId>{4, 3, 2, 1};
    QTest::newRow("admin view") << QString() << QString() << QString()
                                << QList<NotificationId>{4, 3, 2, 1};
    QTest::newRow("application") << u"alice"_s << u"app"_s << QString()
                                 << QList<NotificationId>{2, 1};
    QTest::newRow("channel") << u"bob"_s << u"app"_s << u"alerts"_s << QList<NotificationId>{4, 1};
    QTest::newRow("channel of other application")
        << u"bob"_s << u"other"_s << u"alerts"_s << QList<NotificationId>{3};
    QTest::newRow("unknown application")
        << u"bob"_s << u"ghost"_s << QString() << QList<NotificationId>{};
}

void TestSqlStoreNotifications::listFilters()
{
    QFETCH(QString, user);
    QFETCH(QString, application);
    QFETCH(QString, channel);
    QFETCH(QList<NotificationId>, expected);
    addCatalog();
    Notification expired = notification(5, u"app"_s, u"alerts"_s);
    expired.expiresAt = baseTime().addSecs(-60);
    insert({notification(1, u"app"_s, u"alerts"_s), notification(2, u"app"_s, u"news"_s),
            notification(3, u"other"_s, u"alerts"_s),
            notification(4, u"app"_s, u"alerts"_s, {u"bob"_s}), expired});
    ListQuery query;
    query.user = user;
    query.application = application;
    query.channel = channel;
    query.now = baseTime();
    auto page = m_store->list(query);
    STORE_VERIFY(page);
    QList<NotificationId> ids;
    for (const ListedNotification &item : page->items)
        ids.append(item.notification.id);
    QCOMPARE(ids, expected);
    QVERIFY(!page->next);
}

// --- receipts

void TestSqlStoreNotifications::acknowledgeIsIdempotent()
{
    addCatalog();
    insert({notification(1, u"app"_s, u"alerts"_s), notification(2, u"app"_s, u"alerts"_s)});
    auto first = m_store->acknowledge(u"alice"_s, {2, 1, 2}, baseTime());
    STORE_VERIFY(first);
    QCOMPARE(*first, (QList<NotificationId>{2, 1}));
    auto second = m_store->acknowledge(u"alice"_s, {1, 2}, baseTime().addSecs(30));
    STORE_VERIFY(second);
    QCOMPARE(*second, (QList<NotificationId>{1, 2}));

    auto receipts = m_store->receipts(u"alice"_s);
    STORE_VERIFY(receipts);
    QCOMPARE(*receipts, (QList<Receipt>{{u"alice"_s, 1, baseTime()}, {u"alice"_s, 2, baseTime()}}));
}

void TestSqlStoreNotifications::acknowledgeIgnoresUnknownAndInvisible()
{
    addCatalog();
    insert({notification(1, u"app"_s, u"alerts"_s),
            notification(2, u"app"_s, u"alerts"_s, {u"bob"_s}),
            notification(3, u"app"_s, u"alerts"_s, {u"alice"_s})});
    auto acked = m_store->acknowledge(u"alice"_s, {99, 3, 2, 1}, baseTime());
    STORE_VERIFY(acked);
    QCOMPARE(*acked, (QList<NotificationId>{3, 1}));
    auto receipts = m_store->receipts(u"alice"_s);
    STORE_VERIFY(receipts);
    QCOMPARE(receipts->size(), 2);
    auto bobs = m_store->receipts(u"bob"_s);
    STORE_VERIFY(bobs);
    QVERIFY(bobs->isEmpty());
}

void TestSqlStoreNotifications::deletingNotificationRemovesReceipts()
{
    addCatalog();
    insert({notification(1, u"app"_s, u"alerts"_s, {u"alice"_s, u"bob"_s}),
            notification(2, u"app"_s, u"alerts"_s)});
    STORE_VERIFY(m_store->acknowledge(u"alice"_s, {1, 2}, baseTime()));
    STORE_VERIFY(m_store->acknowledge(u"bob"_s, {1}, baseTime()));

    auto deleted = m_store->deleteNotification(1);
    STORE_VERIFY(deleted);
    QVERIFY(*deleted);
    auto again = m_store->deleteNotification(1);
    STORE_VERIFY(again);
    QVERIFY(!*again);

    auto alice = m_store->receipts(u"alice"_s);
    STORE_VERIFY(alice);
    QCOMPARE(alice->size(), 1);
    QCOMPARE(alice->first().notificationId, 2);
    auto bob = m_store->receipts(u"bob"_s);
    STORE_VERIFY(bob);
    QVERIFY(bob->isEmpty());
    QSqlQuery recipients(m_store->database());
    QVERIFY(recipients.exec(u"SELECT COUNT(*) FROM notification_recipients"_s));
    QVERIFY(recipients.next());
    QCOMPARE(recipients.value(0).toInt(), 0);
}

void TestSqlStoreNotifications::purgeExpiredRemovesOnlyExpired()
{
    addCatalog();
    Notification old = notification(1, u"app"_s, u"alerts"_s);
    old.expiresAt = baseTime().addSecs(-10);
    Notification exact = notification(2, u"app"_s, u"alerts"_s);
    exact.expiresAt = baseTime();
    Notification future = notification(3, u"app"_s, u"alerts"_s);
    future.expiresAt = baseTime().addSecs(10);
    insert({old, exact, future, notification(4, u"app"_s, u"alerts"_s)});
    auto purged = m_store->purgeExpired(baseTime());
    STORE_VERIFY(purged);
    QCOMPARE(purged->removed.size(), 2);
    QCOMPARE(purged->removed[0].id, 1);
    QCOMPARE(purged->removed[1].id, 2);
    // Where each was, so that the sessions that could see it are told.
    QCOMPARE(purged->removed[0].application, u"app"_s);
    QCOMPARE(purged->removed[0].channel, u"alerts"_s);
    QVERIFY(!purged->more);
    QCOMPARE(purged->nextExpiryMs, future.expiresAt->toMSecsSinceEpoch());
    auto count = m_store->countNotifications();
    STORE_VERIFY(count);
    QCOMPARE(*count, 2);
    auto none = m_store->purgeExpired(baseTime());
    STORE_VERIFY(none);
    QVERIFY(none->removed.isEmpty());
    QCOMPARE(none->nextExpiryMs, future.expiresAt->toMSecsSinceEpoch());
}

void TestSqlStoreNotifications::purgeExpiredGoesInRoundsEarliestFirst()
{
    addCatalog();
    QList<Notification> all;
    for (int i = 1; i <= 5; ++i) {
        Notification n =
            notification(i, u"app"_s, u"alerts"_s, i == 3 ? QStringList{u"bob"_s} : QStringList{});
        n.expiresAt = baseTime().addSecs(-i); // 5 expired first
        all.append(n);
    }
    insert(all);
    auto first = m_store->purgeExpired(baseTime(), 2);
    STORE_VERIFY(first);
    QCOMPARE(first->removed.size(), 2);
    QCOMPARE(first->removed[0].id, 5);
    QCOMPARE(first->removed[1].id, 4);
    QVERIFY(first->more);
    auto second = m_store->purgeExpired(baseTime(), 2);
    STORE_VERIFY(second);
    QCOMPARE(second->removed[0].id, 3);
    QCOMPARE(second->removed[0].recipients, QStringList{u"bob"_s});
    QVERIFY(second->more);
    auto last = m_store->purgeExpired(baseTime(), 2);
    STORE_VERIFY(last);
    QCOMPARE(last->removed.size(), 1);
    QVERIFY(!last->more);
    QVERIFY(!last->nextExpiryMs);
    auto count = m_store->countNotifications();
    STORE_VERIFY(count);
    QCOMPARE(*count, 0);
}

QTEST_GUILESS_MAIN(TestSqlStoreNotifications)
#include "tst_sqlstorenotifications.moc"
