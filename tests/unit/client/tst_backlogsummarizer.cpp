// SPDX-License-Identifier: Apache-2.0
#include "model/backlogsummarizer.h"
#include "notify/notifier.h"
#include "testdata.h"

#include <QTest>

using namespace herald;
using namespace herald::client;
using herald::client::test::notification;
using namespace Qt::StringLiterals;

class TestBacklogSummarizer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void floodedChannelBecomesOneSummary()
    {
        BacklogSummarizer summarizer(5);
        for (int id = 1; id <= 12; ++id)
            summarizer.add(notification(id, u"infra"_s, u"ops"_s));
        summarizer.add(notification(20, u"web"_s, u"deploys"_s));
        summarizer.add(notification(21, u"web"_s, u"deploys"_s));
        const QList<PopupGroup> groups = summarizer.take();
        QCOMPARE(groups.size(), 3);
        QVERIFY(groups[0].summary);
        QCOMPARE(groups[0].channel, u"ops"_s);
        QCOMPARE(groups[0].notifications.size(), 12);
        QVERIFY(!groups[1].summary);
        QCOMPARE(groups[1].notifications.first().id, 20);
        QCOMPARE(groups[2].notifications.first().id, 21);
        QVERIFY(summarizer.isEmpty());

        const Popup popup = Popup::forGroup(groups[0]);
        QCOMPARE(popup.title, u"12 new in ops"_s);
        QCOMPARE(popup.ids.size(), 12);
        QVERIFY(popup.summary);
        QVERIFY(popup.body.startsWith(u"n12\nn11\nn10"_s));
        QVERIFY(popup.body.endsWith(u"9 more"_s));
    }

    void atThresholdStaysSingle_data()
    {
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("popups");
        QTest::newRow("below") << 4 << 4;
        QTest::newRow("at") << 5 << 5;
        QTest::newRow("above") << 6 << 1;
    }
    void atThresholdStaysSingle()
    {
        QFETCH(int, count);
        QFETCH(int, popups);
        BacklogSummarizer summarizer(5);
        for (int id = 1; id <= count; ++id)
            summarizer.add(notification(id, u"a"_s, u"c"_s));
        QCOMPARE(summarizer.take().size(), popups);
    }

    void acknowledgedDuringBacklogAreLeftOut()
    {
        BacklogSummarizer summarizer(2);
        for (int id = 1; id <= 4; ++id)
            summarizer.add(notification(id, u"a"_s, u"c"_s));
        summarizer.remove({1, 2});
        const QList<PopupGroup> groups = summarizer.take();
        QCOMPARE(groups.size(), 2); // 2 left: not more than the threshold
        summarizer.add(notification(9, u"a"_s, u"c"_s));
        summarizer.remove({9});
        QVERIFY(summarizer.isEmpty());
    }

    void singlePopupCarriesUrlAndPriority()
    {
        Notification n = notification(5, u"a"_s, u"c"_s, u"T"_s, u"https://x.example/"_s);
        n.priority = Priority::Urgent;
        const Popup popup = Popup::forGroup(PopupGroup{u"a"_s, u"c"_s, {n}, false});
        QCOMPARE(popup.ids, QList<NotificationId>{5});
        QCOMPARE(popup.url, u"https://x.example/"_s);
        QCOMPARE(popup.priority, Priority::Urgent);
        QVERIFY(!popup.summary);
    }
};

QTEST_MAIN(TestBacklogSummarizer)
#include "tst_backlogsummarizer.moc"
