// SPDX-License-Identifier: Apache-2.0
// NotificationListModel with the server's inbox in it: rollups as one row with their members
// under it, acknowledging and deleting them, and what the list window does with those rows.
#include "model/notificationfiltermodel.h"
#include "model/notificationlistmodel.h"
#include "model/rolluprule.h"
#include "testdata.h"
#include "ui/listwindow.h"

#include <QAbstractItemModelTester>
#include <QFont>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTreeView>

using namespace herald;
using namespace herald::client;
using herald::client::test::notification;
using namespace Qt::StringLiterals;

namespace {
InboxItem single(NotificationId id, bool acknowledged = false)
{
    return InboxItem{notification(id, u"ci"_s, u"api"_s), false, acknowledged, {}, {}};
}

// A rollup of `ids` (newest first) of rule "deploys" in ci/api, titled after its newest.
InboxItem rollup(const QList<NotificationId> &ids, bool acknowledged = false)
{
    return InboxItem{
        notification(ids.first(), u"ci"_s, u"api"_s, u"v2.%1 is live"_s.arg(ids.first())), false,
        acknowledged, ids, u"deploys"_s};
}

QModelIndex rollupRow(const NotificationListModel &model)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, 0).data(NotificationListModel::IsRollupRole).toBool())
            return model.index(row, 0);
    }
    return {};
}

QList<NotificationId> childIds(const NotificationListModel &model, const QModelIndex &parent)
{
    QList<NotificationId> ids;
    for (int row = 0; row < model.rowCount(parent); ++row)
        ids << model.index(row, 0, parent).data(NotificationListModel::IdRole).toLongLong();
    return ids;
}
} // namespace

class TestInboxModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rollupIsOneRowWithItsMembersUnderIt()
    {
        NotificationListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        // Delivered live before the list opened: 3 of the 5 members, and one other.
        for (NotificationId id : {1, 2, 4, 9})
            model.add(notification(id, u"ci"_s, u"api"_s));
        model.applyInboxItem(rollup({8, 6, 4, 2, 1}));
        QCOMPARE(model.rowCount(), 2); // ci/api with 9, then the rollup
        const QModelIndex row = rollupRow(model);
        QVERIFY(row.isValid());
        QCOMPARE(row.data().toString(), u"5 deploys in api, latest: v2.8 is live"_s);
        QVERIFY(row.data(Qt::FontRole).value<QFont>().bold());
        QCOMPARE(childIds(model, row), (QList<NotificationId>{8, 4, 2, 1}));
        QCOMPARE(row.data(NotificationListModel::MemberIdsRole).value<QList<NotificationId>>(),
                 (QList<NotificationId>{8, 6, 4, 2, 1}));
        QCOMPARE(childIds(model, model.index(0, 0)), QList<NotificationId>{9});
        // A member that arrives later (from the listing) joins the rollup, not its channel.
        QVERIFY(model.isRollupMember(6));
        model.add(notification(6, u"ci"_s, u"api"_s));
        QCOMPARE(childIds(model, rollupRow(model)), (QList<NotificationId>{8, 6, 4, 2, 1}));
        QCOMPARE(model.unreadCount(), 6);
    }

    void aGrowingRollupReplacesTheOldOne()
    {
        NotificationListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.applyInboxItem(rollup({2, 1}));
        model.add(notification(1, u"ci"_s, u"api"_s));
        model.applyInboxItem(rollup({3, 2, 1}));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(childIds(model, model.index(0, 0)), (QList<NotificationId>{3, 2, 1}));
        QCOMPARE(model.index(0, 0).data().toString(), u"3 deploys in api, latest: v2.3 is live"_s);
        // Seen and unseen never share a rollup: 3 alone now, a single item again.
        model.applyInboxItem(single(3));
        model.applyInboxItem(rollup({2, 1}));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(childIds(model, model.index(0, 0)), QList<NotificationId>{3});
        QCOMPARE(childIds(model, rollupRow(model)), (QList<NotificationId>{2, 1}));
        QVERIFY(!model.isRollupMember(3));
    }

    void acknowledgedItemsAreRead()
    {
        NotificationListModel model;
        model.add(notification(5, u"ci"_s, u"api"_s));
        model.applyInboxItem(single(5, true));
        model.applyInboxItem(single(7, false));
        model.applyInboxItem(rollup({4, 3}, true));
        QCOMPARE(model.unreadIds(), QList<NotificationId>{7});
        QVERIFY(!rollupRow(model).data(NotificationListModel::UnreadRole).toBool());
        // The server is the truth for what it names: unread again after an unacknowledge.
        model.applyInboxItem(single(5, false));
        QCOMPARE(model.unreadIds(), (QList<NotificationId>{5, 7}));
    }

    void markingEveryMemberReadReadsTheRollup()
    {
        NotificationListModel model;
        model.applyInboxItem(rollup({4, 3, 2}));
        const QModelIndex row = rollupRow(model);
        // Only 4 has a row; the rollup stays unread while 3 and 2 are not acknowledged.
        model.markRead({4});
        QCOMPARE(model.unreadCount(), 0);
        QVERIFY(rollupRow(model).data(NotificationListModel::UnreadRole).toBool());
        model.markRead({4, 3, 2});
        QVERIFY(!rollupRow(model).data(NotificationListModel::UnreadRole).toBool());
        QVERIFY(!row.data(Qt::FontRole).value<QFont>().bold());
    }

    void deletedMembersLeaveTheRollup()
    {
        NotificationListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.applyInboxItem(rollup({3, 2, 1}));
        model.add(notification(2, u"ci"_s, u"api"_s));
        model.add(notification(10, u"ci"_s, u"api"_s));
        model.remove({2});
        QCOMPARE(rollupRow(model)
                     .data(NotificationListModel::MemberIdsRole)
                     .value<QList<NotificationId>>(),
                 (QList<NotificationId>{3, 1}));
        QCOMPARE(model.idsUpTo(3), QList<NotificationId>{3});
        QCOMPARE(model.idsUpTo(), (QList<NotificationId>{3, 10}));
        model.remove(model.idsUpTo(3)); // a `cleared` up to 3
        QCOMPARE(model.rowCount(), 1);
        QVERIFY(!rollupRow(model).isValid());
    }

    void filterKeepsRollupsAndSearchesTheirMembers()
    {
        NotificationListModel model;
        model.applyInboxItem(rollup({2, 1}));
        model.add(notification(1, u"ci"_s, u"api"_s, u"v2.1 is live"_s));
        NotificationFilterModel filter;
        QAbstractItemModelTester tester(&filter,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        filter.setSourceModel(&model);
        filter.setSearchText(u"v2.1"_s);
        QCOMPARE(filter.rowCount(), 1);
        QCOMPARE(filter.rowCount(filter.index(0, 0)), 1);
    }

    void listWindowDeletesAndAcknowledgesAllOfARollup()
    {
        NotificationListModel model;
        model.add(notification(9, u"ci"_s, u"api"_s));
        model.applyInboxItem(rollup({4, 3, 2}));
        ListWindow window(&model);
        window.show();
        auto *view = window.findChild<QTreeView *>();
        QVERIFY(view);
        // Channels open, rollups stay one row until opened.
        QVERIFY(view->isExpanded(view->model()->index(0, 0)));
        QVERIFY(!view->isExpanded(view->model()->index(1, 0)));
        QSignalSpy deleted(&window, &ListWindow::deleteRequested);
        QSignalSpy read(&window, &ListWindow::markReadRequested);
        view->setCurrentIndex(view->model()->index(1, 0));
        button(window, u"Delete"_s)->click();
        QCOMPARE(deleted.count(), 1);
        QCOMPARE(deleted.first().first().value<QList<NotificationId>>(),
                 (QList<NotificationId>{2, 3, 4}));
        button(window, u"Mark as read"_s)->click();
        QCOMPARE(read.count(), 1);
        QCOMPARE(read.first().first().value<QList<NotificationId>>(),
                 (QList<NotificationId>{4, 3, 2}));
        QVERIFY(button(window, u"Delete all"_s)->isEnabled());
    }

    void rollupRulesMatchLikeTheServer()
    {
        const auto rule = RollupRule::fromJson({{u"name"_s, u"deploys"_s},
                                                {u"application"_s, u"ci"_s},
                                                {u"channel"_s, u"api"_s},
                                                {u"matchOn"_s, u"tags.service"_s},
                                                {u"maxSize"_s, 5},
                                                {u"maxDuration"_s, u"1h"_s}});
        QVERIFY(rule);
        QCOMPARE(rule->maxSize, 5);
        Notification n = notification(1, u"ci"_s, u"api"_s);
        n.tags.insert(u"service"_s, u"billing"_s);
        QVERIFY(rule->matches(n));
        QCOMPARE(rule->groupValue(n), u"billing"_s);
        QVERIFY(!rule->matches(notification(2, u"ci"_s, u"web"_s)));
        QVERIFY(!RollupRule::fromJson({{u"name"_s, u"x"_s}}));
    }

private:
    static QPushButton *button(QWidget &window, const QString &text)
    {
        for (QPushButton *b : window.findChildren<QPushButton *>()) {
            if (b->text() == text)
                return b;
        }
        return nullptr;
    }
};

QTEST_MAIN(TestInboxModel)
#include "tst_inboxmodel.moc"
