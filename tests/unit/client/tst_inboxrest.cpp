// SPDX-License-Identifier: Apache-2.0
// InboxRest's reading of the server's answers (PROTOCOL.md "Inbox") and its URLs.
#include "net/inboxrest.h"

#include <QTest>

using namespace herald;
using namespace herald::client;
using namespace Qt::StringLiterals;

class TestInboxRest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsAPageWithARollup()
    {
        const QByteArray body = R"({"notifications":[
            {"id":8,"application":"ci","channel":"api","title":"v2.3 is live","message":"",
             "time":"2024-05-01T10:00:00.000Z","node":1,"priority":"normal","persistent":true,
             "seen":false,"acknowledged":false,
             "rollup":{"count":3,"ids":[8,6,5],"rule":"deploys"}},
            {"id":4,"application":"ci","channel":"web","title":"t","message":"m",
             "time":"2024-05-01T09:00:00.000Z","node":1,"priority":"high","persistent":true,
             "seen":true,"acknowledged":true}],"next":4})";
        const auto page = InboxRest::parsePage(body);
        QVERIFY(page);
        QCOMPARE(page->next, 4);
        QCOMPARE(page->items.size(), 2);
        const InboxItem &rollup = page->items[0];
        QVERIFY(rollup.isRollup());
        QCOMPARE(rollup.rule, u"deploys"_s);
        QCOMPARE(rollup.ids(), (QList<NotificationId>{8, 6, 5}));
        QCOMPARE(rollup.notification.title, u"v2.3 is live"_s);
        QVERIFY(!rollup.seen && !rollup.acknowledged);
        const InboxItem &single = page->items[1];
        QVERIFY(!single.isRollup());
        QCOMPARE(single.ids(), QList<NotificationId>{4});
        QVERIFY(single.seen && single.acknowledged);
        QCOMPARE(single.notification.priority, Priority::High);
    }

    void refusesWhatIsNotAPage_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("not json") << QByteArray("<html>");
        QTest::newRow("no array") << QByteArray(R"({"notifications":3})");
        QTest::newRow("no id") << QByteArray(R"({"notifications":[{"application":"a"}]})");
        QTest::newRow("rollup without its newest")
            << QByteArray(R"({"notifications":[{"id":8,"application":"ci","channel":"api",
                "time":"2024-05-01T10:00:00.000Z","rollup":{"count":2,"ids":[6,5]}}]})");
    }
    void refusesWhatIsNotAPage()
    {
        QFETCH(QByteArray, body);
        QVERIFY(!InboxRest::parsePage(body));
    }

    void readsCountsAndRules()
    {
        const auto counts = InboxRest::parseCount(R"({"unseen":3,"unacknowledged":5})");
        QVERIFY(counts);
        QCOMPARE(counts->first, 3);
        QCOMPARE(counts->second, 5);
        QVERIFY(!InboxRest::parseCount(R"({"unseen":3})"));
        const auto rules = InboxRest::parseRules(
            R"({"rules":[{"name":"deploys","application":"ci","maxSize":10,"maxDuration":"1h"}]})");
        QVERIFY(rules);
        QCOMPARE(rules->size(), 1);
        QCOMPARE(rules->first().application, u"ci"_s);
        QVERIFY(rules->first().channel.isEmpty());
        QVERIFY(!InboxRest::parseRules(R"({"rules":[{"application":"ci"}]})"));
    }

    void apiUrlsFollowTheSessionsServer()
    {
        QCOMPARE(InboxRest::apiUrl(QUrl(u"ws://127.0.0.1:8080/api/v1/ws"_s), u"/inbox/count"_s),
                 QUrl(u"http://127.0.0.1:8080/api/v1/inbox/count"_s));
        QCOMPARE(InboxRest::apiUrl(QUrl(u"wss://h.example/herald/api/v1/ws?x=1"_s), u"/inbox"_s),
                 QUrl(u"https://h.example/herald/api/v1/inbox"_s));
    }
};

QTEST_MAIN(TestInboxRest)
#include "tst_inboxrest.moc"
