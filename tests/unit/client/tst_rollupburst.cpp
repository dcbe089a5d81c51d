// SPDX-License-Identifier: Apache-2.0
// RollupBurst: a burst that one of the user's rollup rules folds pops up once.
#include "model/rollupburst.h"
#include "notify/notifier.h"
#include "testdata.h"

#include <QSignalSpy>
#include <QTest>

using namespace herald;
using namespace herald::client;
using herald::client::test::notification;
using namespace Qt::StringLiterals;

namespace {
RollupRule deploys(int maxSize = 10)
{
    RollupRule rule;
    rule.name = u"deploys"_s;
    rule.application = u"ci"_s;
    rule.channel = u"api"_s;
    rule.matchOn = u"tags.service"_s;
    rule.maxSize = maxSize;
    return rule;
}

Notification deploy(NotificationId id, const QString &service = u"billing"_s)
{
    Notification n = notification(id, u"ci"_s, u"api"_s, u"v2.%1 is live"_s.arg(id));
    n.tags.insert(u"service"_s, service);
    return n;
}

QList<NotificationId> idsOf(const PopupGroup &group)
{
    QList<NotificationId> ids;
    for (const Notification &n : group.notifications)
        ids << n.id;
    return ids;
}
} // namespace

class TestRollupBurst : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aBurstPopsUpOnceAsTheRollup()
    {
        RollupBurst bursts;
        bursts.setRules({deploys()});
        bursts.setWindows(100, 2000);
        QSignalSpy ready(&bursts, &RollupBurst::ready);
        for (NotificationId id = 1; id <= 5; ++id)
            QVERIFY(bursts.offer(deploy(id)));
        QVERIFY(ready.isEmpty());
        QVERIFY(ready.wait(2000));
        QCOMPARE(ready.count(), 1);
        const auto group = ready.first().at(0).value<PopupGroup>();
        QCOMPARE(idsOf(group), (QList<NotificationId>{1, 2, 3, 4, 5}));
        QVERIFY(group.summary);
        const Popup popup = Popup::forRollup(group, ready.first().at(1).toString());
        QCOMPARE(popup.title, u"5 deploys in api, latest: v2.5 is live"_s);
        QCOMPARE(popup.ids, (QList<NotificationId>{1, 2, 3, 4, 5}));
        QCOMPARE(bursts.openBursts(), 0);
    }

    void aLoneMatchPopsUpAsItself()
    {
        RollupBurst bursts;
        bursts.setRules({deploys()});
        bursts.setWindows(20, 2000);
        QSignalSpy ready(&bursts, &RollupBurst::ready);
        QVERIFY(bursts.offer(deploy(7)));
        QVERIFY(ready.wait(2000));
        const auto group = ready.first().at(0).value<PopupGroup>();
        QVERIFY(!group.summary);
        QCOMPARE(Popup::forRollup(group, u"deploys"_s).title, u"v2.7 is live"_s);
    }

    void otherValuesAndUnmatchedAreApart()
    {
        RollupBurst bursts;
        bursts.setRules({deploys()});
        bursts.setWindows(50, 2000);
        QSignalSpy ready(&bursts, &RollupBurst::ready);
        QVERIFY(!bursts.offer(notification(1, u"ci"_s, u"web"_s))); // no rule: pop up now
        QVERIFY(bursts.offer(deploy(2, u"billing"_s)));
        QVERIFY(bursts.offer(deploy(3, u"search"_s)));
        QVERIFY(bursts.offer(deploy(4, u"billing"_s)));
        QCOMPARE(bursts.openBursts(), 2);
        QTRY_COMPARE(ready.count(), 2);
        QList<QList<NotificationId>> groups;
        for (const auto &args : ready)
            groups << idsOf(args.at(0).value<PopupGroup>());
        std::sort(groups.begin(), groups.end());
        QCOMPARE(groups, (QList<QList<NotificationId>>{{2, 4}, {3}}));
    }

    void maxSizeClosesTheBurstAtOnce()
    {
        RollupBurst bursts;
        bursts.setRules({deploys(3)});
        bursts.setWindows(5000, 10000);
        QSignalSpy ready(&bursts, &RollupBurst::ready);
        for (NotificationId id = 1; id <= 4; ++id)
            bursts.offer(deploy(id));
        QCOMPARE(ready.count(), 1); // no waiting: full
        QCOMPARE(idsOf(ready.first().at(0).value<PopupGroup>()), (QList<NotificationId>{1, 2, 3}));
        QCOMPARE(bursts.openBursts(), 1); // 4 opened the next
    }

    void acknowledgedWhileHeldNeverPopsUp()
    {
        RollupBurst bursts;
        bursts.setRules({deploys()});
        bursts.setWindows(30, 2000);
        QSignalSpy ready(&bursts, &RollupBurst::ready);
        bursts.offer(deploy(1));
        bursts.offer(deploy(2));
        bursts.remove({1, 2});
        QTest::qWait(150);
        QCOMPARE(ready.count(), 0);
        QCOMPARE(bursts.openBursts(), 0);
    }
};

QTEST_MAIN(TestRollupBurst)
#include "tst_rollupburst.moc"
