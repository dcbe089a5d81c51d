// SPDX-License-Identifier: Apache-2.0
#include "model/notificationfiltermodel.h"
#include "model/notificationlistmodel.h"
#include "testdata.h"

#include <QAbstractItemModelTester>
#include <QFont>
#include <QSignalSpy>
#include <QTest>

using namespace herald;
using namespace herald::client;
using herald::client::test::notification;
using namespace Qt::StringLiterals;

class TestNotificationListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void groupsByApplicationAndChannelSorted()
    {
        NotificationListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.add(notification(3, u"web"_s, u"deploys"_s));
        model.add(notification(1, u"db"_s, u"ops"_s));
        model.add(notification(2, u"web"_s, u"alerts"_s));
        model.add(notification(4, u"web"_s, u"deploys"_s));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0, 0).data(NotificationListModel::ApplicationRole).toString(),
                 u"db"_s);
        QCOMPARE(model.index(1, 0).data(NotificationListModel::ChannelRole).toString(),
                 u"alerts"_s);
        const QModelIndex deploys = model.index(2, 0);
        QCOMPARE(deploys.data().toString(), u"web / deploys (2)"_s);
        QCOMPARE(model.rowCount(deploys), 2);
        // Newest first inside a group.
        QCOMPARE(model.index(0, 0, deploys).data(NotificationListModel::IdRole).toLongLong(), 4);
        QCOMPARE(model.index(1, 0, deploys).data(NotificationListModel::IdRole).toLongLong(), 3);
        QCOMPARE(model.parent(model.index(1, 0, deploys)), deploys);
    }

    void dropsDuplicatesById()
    {
        NotificationListModel model;
        QSignalSpy unread(&model, &NotificationListModel::unreadCountChanged);
        QVERIFY(model.add(notification(7, u"a"_s, u"c"_s)));
        QVERIFY(!model.add(notification(7, u"a"_s, u"c"_s, u"again"_s)));
        QCOMPARE(model.totalCount(), 1);
        QCOMPARE(model.unreadCount(), 1);
        QCOMPARE(unread.count(), 1);
        QCOMPARE(model.notification(7)->title, u"n7"_s);
    }

    void unreadRowsAreBoldUntilMarkedRead()
    {
        NotificationListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.add(notification(1, u"a"_s, u"c"_s));
        model.add(notification(2, u"a"_s, u"c"_s));
        const QModelIndex row = model.indexOf(1);
        QVERIFY(row.data(Qt::FontRole).value<QFont>().bold());
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy unread(&model, &NotificationListModel::unreadCountChanged);
        model.markRead({1, 99});
        QVERIFY(!model.indexOf(1).data(Qt::FontRole).value<QFont>().bold());
        QVERIFY(model.indexOf(2).data(Qt::FontRole).value<QFont>().bold());
        QCOMPARE(model.unreadCount(), 1);
        QCOMPARE(unread.count(), 1);
        QCOMPARE(unread.first().first().toInt(), 1);
        QVERIFY(changed.count() >= 1);
        QCOMPARE(model.index(0, 0).data(NotificationListModel::UnreadCountRole).toInt(), 1);
        model.markRead({2});
        QVERIFY(!model.index(0, 0).data(Qt::FontRole).value<QFont>().bold());
        QCOMPARE(model.unreadIds(), QList<NotificationId>{});
    }

    void removesDeletedAndEmptyGroups()
    {
        NotificationListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.add(notification(1, u"a"_s, u"c"_s));
        model.add(notification(2, u"a"_s, u"d"_s));
        model.add(notification(3, u"a"_s, u"d"_s));
        model.remove({1, 3});
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.totalCount(), 1);
        QCOMPARE(model.unreadCount(), 1);
        QVERIFY(!model.contains(1));
        // A removed id may come again (the server deleted and a producer re-sent nothing: ids
        // are unique, but the model must not remember removed ones forever).
        QVERIFY(model.add(notification(1, u"a"_s, u"c"_s)));
    }

    void latestUnreadNewestFirst()
    {
        NotificationListModel model;
        for (int id = 1; id <= 8; ++id)
            model.add(notification(id, id % 2 ? u"a"_s : u"b"_s, u"c"_s));
        model.markRead({8});
        const QList<Notification> latest = model.latestUnread(3);
        QCOMPARE(latest.size(), 3);
        QCOMPARE(latest[0].id, 7);
        QCOMPARE(latest[1].id, 6);
        QCOMPARE(latest[2].id, 5);
    }

    void capacityDropsOldestReadFirst()
    {
        NotificationListModel model;
        model.setCapacity(3);
        model.add(notification(1, u"a"_s, u"c"_s));
        model.add(notification(2, u"a"_s, u"c"_s));
        model.add(notification(3, u"a"_s, u"c"_s));
        model.markRead({2});
        model.add(notification(4, u"a"_s, u"c"_s));
        QCOMPARE(model.totalCount(), 3);
        QVERIFY(!model.contains(2));
        QVERIFY(model.contains(1));
    }

    void copyTextHoldsTitleMessageAndUrl()
    {
        NotificationListModel model;
        model.add(notification(1, u"a"_s, u"c"_s, u"Deploy"_s, u"https://ci.example/1"_s));
        QCOMPARE(model.indexOf(1).data(NotificationListModel::CopyTextRole).toString(),
                 u"Deploy\nmessage 1\nhttps://ci.example/1"_s);
        QCOMPARE(model.indexOf(1).data(NotificationListModel::UrlRole).toString(),
                 u"https://ci.example/1"_s);
    }

    void filterSearchesAndShowsUnreadOnly()
    {
        NotificationListModel model;
        model.add(notification(1, u"web"_s, u"deploys"_s, u"api v2 live"_s));
        model.add(notification(2, u"web"_s, u"deploys"_s, u"frontend live"_s));
        model.add(notification(3, u"db"_s, u"ops"_s, u"disk full"_s));
        model.markRead({2});
        NotificationFilterModel filter;
        QAbstractItemModelTester tester(&filter,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        filter.setSourceModel(&model);
        QCOMPARE(filter.rowCount(), 2);
        filter.setSearchText(u"LIVE"_s);
        QCOMPARE(filter.rowCount(), 1);
        QCOMPARE(filter.rowCount(filter.index(0, 0)), 2);
        filter.setUnreadOnly(true);
        QCOMPARE(filter.rowCount(filter.index(0, 0)), 1);
        filter.setSearchText(u"ops"_s); // matches the channel
        QCOMPARE(filter.rowCount(), 1);
        QCOMPARE(filter.index(0, 0).data(NotificationListModel::ApplicationRole).toString(),
                 u"db"_s);
    }
};

QTEST_MAIN(TestNotificationListModel)
#include "tst_notificationlistmodel.moc"
